"""The three kinds of document and how each is rendered in memory from the validated source."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import cache
from ..content import context as ctx
from ..content import report_context
from ..errors import Problems, ValidationFailed
from ..source.progress import Reports
from ..source.validate import Validated
from ..staleness import DOCUMENT_FILES
from .markers import bookmark_document, mark_context
from .write import fixed_time, normalise_docx

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
    "agenda": DocumentKind("agenda", "uitvoeringsagenda.docx", DOCUMENT_FILES["agenda"],
                           "Uitvoeringsagenda {year}", _agenda_context),
    "voortgang": DocumentKind("voortgang", "voortgangsrapportage.docx", DOCUMENT_FILES["voortgang"],
                              "Voortgangsrapportage {year}", _voortgang_context),
    "jaarverslag": DocumentKind("jaarverslag", "jaarverslag.docx", DOCUMENT_FILES["jaarverslag"],
                                "Jaarverslag {year}", _jaarverslag_context),
}


def is_fictitious(source: Path) -> bool:
    """Example data is marked by a file `FICTIEF` in the source folder."""
    return (source / "FICTIEF").exists()


def render_documents(validated: Validated, reports: Reports, kinds: list[str], templates: Path,
                     fictitious: bool) -> dict[str, bytes]:
    """Render the requested documents in memory: file name -> .docx bytes; raise on the first problem."""
    problems = Problems()
    out = render_checked(validated, reports, kinds, templates, fictitious, problems)
    if problems.errors:
        raise ValidationFailed(problems)
    return out


def render_checked(validated: Validated, reports: Reports, kinds: list[str], templates: Path, fictitious: bool,
                   problems: Problems, before: Callable[[str], None] | None = None) -> dict[str, bytes]:
    """Check and render every requested template; record each template's problems.

    A document rendered before from exactly the same template, context and code is taken from the
    cache: it passed the same checks then. `before(name)` is called before each kind of document
    (the pipeline waits there for a process that renders it into the cache at the same time).
    """
    meta = validated.agenda.meta
    out = {}
    for name in kinds:
        if before is not None:
            before(name)
        kind = DOCUMENTS[name]
        context = kind.build_context(validated, reports, fictitious)
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
        # Each source text is marked in the document (bookmark bron_<key>) so that a reviewer's
        # tracked changes can be taken back into the source (`overnemen`).
        marked = mark_context(context)
        key = _rendered_key(templates / kind.template, marked, properties)
        data = cache.read("documents", key) if key else None
        if data is None:
            # Imported here: a build that finds every document in the cache needs neither docxtpl
            # nor python-docx (a fifth of its time went into importing them).
            from .template import TemplateProblem, check_template, render_document

            found = check_template(templates / kind.template, context)
            if found:
                problems.extend(found)
                continue
            try:
                data = normalise_docx(render_document(templates / kind.template, marked, properties,
                                                      finish=bookmark_document))
            except TemplateProblem as exc:
                problems.add(exc.problem)
                continue
            if key:
                cache.write("documents", key, data)
        out[kind.filename.format(year=meta.year)] = data
    return out


# Whether render_checked may reuse a document rendered before from exactly the same inputs. Tests
# that change the rendering code in the running process (monkeypatch) switch it off.
REUSE_RENDERED = True


def _rendered_key(template: Path, context: Any, properties: dict[str, Any]) -> str | None:
    """The key of a rendered document: its template's bytes, its context and properties, and the code.

    An editor's change mostly touches one document (a chapter's text is only in the agenda), so
    the others are taken from the cache. The context is pickled: an exact image of every value in
    it (a chart's PNG too), so a different context never gives the same key; a context that cannot
    be pickled is simply rendered. The code key covers every file of the generator and the
    libraries' versions; SOURCE_DATE_EPOCH is in the properties (and the zip time stamps).
    """
    if not REUSE_RENDERED:
        return None
    try:
        return cache.make_key(cache.code_key(), template.read_bytes(),
                              pickle.dumps((context, properties), protocol=5),
                              os.environ.get("SOURCE_DATE_EPOCH", ""))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return None
