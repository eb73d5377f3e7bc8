"""Render a docxtpl template in memory, safely.

Jinja runs sandboxed (a template cannot reach Python internals), with
autoescape (a `&` or `<` in the data cannot break the document's XML) and
StrictUndefined (a variable the context lacks is an error, not a blank).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage, RichTextParagraph
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from . import format as fmt
from .charts import Chart
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


def make_environment() -> SandboxedEnvironment:
    """The Jinja environment every template is rendered with."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    env.filters.update(blocks=blocks_filter, euro=fmt.euro, number=fmt.number, date=fmt.date)
    return env


def render_document(template: Path, context: dict[str, Any], properties: dict[str, Any]) -> bytes:
    """Render one template to .docx bytes; raise TemplateProblem on a template mistake."""
    shown = _shown(template)
    try:
        doc = DocxTemplate(str(template))
        doc.render(_with_images(doc, context), jinja_env=make_environment(), autoescape=True)
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
    _order_cell_properties(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


class AltTextImage(InlineImage):
    """docxtpl's InlineImage, with alternative text (docPr descr and title) for screen readers."""

    def __init__(self, tpl: DocxTemplate, chart: Chart) -> None:
        super().__init__(tpl, io.BytesIO(chart.png), width=Cm(chart.width_cm))
        self.alt_text, self.title = chart.alt_text, chart.title

    def _insert_image(self) -> str:
        inline = self.tpl.current_rendering_part.new_pic_inline(self.image_descriptor, self.width, self.height)
        doc_pr = inline.find(qn("wp:docPr"))
        doc_pr.set("descr", self.alt_text)
        doc_pr.set("title", self.title)
        return f'</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'


def _with_images(doc: DocxTemplate, value: Any) -> Any:
    """The context with every Chart replaced by an image docxtpl can place."""
    if isinstance(value, Chart):
        return AltTextImage(doc, value)
    if isinstance(value, dict):
        return {k: _with_images(doc, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_images(doc, v) for v in value]
    return value


# The order Word requires for the children of a table cell's properties (w:tcPr).
_TC_PR_ORDER = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
                "textDirection", "tcFitText", "vAlign", "hideMark"]


def _order_cell_properties(doc: DocxTemplate) -> None:
    # docxtpl's {% cellbg %} puts the shading first; Word expects it after the width.
    rank = {qn(f"w:{name}"): i for i, name in enumerate(_TC_PR_ORDER)}
    for tc_pr in doc.docx.element.body.iter(qn("w:tcPr")):
        children = list(tc_pr)
        ordered = sorted(children, key=lambda el: rank.get(el.tag, len(rank)))
        if ordered != children:
            for child in children:
                tc_pr.remove(child)
            tc_pr.extend(ordered)


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
