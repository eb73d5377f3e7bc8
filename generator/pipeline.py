"""The pipeline: validate everything, render everything in memory, then write.

This is the library API the CLI calls; nothing is written unless every
document rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import context as ctx
from .errors import Problems, ValidationFailed
from .render import TemplateProblem, check_template, render_document
from .validate import Validated, load_agenda
from .write import fixed_time, normalise_docx, write_outputs

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

ContextBuilder = Callable[[Validated, bool], ctx.Context]


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document the pipeline produces."""

    name: str
    template: str
    filename: str  # with {year}
    title: str  # document property; with {year}
    build_context: ContextBuilder


def _agenda_context(validated: Validated, fictitious: bool) -> ctx.Context:
    return ctx.build_agenda_context(validated.agenda, validated.differences, fictitious)


DOCUMENTS: dict[str, DocumentKind] = {
    "agenda": DocumentKind("agenda", "uitvoeringsagenda.docx", "uitvoeringsagenda-{year}.docx",
                           "Uitvoeringsagenda {year}", _agenda_context),
}


@dataclass
class BuildResult:
    """What a build did."""

    validated: Validated
    documents: dict[str, bytes] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)


def is_fictitious(source: Path) -> bool:
    """Example data is marked by a file `FICTIEF` in the source folder."""
    return (source / "FICTIEF").exists()


def check(source: Path, year: int, strict: bool = False, templates: Path = TEMPLATES_DIR,
          kinds: list[str] | None = None) -> Validated:
    """Validate the source and every template (rendering in memory) without writing anything."""
    return _validate_and_render(source, year, kinds or list(DOCUMENTS), templates, strict)[0]


def render_documents(validated: Validated, kinds: list[str], templates: Path, fictitious: bool) -> dict[str, bytes]:
    """Render the requested documents in memory: file name -> .docx bytes; raise on the first problem."""
    problems = Problems()
    out = _render_all(validated, kinds, templates, fictitious, problems)
    if problems.errors:
        raise ValidationFailed(problems)
    return out


def _render_all(validated: Validated, kinds: list[str], templates: Path, fictitious: bool,
                problems: Problems) -> dict[str, bytes]:
    """Check and render every requested template; record each template's problems."""
    meta = validated.agenda.meta
    out = {}
    for name in kinds:
        kind = DOCUMENTS[name]
        context = kind.build_context(validated, fictitious)
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


def _validate_and_render(source: Path, year: int, kinds: list[str], templates: Path,
                         strict: bool) -> tuple[Validated, dict[str, bytes]]:
    """The source and the templates, all checked; every problem reported at once."""
    try:
        validated = load_agenda(source, year)
    except ValidationFailed as exc:
        # The data is unusable, but template syntax can still be checked, so all is reported at once.
        for name in kinds:
            exc.problems.extend(check_template(templates / DOCUMENTS[name].template, None))
        raise
    documents = _render_all(validated, kinds, templates, is_fictitious(source), validated.problems)
    if validated.problems.errors or (strict and validated.problems.warnings):
        raise ValidationFailed(validated.problems)
    return validated, documents


def document_path(kind: str, year: int, output: Path) -> Path:
    """Where `build` writes one kind of document."""
    return output / DOCUMENTS[kind].filename.format(year=year)


def build(source: Path, year: int, output: Path, kinds: list[str], templates: Path = TEMPLATES_DIR,
          strict: bool = False) -> BuildResult:
    """Validate the source and templates, render every requested document in memory, then write them all."""
    validated, documents = _validate_and_render(source, year, kinds, templates, strict)
    written = write_outputs(output, documents)
    return BuildResult(validated, documents, written)


def partner_actions(source: Path, year: int) -> list[dict[str, object]]:
    """Every partner in the registry with the IDs of the actions it is involved in."""
    return ctx.partner_index(load_agenda(source, year).agenda)
