"""Render a docxtpl template in memory, safely.

Jinja runs sandboxed (a template cannot reach Python internals), with
autoescape (a `&` or `<` in the data cannot break the document's XML) and
StrictUndefined (a variable the context lacks is an error, not a blank).
"""

from __future__ import annotations

import hashlib
import io
import marshal
import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from docxtpl import DocxTemplate, RichTextParagraph
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from . import format as fmt
from .errors import Problem, UserError

# Paragraph style IDs of running text; the templates define these styles.
BLOCK_STYLES = {"paragraph": None, "bullets": "ListBullet", "numbered": "ListNumber"}


class TemplateProblem(UserError):
    """A template could not be rendered; carries a located problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.format())


def blocks_filter(blocks: Iterable[dict[str, Any]]) -> RichTextParagraph:
    """Running text (paragraphs and lists) as Word paragraphs, for `{{p x|blocks }}`."""
    out = RichTextParagraph()
    for block in blocks:
        style = BLOCK_STYLES[block["kind"]]
        for text in block["items"] if "items" in block else [block["text"]]:
            out.add(text, parastyle=style)
    return out


def cache_dir() -> Path:
    """Where compiled templates are kept: like Python's __pycache__, safe to delete at any time."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "riec-documenten" / "jinja"


class CachingEnvironment(SandboxedEnvironment):
    """The sandboxed environment, keeping compiled template code on disk between runs.

    Compiling a document's Jinja code takes about as long as rendering it, and docxtpl compiles
    from a string each time (Jinja's own bytecode cache only serves templates from a loader).
    The key covers the template text, the Jinja and Python versions and the environment's
    settings, so a changed template or setting is compiled afresh; an unreadable cache entry is
    ignored and rewritten.
    """

    def compile(self, source: Any, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer_init: bool = False) -> Any:
        if raw or defer_init or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
        key = "\0".join([jinja2.__version__, sys.implementation.cache_tag or "", type(self).__qualname__,
                         repr(self.autoescape), getattr(self.undefined, "__qualname__", ""),
                         ",".join(sorted(self.filters)), name or "", filename or "", source])
        path = cache_dir() / (hashlib.sha256(key.encode("utf-8")).hexdigest() + ".bin")
        try:
            code = marshal.loads(path.read_bytes())
            if isinstance(code, CodeType):
                return code
        except (OSError, ValueError, EOFError, TypeError):
            pass
        code = super().compile(source, name, filename, raw, defer_init)
        _store(path, marshal.dumps(code))
        return code


def _store(path: Path, data: bytes) -> None:
    """Write a cache entry atomically; a cache that cannot be written is simply not used."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        pass


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class Template(DocxTemplate):
    """docxtpl's template, with the rendered body moved into the document in linear time."""

    def map_tree(self, tree: Any) -> None:
        # docxtpl parses the rendered body as a separate lxml document and moves it into the
        # Word document. lxml reconciles the namespace of every `xml:space` attribute (one per
        # text run) on such a move in time that grows with their number squared: half a second
        # at 100x the actions. Without them the move is linear; they are put back unchanged.
        spaced = tree.xpath("//*[@xml:space]")
        values = [element.attrib.pop(_XML_SPACE) for element in spaced]
        super().map_tree(tree)
        for element, value in zip(spaced, values, strict=True):
            element.set(_XML_SPACE, value)


def make_environment() -> SandboxedEnvironment:
    """The Jinja environment every template is rendered with."""
    env = CachingEnvironment(undefined=StrictUndefined, autoescape=True)
    env.filters.update(blocks=blocks_filter, euro=fmt.euro, number=fmt.number, date=fmt.date)
    return env


def render_document(template: Path, context: dict[str, Any], properties: dict[str, Any]) -> bytes:
    """Render one template to .docx bytes; raise TemplateProblem on a template mistake."""
    shown = _shown(template)
    try:
        doc = Template(str(template))
        doc.render(context, jinja_env=make_environment(), autoescape=True)
    except FileNotFoundError:
        raise TemplateProblem(Problem(shown, None, "", "template file is missing",
                                      "restore it from git or run 'make templates'")) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        if isinstance(exc, ValueError) and "docx" not in str(exc).lower():
            raise
        raise TemplateProblem(Problem(shown, None, "", "template is not a valid Word (.docx) file",
                                      "save it from Word or LibreOffice as .docx")) from None
    except SecurityError as exc:
        raise TemplateProblem(Problem(shown, None, "", f"the template tries something that is not "
                                      f"allowed: {exc}", "templates may only show data")) from None
    except UndefinedError as exc:
        raise TemplateProblem(Problem(
            shown, None, "", f"the template uses a value the data does not provide: {_undefined(exc)}",
            "check the spelling of the name between {{ }} in the template")) from None
    except TemplateSyntaxError as exc:
        raise TemplateProblem(Problem(
            shown, None, "", f"template tag is broken: {exc.message}; near: {_near(exc)}",
            "check that every {{ has a matching }}, every {% a matching %}, and that each "
            "{%p for %} has its {%p endfor %}")) from None
    except TemplateError as exc:
        raise TemplateProblem(Problem(shown, None, "", f"template error: {exc.message}")) from None
    except (TypeError, AttributeError) as exc:
        # A template expression applied to the wrong kind of value, e.g. a loop over a text.
        raise TemplateProblem(Problem(shown, None, "", f"template expression failed: {exc}",
                                      "check the names between {{ }} and {% %} in the template")) from None
    _set_properties(doc, properties)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _set_properties(doc: DocxTemplate, properties: dict[str, Any]) -> None:
    core = doc.core_properties
    for name, value in properties.items():
        setattr(core, name, value)


def _undefined(exc: UndefinedError) -> str:
    match = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", exc.message or "")
    return next((g for g in match.groups() if g), "") if match else (exc.message or "")


def _near(exc: TemplateSyntaxError) -> str:
    lines = [line.strip() for line in getattr(exc, "docx_context", []) if line.strip()]
    text = " / ".join(lines)
    return f"'{text[:300]}'" if text else "(no text)"


def _shown(template: Path) -> str:
    try:
        return str(template.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(template)
