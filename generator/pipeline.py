"""The pipeline: validate everything, render everything in memory, then write.

This is the library API the CLI calls; nothing is written unless every
document rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import context as ctx
from . import report_context
from .errors import Problems, ValidationFailed
from .progress import Reports, load_reports
from .render import TemplateProblem, check_template, render_document
from .validate import Validated, load_agenda
from .write import fixed_time, normalise_docx, write_outputs

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

ContextBuilder = Callable[[Validated, Reports, bool], ctx.Context]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document the pipeline produces."""

    name: str
    template: str
    filename: str  # with {year}
    title: str  # document property; with {year}
    build_context: ContextBuilder


def _agenda_context(validated: Validated, reports: Reports, fictitious: bool) -> ctx.Context:
    return ctx.build_agenda_context(validated.agenda, validated.differences, fictitious)


def _voortgang_context(validated: Validated, reports: Reports, fictitious: bool) -> ctx.Context:
    return report_context.build_voortgang_context(validated.agenda, reports, fictitious)


def _jaarverslag_context(validated: Validated, reports: Reports, fictitious: bool) -> ctx.Context:
    return report_context.build_jaarverslag_context(validated.agenda, reports, fictitious)


DOCUMENTS: dict[str, DocumentKind] = {
    "agenda": DocumentKind("agenda", "uitvoeringsagenda.docx", "uitvoeringsagenda-{year}.docx",
                           "Uitvoeringsagenda {year}", _agenda_context),
    "voortgang": DocumentKind("voortgang", "voortgangsrapportage.docx", "voortgangsrapportage-{year}.docx",
                              "Voortgangsrapportage {year}", _voortgang_context),
    "jaarverslag": DocumentKind("jaarverslag", "jaarverslag.docx", "jaarverslag-{year}.docx",
                                "Jaarverslag {year}", _jaarverslag_context),
}


@dataclass
class BuildResult:
    """What a build did."""

    validated: Validated
    documents: dict[str, bytes] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    reports: Reports | None = None


def is_fictitious(source: Path) -> bool:
    """Example data is marked by a file `FICTIEF` in the source folder."""
    return (source / "FICTIEF").exists()


def check(source: Path, year: int, strict: bool = False, templates: Path = TEMPLATES_DIR,
          kinds: list[str] | None = None, peildatum: dt.date | None = None) -> Validated:
    """Validate the source, progress, results and every template (rendering in memory); write nothing."""
    return _validate_and_render(source, year, kinds or list(DOCUMENTS), templates, strict, peildatum)[0]


def load_all(source: Path, year: int, peildatum: dt.date | None = None) -> tuple[Validated, Reports]:
    """The validated agenda and the validated progress and results (no templates)."""
    validated = load_agenda(source, year)
    return validated, load_reports(source, validated, peildatum)


def render_documents(validated: Validated, reports: Reports, kinds: list[str], templates: Path,
                     fictitious: bool) -> dict[str, bytes]:
    """Render the requested documents in memory: file name -> .docx bytes; raise on the first problem."""
    problems = Problems()
    out = _render_all(validated, reports, kinds, templates, fictitious, problems)
    if problems.errors:
        raise ValidationFailed(problems)
    return out


def _render_all(validated: Validated, reports: Reports, kinds: list[str], templates: Path, fictitious: bool,
                problems: Problems) -> dict[str, bytes]:
    """Check and render every requested template; record each template's problems."""
    meta = validated.agenda.meta
    out = {}
    for name in kinds:
        kind = DOCUMENTS[name]
        context = kind.build_context(validated, reports, fictitious)
        found = check_template(templates / kind.template, context)
        if found:
            problems.extend(found)
            continue
        title = kind.title.format(year=meta.year)
        properties = {
            "title": title + (f" ({ctx.FICTITIOUS_NOTICE})" if fictitious else ""),
            "subject": meta.subtitle or "",
            "author": meta.organisation,
            "last_modified_by": meta.organisation,
            "language": "nl-NL",
            "keywords": "RIEC; ondermijning; " + title,
            "created": fixed_time(),
            "modified": fixed_time(),
            "revision": 1,
        }
        try:
            data = render_document(templates / kind.template, context, properties)
        except TemplateProblem as exc:
            problems.add(exc.problem)
            continue
        out[kind.filename.format(year=meta.year)] = normalise_docx(data)
    return out


def _validate_and_render(source: Path, year: int, kinds: list[str], templates: Path, strict: bool,
                         peildatum: dt.date | None = None) -> tuple[Validated, Reports, dict[str, bytes]]:
    """The source, progress, results and the templates, all checked; every problem reported at once."""
    try:
        validated, reports = load_all(source, year, peildatum)
    except ValidationFailed as exc:
        # The data is unusable, but template syntax can still be checked, so all is reported at once.
        for name in kinds:
            exc.problems.extend(check_template(templates / DOCUMENTS[name].template, None))
        raise
    documents = _render_all(validated, reports, kinds, templates, is_fictitious(source), validated.problems)
    if validated.problems.errors or (strict and validated.problems.warnings):
        raise ValidationFailed(validated.problems)
    return validated, reports, documents


def document_path(kind: str, year: int, output: Path) -> Path:
    """Where `build` writes one kind of document."""
    return output / DOCUMENTS[kind].filename.format(year=year)


def build(source: Path, year: int, output: Path, kinds: list[str], templates: Path = TEMPLATES_DIR,
          strict: bool = False, peildatum: dt.date | None = None) -> BuildResult:
    """Validate the source and templates, render every requested document in memory, then write them all."""
    validated, reports, documents = _validate_and_render(source, year, kinds, templates, strict, peildatum)
    written = write_outputs(output, documents)
    return BuildResult(validated, documents, written, reports)


def partner_actions(source: Path, year: int) -> list[dict[str, object]]:
    """Every partner in the registry with the IDs of the actions it is involved in."""
    return ctx.partner_index(load_agenda(source, year).agenda)
