"""The document kinds' contexts, and how each document is rendered in memory from the validated source."""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cache import Cache
from ..content import context as ctx
from ..content import report_context
from ..errors import Problems, Severity, ValidationFailed
from ..i18n import current_language
from ..kinds import DOCUMENTS, DocumentKind
from ..source.progress import Reports
from ..source.validate import Validated
from .markers import mark_context
from .write import fixed_time, normalise_docx

__all__ = ["CONTEXTS", "DOCUMENTS", "DocumentKind", "Finding", "Inspect", "Rendered", "is_fictitious",
           "render_checked", "render_documents"]

ContextBuilder = Callable[[Validated, Reports, bool], ctx.Context]
# A finding about a rendered document (accessibility): message, how to repair it, "error" or "warning".
Finding = tuple[str, str, Severity]
# Looks at a rendered document in memory (python-docx) before it is saved: what it finds.
Inspect = Callable[[Any], list[Finding]]


def _agenda_context(validated: Validated, reports: Reports, fictitious: bool) -> ctx.Context:
    return ctx.build_agenda_context(validated.agenda, validated.differences, fictitious)


def _voortgang_context(validated: Validated, reports: Reports, fictitious: bool) -> ctx.Context:
    return report_context.build_voortgang_context(validated.agenda, reports, fictitious)


def _jaarverslag_context(validated: Validated, reports: Reports, fictitious: bool) -> ctx.Context:
    return report_context.build_jaarverslag_context(validated.agenda, reports, fictitious)


# The context of each kind in the registry (generator/kinds.py).
CONTEXTS: dict[str, ContextBuilder] = {"agenda": _agenda_context, "voortgang": _voortgang_context,
                                       "jaarverslag": _jaarverslag_context}


@dataclass
class Rendered:
    """A rendered document and what `inspect` found in it."""

    data: bytes
    findings: list[Finding] = field(default_factory=list)


def is_fictitious(source: Path) -> bool:
    """Example data is marked by a file `FICTIEF` in the source folder."""
    return (source / "FICTIEF").exists()


def render_documents(validated: Validated, reports: Reports, kinds: list[str], templates: Path,
                     fictitious: bool, store: Cache) -> dict[str, bytes]:
    """Render the requested documents in memory: file name -> .docx bytes; raise on the first problem."""
    problems = Problems()
    out = render_checked(validated, reports, kinds, templates, fictitious, problems, store)
    if problems.errors:
        raise ValidationFailed(problems)
    return {name: rendered.data for name, rendered in out.items()}


def render_checked(validated: Validated, reports: Reports, kinds: list[str], templates: Path, fictitious: bool,
                   problems: Problems, store: Cache, inspect: Inspect | None = None) -> dict[str, Rendered]:
    """Check and render every requested template; record each template's problems.

    `inspect` looks at each document in memory after the field markers are added, before it is
    saved (the pipeline's accessibility check), so the saved document is never opened again. A
    document rendered before from exactly the same template, context and code is taken from
    `store`, with what `inspect` found then.
    """
    meta = validated.agenda.meta
    out = {}
    for name in kinds:
        kind = DOCUMENTS[name]
        context = CONTEXTS[name](validated, reports, fictitious)
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
        key = _rendered_key(store, templates / kind.template, marked, properties, inspect)
        rendered = _unpack(store.read("documents", key)) if key else None
        if rendered is None:
            # Imported here: a build that finds every document in the cache needs neither docxtpl
            # nor python-docx (a fifth of its time went into importing them).
            from .template import TemplateProblem, check_template, render_document

            found = check_template(templates / kind.template, context, store)
            if found:
                problems.extend(found)
                continue
            findings: list[Finding] = []
            try:
                data = normalise_docx(render_document(templates / kind.template, marked, properties,
                                                      finish=_finisher(inspect, findings), store=store))
            except TemplateProblem as exc:
                problems.add(exc.problem)
                continue
            rendered = Rendered(data, findings)
            if key:
                store.write("documents", key, _pack(rendered))
        out[kind.filename.format(year=meta.year)] = rendered
    return out


def _finisher(inspect: Inspect | None, findings: list[Finding]) -> Callable[[Any], None] | None:
    """`inspect` on the rendered document in memory before it is saved, its findings added to `findings`."""
    if inspect is None:
        return None
    return lambda document: findings.extend(inspect(document))


def _rendered_key(store: Cache, template: Path, context: Any, properties: dict[str, Any],
                  inspect: Inspect | None) -> str | None:
    """The key of a rendered document: its template's bytes, its context and properties, and the code.

    An editor's change mostly touches one document (a chapter's text is only in the agenda), so
    the others are taken from the cache. The context is pickled: an exact image of every value in
    it (a chart's data too), so a different context never gives the same key; a context that cannot
    be pickled is simply rendered. The key recipe (store.key) covers every file of the generator
    and the libraries' versions; SOURCE_DATE_EPOCH is in the properties (and the zip time stamps).
    The findings are messages: the inspection and the language they are written in are part of it.
    """
    if store.folder is None:
        return None
    try:
        return store.key("document", template.read_bytes(), pickle.dumps((context, properties), protocol=5),
                         os.environ.get("SOURCE_DATE_EPOCH", ""),
                         f"{inspect.__module__}.{inspect.__qualname__}" if inspect else "", current_language())
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return None


def _pack(rendered: Rendered) -> bytes:
    findings = json.dumps(rendered.findings).encode("utf-8")
    return len(findings).to_bytes(8, "big") + findings + rendered.data


def _unpack(stored: bytes | None) -> Rendered | None:
    if stored is None or len(stored) < 8:
        return None
    size = int.from_bytes(stored[:8], "big")
    try:
        found = json.loads(stored[8:8 + size])
    except ValueError:
        return None
    if not (isinstance(found, list) and all(isinstance(f, list) and len(f) == 3 and all(isinstance(x, str) for x in f)
                                            for f in found)):
        return None
    return Rendered(stored[8 + size:], [(f[0], f[1], "warning" if f[2] == "warning" else "error") for f in found])
