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
from .errors import ValidationFailed
from .progress import Reports, load_reports
from .render import render_document
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
    reports: Reports
    documents: dict[str, bytes] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)


def is_fictitious(source: Path) -> bool:
    """Example data is marked by a file `FICTIEF` in the source folder."""
    return (source / "FICTIEF").exists()


def check(source: Path, year: int, strict: bool = False, peildatum: dt.date | None = None) -> Validated:
    """Validate one year's source, progress and results without writing anything."""
    validated, _ = load_all(source, year, strict, peildatum)
    return validated


def load_all(source: Path, year: int, strict: bool = False,
             peildatum: dt.date | None = None) -> tuple[Validated, Reports]:
    """The validated agenda and the validated progress and results."""
    validated = load_agenda(source, year, strict=strict)
    reports = load_reports(source, validated, peildatum)
    if strict and validated.problems.warnings:
        raise ValidationFailed(validated.problems)
    return validated, reports


def render_documents(validated: Validated, reports: Reports, kinds: list[str], templates: Path,
                     fictitious: bool) -> dict[str, bytes]:
    """Render the requested documents in memory: file name -> .docx bytes."""
    meta = validated.agenda.meta
    out = {}
    for name in kinds:
        kind = DOCUMENTS[name]
        context = kind.build_context(validated, reports, fictitious)
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
        data = render_document(templates / kind.template, context, properties)
        out[kind.filename.format(year=meta.year)] = normalise_docx(data)
    return out


def document_path(kind: str, year: int, output: Path) -> Path:
    """Where `build` writes one kind of document."""
    return output / DOCUMENTS[kind].filename.format(year=year)


def build(source: Path, year: int, output: Path, kinds: list[str], templates: Path = TEMPLATES_DIR,
          strict: bool = False, peildatum: dt.date | None = None) -> BuildResult:
    """Validate, render every requested document, then write them all."""
    validated, reports = load_all(source, year, strict, peildatum)
    documents = render_documents(validated, reports, kinds, templates, is_fictitious(source))
    written = write_outputs(output, documents)
    return BuildResult(validated, reports, documents, written)
