"""The library API: every command of the CLI, and the tests, go through these functions.

Validate everything, render everything in memory, then write: nothing is written unless every
document rendered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache
from .content.context import partner_index
from .errors import Problem, Problems, UserError, ValidationFailed
from .render.documents import DOCUMENTS, TEMPLATES_DIR, document_path, is_fictitious, render_checked, render_documents
from .render.template import check_template
from .render.write import write_outputs
from .source.progress import Reports, load_all, load_reports
from .source.validate import Validated, load_agenda

if TYPE_CHECKING:
    from .review.diff import Comparison

__all__ = ["DOCUMENTS", "TEMPLATES_DIR", "BuildResult", "build", "build_if_changed", "check", "diff", "document_path",
           "load_all", "partner_actions", "pdf", "preview", "render_documents"]


@dataclass
class BuildResult:
    """What a build did."""

    validated: Validated
    documents: dict[str, bytes] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    reports: Reports | None = None


def check(source: Path, year: int, strict: bool = False, templates: Path = TEMPLATES_DIR,
          kinds: list[str] | None = None, peildatum: dt.date | None = None) -> Validated:
    """Validate the source, progress, results and every template (rendering in memory); write nothing."""
    return _validate_and_render(source, year, kinds or list(DOCUMENTS), templates, strict, peildatum)[0]


def _validate_and_render(source: Path, year: int, kinds: list[str], templates: Path, strict: bool,
                         peildatum: dt.date | None = None) -> tuple[Validated, Reports, dict[str, bytes]]:
    """The source, progress, results and the templates, all checked; every problem reported at once."""
    if peildatum is not None and peildatum.year != year:
        raise UserError(f"the peildatum {peildatum.isoformat()} is not in {year}; give a date in the year of "
                        f"the report, e.g. --peildatum {year}-06-30")
    try:
        validated = load_agenda(source, year)
        reports = load_reports(source, validated, peildatum)
    except ValidationFailed as exc:
        # The data is unusable, but template syntax can still be checked, so all is reported at once.
        for name in kinds:
            exc.problems.extend(check_template(templates / DOCUMENTS[name].template, None))
        raise
    documents = render_checked(validated, reports, kinds, templates, is_fictitious(source), validated.problems)
    _check_accessibility(documents, kinds, templates, year, validated.problems)
    if validated.problems.errors or (strict and validated.problems.warnings):
        raise ValidationFailed(validated.problems)
    return validated, reports, documents


def _check_accessibility(documents: dict[str, bytes], kinds: list[str], templates: Path, year: int,
                         problems: Problems) -> None:
    """Every rendered document is accessible; a finding names the template it comes from.

    A template edited in Word can lose a table's header row or an image's alternative text; the
    documents are published for everyone (EN 301 549), so that is an error, like a broken tag.
    Findings about the document as a whole (language, headings) are warnings: a template that is
    not a report yet (a first draft, a test) has none of them.
    """
    from .publish.accessibility import check_rendered

    for kind in kinds:
        data = documents.get(document_path(kind, year, Path()).name)
        if data is None:
            continue
        template = templates / DOCUMENTS[kind].template
        try:
            shown = str(template.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            shown = str(template)
        for finding, hint, severity in check_rendered(data):
            problems.add(Problem(shown, None, "", f"accessibility: {finding}", hint, severity))


def build(source: Path, year: int, output: Path, kinds: list[str], templates: Path = TEMPLATES_DIR,
          strict: bool = False, peildatum: dt.date | None = None) -> BuildResult:
    """Validate the source and templates, render every requested document in memory, then write them all."""
    validated, reports, documents = _validate_and_render(source, year, kinds, templates, strict, peildatum)
    written = write_outputs(output, documents)
    return BuildResult(validated, documents, written, reports)


# The libraries whose version can change a document (pinned in pyproject.toml).
_RENDERING_LIBRARIES = ("docxtpl", "python-docx", "jinja2", "lxml", "matplotlib", "pydantic", "pyyaml", "babel",
                        "markupsafe", "pillow")
_PACKAGE = Path(__file__).resolve().parent


def _files(folder: Path) -> Iterable[tuple[str, Path]]:
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if "__pycache__" not in path.parts and not path.name.endswith(".pyc") and not path.is_dir():
                yield str(path.relative_to(folder)), path


def inputs_key(source: Path, year: int, output: Path, kinds: list[str], templates: Path, strict: bool,
               peildatum: dt.date | None) -> str:
    """A hash of everything a build depends on: every file of the source, the templates and the generator
    (by content, so a file restored with an old time stamp counts), the library versions and the options."""
    parts: list[str | bytes] = [sys.version, repr((year, sorted(kinds), strict, str(peildatum))),
                                str(output.resolve()), str(source.resolve()), str(templates.resolve()),
                                os.environ.get("SOURCE_DATE_EPOCH", "")]
    for name in _RENDERING_LIBRARIES:
        try:
            parts.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(name)
    for label, folder in (("source", source), ("templates", templates), ("generator", _PACKAGE)):
        for relative, path in _files(folder):
            try:
                parts += [f"{label}/{relative}", path.read_bytes() if path.is_file() else b"(not a file)"]
            except OSError:
                parts += [f"{label}/{relative}", b"(unreadable)"]
    return cache.make_key(*parts)


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def up_to_date(key: str, output: Path, kinds: list[str], year: int) -> bool:
    """Whether the last build with these inputs wrote exactly the documents that are in the output folder now."""
    stored = cache.read("build-manifest", key)
    if stored is None:
        return False
    try:
        recorded = json.loads(stored)
    except ValueError:
        return False
    paths = [document_path(kind, year, output) for kind in kinds]
    return isinstance(recorded, dict) and all(recorded.get(p.name) == _digest(p) is not None for p in paths)


def build_if_changed(source: Path, year: int, output: Path, kinds: list[str], templates: Path = TEMPLATES_DIR,
                     strict: bool = False, peildatum: dt.date | None = None) -> BuildResult | None:
    """Build, unless the documents in `output` were built from exactly these inputs (None: up to date).

    The generator, not make, decides what is stale: make cannot see a deleted chapter file, a file
    restored with an old time stamp, or another PEILDATUM. Hashing the inputs takes milliseconds.
    """
    key = inputs_key(source, year, output, kinds, templates, strict, peildatum)
    if up_to_date(key, output, kinds, year):
        return None
    result = build(source, year, output, kinds, templates, strict, peildatum)
    record = {name: hashlib.sha256(data).hexdigest() for name, data in result.documents.items()}
    cache.write("build-manifest", key, json.dumps(record, sort_keys=True).encode("utf-8"))
    return result


def partner_actions(source: Path, year: int) -> list[dict[str, object]]:
    """Every partner in the registry with the IDs of the actions it is involved in."""
    return partner_index(load_agenda(source, year).agenda)


def diff(rev_a: str, rev_b: str | None, source: Path, year: int, output: Path) -> tuple[Comparison, dict[str, Path]]:
    """Compare two git revisions (rev_b None: the working tree); write the change summary, text diffs, redlines."""
    from .review.diff import run_diff

    return run_diff(rev_a, rev_b, source, TEMPLATES_DIR, year, output)


def pdf(kinds: Sequence[str], year: int, output: Path, debug: bool = False) -> list[Path]:
    """Convert the built documents to tagged PDF in OUTPUT/pdf (one LibreOffice start)."""
    from .publish.pdf import convert_to_pdf

    return convert_to_pdf([document_path(kind, year, output) for kind in kinds], output / "pdf", debug=debug)


def preview(kinds: Sequence[str], year: int, output: Path, pages: int) -> list[Path]:
    """PNG images of the first pages of each PDF, in OUTPUT/preview."""
    from .publish.pdf import preview as make_preview

    pdfs = [output / "pdf" / document_path(kind, year, output).with_suffix(".pdf").name for kind in kinds]
    return make_preview(pdfs, output / "preview", pages=pages)
