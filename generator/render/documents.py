"""The three kinds of document and how each is rendered in memory from the validated source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..content import context as ctx
from ..content import report_context
from ..errors import Problems, ValidationFailed
from ..source.progress import Reports
from ..source.validate import Validated
from .markers import add_bookmarks, field_index, mark_context
from .template import TemplateProblem, check_template, render_document
from .write import fixed_time, normalise_docx

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"

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


def is_fictitious(source: Path) -> bool:
    """Example data is marked by a file `FICTIEF` in the source folder."""
    return (source / "FICTIEF").exists()


def document_path(kind: str, year: int, output: Path) -> Path:
    """Where `build` writes one kind of document."""
    return output / DOCUMENTS[kind].filename.format(year=year)


def render_documents(validated: Validated, reports: Reports, kinds: list[str], templates: Path,
                     fictitious: bool) -> dict[str, bytes]:
    """Render the requested documents in memory: file name -> .docx bytes; raise on the first problem."""
    problems = Problems()
    out = render_checked(validated, reports, kinds, templates, fictitious, problems)
    if problems.errors:
        raise ValidationFailed(problems)
    return out


def render_checked(validated: Validated, reports: Reports, kinds: list[str], templates: Path, fictitious: bool,
                   problems: Problems) -> dict[str, bytes]:
    """Check and render every requested template; record each template's problems."""
    meta = validated.agenda.meta
    out = {}
    fields = field_index(validated.agenda, reports)
    for name in kinds:
        kind = DOCUMENTS[name]
        context = kind.build_context(validated, reports, fictitious)
        found = check_template(templates / kind.template, context)
        if found:
            problems.extend(found)
            continue
        title = context["doc"]["title"]  # named after the period a report covers
        properties = {
            "title": title + (f" ({ctx.FICTITIOUS_NOTICE})" if fictitious else ""),
            "subject": meta.subtitle or "",
            "author": meta.organisation,
            "last_modified_by": meta.organisation,
            "language": "nl-NL",
            "keywords": "RIEC; ondermijning; " + kind.title.format(year=meta.year),
            "created": fixed_time(),
            "modified": fixed_time(),
            "revision": 1,
        }
        try:
            # Each source text is marked in the document (bookmark bron_<key>) so that a reviewer's
            # tracked changes can be taken back into the source (`overnemen`).
            data = add_bookmarks(render_document(templates / kind.template, mark_context(context, fields), properties))
        except TemplateProblem as exc:
            problems.add(exc.problem)
            continue
        out[kind.filename.format(year=meta.year)] = normalise_docx(data)
    return out
