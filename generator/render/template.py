"""Render a docxtpl template in memory, safely.

Jinja runs sandboxed (a template cannot reach Python internals), with
autoescape (a `&` or `<` in the data cannot break the document's XML) and
StrictUndefined (a variable the context lacks is an error, not a blank).
"""

from __future__ import annotations

import contextvars
import html
import io
import itertools
import json
import marshal
import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from types import CodeType
from typing import Any

import markupsafe
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm
from docxtpl import DocxTemplate, RichTextParagraph
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError
from lxml import etree

from .. import format as fmt
from ..cache import NO_CACHE, Cache
from ..content.charts import Chart
from ..errors import GeneratorError, Problem, UserError, did_you_mean
from ..i18n import _
from ..source.load import display_path
from .action import ActionRenderer, action_link, action_links
from .layout import fit_tables
from .markers import bookmark_xml, strip_marks, unmarked
from .sandbox import BudgetedEnvironment, BudgetExceeded

# Paragraph style IDs of running text; the templates define these styles.
BLOCK_STYLES = {"paragraph": None, "bullets": "ListBullet", "numbered": "ListNumber"}


class TemplateProblem(UserError):
    """A template could not be rendered; carries a located problem."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.format())


class TextLost(GeneratorError):
    """A text from the data is missing from the rendered document: a bug, never the user's mistake."""


# The texts from the data that the template printed, in order, during the current render.
_PRINTED: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("printed", default=None)


class DataText(str):
    """A text from the data; notes when the template prints it, for the check after rendering."""

    __slots__ = ()

    def __html__(self) -> str:
        # Jinja's autoescape calls this for every `{{ value }}`: record, then escape as usual.
        _note(self)
        return str(markupsafe.escape(str(self)))


def _note(text: str) -> None:
    printed = _PRINTED.get()
    if printed is not None:
        printed.append(str(text))


def blocks_filter(blocks: Iterable[dict[str, Any]]) -> RichTextParagraph:
    """Running text (paragraphs and lists) as Word paragraphs, for `{{p x|blocks }}`."""
    out = RichTextParagraph()
    for block in blocks:
        style = BLOCK_STYLES[block["kind"]]
        for text in block["items"] if "items" in block else [block["text"]]:
            _note(text)
            out.add(str(text), parastyle=style)
    return out


class CachingEnvironment(BudgetedEnvironment):
    """The sandboxed environment with a work budget (sandbox.py), keeping compiled template code in the cache (`store`).

    Compiling a document's Jinja code takes about as long as rendering it, and docxtpl compiles
    from a string each time (Jinja's own bytecode cache only serves templates from a loader).
    The key covers the template text and the environment's settings (and, as every key, the code
    and the Jinja and Python versions), so a changed template or setting is compiled afresh; an
    unreadable cache entry is ignored and rewritten.
    """

    store: Cache = NO_CACHE

    def compile(self, source: Any, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer_init: bool = False) -> Any:
        if raw or defer_init or not isinstance(source, str) or self.store.folder is None:
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
        key = self.store.key("jinja", repr(self.autoescape), getattr(self.undefined, "__qualname__", ""),
                             ",".join(sorted(self.filters)), name or "", filename or "", source)
        stored = self.store.read("templates", key)
        if stored is not None:
            try:
                code = marshal.loads(stored)
                if isinstance(code, CodeType):
                    return code
            except (ValueError, EOFError, TypeError):
                pass
        code = super().compile(source, name, filename, raw, defer_init)
        self.store.write("templates", key, marshal.dumps(code))
        return code


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# What docxtpl's resolve_listing looks for, and where (its own innermost pattern).
_LISTING_CHAR = re.compile("[\t\a\n\f]")
_RUN_TEXT = re.compile(r"<w:t(?: [^>]*)?>.*?</w:t>", re.DOTALL)


class Template(DocxTemplate):
    """docxtpl's template, with the rendered body moved into the document in linear time."""

    store: Cache = NO_CACHE

    def patch_xml(self, src_xml: str) -> str:
        # docxtpl's clean-up of the template XML (a pure function of it) takes about as long as
        # rendering a small document; keep its result in the cache.
        key = self.store.key("patched", src_xml)
        stored = self.store.read("templates", key)
        if stored is not None:
            return stored.decode("utf-8")
        xml = str(super().patch_xml(src_xml))
        self.store.write("templates", key, xml.encode("utf-8"))
        return xml

    def build_xml(self, context: Any, jinja_env: Any = None) -> str:
        token = _IN_BODY.set(True)
        try:
            xml = str(super().build_xml(context, jinja_env))
        finally:
            _IN_BODY.reset(token)
        # The field marks become bookmarks in the XML text, before docxtpl parses it (markers.py).
        xml = bookmark_xml(xml)
        return xml

    def render_xml_part(self, src_xml: str, part: Any, context: Any, jinja_env: Any = None) -> str:
        # Headers, footers and footnotes show no field a reviewer takes back: their marks are removed.
        xml = str(super().render_xml_part(src_xml, part, context, jinja_env))
        return xml if _IN_BODY.get() else strip_marks(xml)

    def render_properties(self, context: Any, jinja_env: Any = None) -> None:
        # A document property printed from the data (the title) carries no marks either.
        super().render_properties(context, jinja_env)
        core = self.docx.core_properties
        for name in ("author", "comments", "identifier", "language", "subject", "title"):
            value = getattr(core, name)
            if value:
                setattr(core, name, strip_marks(value))

    def resolve_listing(self, xml: str) -> str:
        # docxtpl turns a tab, newline, bell or form feed inside the text of a run (<w:t>) into
        # Word's tab, line break, paragraph or page break, with three nested regular-expression
        # passes over every paragraph: a tenth of a build. It changes nothing when no text holds
        # one of them, which is the rule for our data; only then is it skipped. Every text docxtpl
        # looks at is the end of one of the <w:t> matches scanned here, so none is missed.
        if _LISTING_CHAR.search(xml) and any(
                _LISTING_CHAR.search(m.group(0)) for m in _RUN_TEXT.finditer(xml)):
            return str(super().resolve_listing(xml))
        return xml

    def fix_tables(self, xml: str) -> Any:
        # docxtpl parses the rendered body in lxml's recover mode, which silently repairs what is
        # not well-formed XML: one control character in the data used to make every '&' after it
        # disappear. Parse strictly; docxtpl's table fix-up (only needed when a {%tc %} loop changed
        # the number of columns) then reads XML that is known to be well-formed, so it repairs nothing.
        tree = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(recover=False, huge_tree=True))
        return super().fix_tables(xml) if _tables_need_fixing(tree) else tree

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


def make_environment(store: Cache = NO_CACHE) -> CachingEnvironment:
    """The Jinja environment every template is rendered with (compiled code kept in `store`)."""
    env = CachingEnvironment(undefined=StrictUndefined, autoescape=True)
    env.store = store
    env.add_filters(blocks=blocks_filter, euro=fmt.euro, number=fmt.number, date=fmt.date,
                    action=ActionRenderer(),  # one rendering of an action for all three documents
                    action_link=action_link, action_links=action_links)
    return env


def _tables_need_fixing(tree: Any) -> bool:
    """Whether a table's rows have more or fewer cells than its grid has columns (docxtpl's test)."""
    for table in tree.iter(qn("w:tbl")):
        grid = table.find(qn("w:tblGrid"))
        columns = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
        widest = 0
        for row in table.iter(qn("w:tr")):
            cells = row.findall(qn("w:tc"))
            if len(cells) > columns:
                return True
            spans = [c.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}") for c in cells]
            widest = max(widest, sum(int(s.get(qn("w:val"), 1)) if s is not None else 1 for s in spans))
        if columns > widest:
            return True
    return False


def render_document(template: Path, context: dict[str, Any], properties: dict[str, Any],
                    finish: Callable[[Any], None] | None = None, store: Cache = NO_CACHE) -> bytes:
    """Render one template to .docx bytes; raise TemplateProblem on a template mistake.

    `finish` is given the python-docx document in memory last, before it is saved (the
    accessibility check). Compiled template code and charts are kept in `store`.
    """
    shown = display_path(template)
    doc = _open(template, store)
    printed: list[str] = []
    placed: list[str] = []
    prepared = template_context(doc, context, placed, store)
    token = _PRINTED.set(printed)
    try:
        doc.render(prepared, jinja_env=make_environment(store), autoescape=True)
    except BudgetExceeded as exc:
        raise TemplateProblem(Problem(shown, None, _where(doc, exc), exc.message or "",
                                      _("remove this loop or expression from the template"))) from None
    except (RecursionError, OverflowError) as exc:
        what = (_("a macro calls itself without end") if isinstance(exc, RecursionError)
                else _("a range() of more than 100,000 numbers") if "Range too big" in str(exc)
                else _("a number is too large ({detail})").format(detail=exc))
        raise TemplateProblem(Problem(shown, None, _where(doc, exc), _("template error: {detail}").format(detail=what),
                                      _("remove this expression from the template"))) from None
    except SecurityError as exc:
        raise TemplateProblem(Problem(
            shown, None, _where(doc, exc),
            _("the template tries something that is not allowed ({detail})").format(detail=exc),
            _("templates may only show data: remove this expression"))) from None
    except UndefinedError as exc:
        raise TemplateProblem(Problem(
            shown, None, _where(doc, exc),
            _("the template uses '{name}', which the data does not provide").format(name=_undefined(exc)),
            _("check the spelling of the name between {braces} in the template").format(braces="{{ }}"))) from None
    except TemplateSyntaxError as exc:
        lines = _part_lines(doc, doc.current_rendering_part)
        raise TemplateProblem(_syntax_problem(shown, exc, lines)) from None
    except TemplateError as exc:
        raise TemplateProblem(Problem(shown, None, _where(doc, exc),
                                      _("template error: {detail}").format(detail=exc.message),
                                      _("check the tags between {braces} and {tags}").format(braces="{{ }}",
                                                                                            tags="{% %}"))) from None
    except (TypeError, AttributeError) as exc:
        # A template expression applied to the wrong kind of value, e.g. a loop over a number.
        raise TemplateProblem(Problem(shown, None, _where(doc, exc),
                                      _("template expression failed: {detail}").format(detail=exc),
                                      _("check the names between {braces} and {tags} in the template")
                                      .format(braces="{{ }}", tags="{% %}"))) from None
    except etree.XMLSyntaxError:
        raise TemplateProblem(Problem(shown, None, "", _("the template produced invalid Word XML"),
                                      _("a tag probably spans several paragraphs or table cells"))) from None
    finally:
        _PRINTED.reset(token)
    _drop_unused(doc, placed)
    check_text_kept(doc, printed, shown)
    _set_properties(doc, properties)
    _order_cell_properties(doc)
    fit_tables(doc.docx)  # columns as wide as their longest word or amount needs
    if finish is not None:
        finish(doc.docx)
    buffer = io.BytesIO()
    doc.save(buffer)
    _free(doc)
    return buffer.getvalue()


def _free(doc: DocxTemplate) -> None:
    """Free the document's XML trees now.

    python-docx's parts refer to each other (a part to its package and back), so without this the
    trees stay in memory until Python's garbage collector finds the cycle: at 100x the actions
    hundreds of MB per document, kept while the next one is rendered. A full collection found them
    too, at 0.1 s per document at 10x the actions; emptying each tree (lxml frees the elements no
    Python object refers to) costs nothing more than the freeing itself.
    """
    for part in doc.docx.part.package.iter_parts():
        element = getattr(part, "element", None)  # an XML part's root; pictures are bytes
        if element is not None:
            element.clear()


# Whether the body is being rendered: a chart's picture is a relationship of the body, so it is placed only there.
_IN_BODY: contextvars.ContextVar[bool] = contextvars.ContextVar("in_body", default=False)


class PlacedImage:
    """A chart as a template sees it: the Word XML that shows it, and nothing else.

    The picture is added to the document before rendering; the template gets no document, template,
    file or renderer object through it (docxtpl's InlineImage carries the whole template).
    """

    __slots__ = ("_xml",)
    _xml: str

    def __init__(self, xml: str) -> None:
        object.__setattr__(self, "_xml", xml)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(name)

    def __html__(self) -> str:
        if not _IN_BODY.get():
            raise TemplateError(_("a chart can only be placed in the body of a document, not in a header or footer"))
        return self._xml

    def __str__(self) -> str:
        return ""


def template_context(doc: DocxTemplate, context: dict[str, Any], placed: list[str],
                     store: Cache = NO_CACHE) -> dict[str, Any]:
    """The context a template sees: plain data, every text a DataText, every Chart placed as a PlacedImage.

    `placed` collects the relationship ids of the pictures added, so unused ones can be removed.
    """
    return {key: _prepared(doc, value, placed, store) for key, value in context.items()}


def _prepared(doc: DocxTemplate, value: Any, placed: list[str], store: Cache) -> Any:
    if isinstance(value, str):
        return value if type(value) is not str else DataText(value)
    if isinstance(value, Chart):
        return _place(doc, value, placed, store)
    if isinstance(value, dict):
        return {k: _prepared(doc, v, placed, store) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_prepared(doc, v, placed, store) for v in value]
    return value


def _place(doc: DocxTemplate, chart: Chart, placed: list[str], store: Cache) -> PlacedImage:
    """Add the chart's picture to the document body; the XML that shows it, with its alternative text."""
    part = doc.docx.part
    rid, image = part.get_or_add_image(io.BytesIO(chart.png(store)))
    placed.append(rid)
    width, height = image.scaled_dimensions(Cm(chart.width_cm), None)
    inline = CT_Inline.new_pic_inline(part.next_id, rid, image.filename, width, height)
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("descr", chart.alt_text)
    doc_pr.set("title", chart.title)
    return PlacedImage(f'</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">')


def _drop_unused(doc: DocxTemplate, placed: list[str]) -> None:
    """Remove the pictures of charts the template did not print."""
    part = doc.docx.part
    used = set(part.element.xpath("//@r:embed"))
    for rid in dict.fromkeys(placed):
        if rid not in used:
            part.rels.pop(rid)


_W_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}
# docxtpl turns a tab or line break in the data into <w:tab/> or <w:br/>, and XML turns a carriage
# return into a line feed: compare texts with every such run of white space as one line break.
_BREAKS = re.compile(r"[\t\n\r]+")


def _paragraph_texts(root: Any) -> Iterable[str]:
    for paragraph in root.iter(qn("w:p")):
        yield "".join((el.text or "") if (mark := _W_TEXT[el.tag]) is None else mark
                      for el in paragraph.iter(*_W_TEXT))


def check_text_kept(doc: DocxTemplate, printed: list[str], shown: str) -> None:
    """Every text from the data the template printed is in the rendered document, character for character.

    A safety net: a library that silently repairs or drops characters (as lxml's recover mode did)
    is caught here instead of publishing a changed text.
    """
    if not printed:
        return
    roots = [doc.docx.element.body] + [part.element for part in _parts(doc)[1:] if hasattr(part, "element")]
    paragraphs = [_BREAKS.sub("\n", t) for root in roots for t in _paragraph_texts(root)]
    text = "\n".join(paragraphs)
    whole = set(paragraphs)
    verified: set[str] = set()
    elsewhere: dict[str, str] = {}  # the texts no paragraph shows: the wanted text, the value it is from
    position = 0
    for value in printed:
        wanted = _BREAKS.sub("\n", unmarked(value)).strip("\n")
        if not wanted or wanted in verified:
            continue
        verified.add(wanted)
        # Texts are printed in document order: look a little ahead of the last one first (a common
        # word found far ahead would make the texts in between look missing), then anywhere.
        found = text.find(wanted, position, position + _LOOK_AHEAD + len(wanted))
        if found >= 0:
            position = found
        elif wanted not in whole and wanted not in text:
            elsewhere[wanted] = value
    missing = _not_in_markup(doc, roots, elsewhere)
    if missing:
        raise TextLost(_("{file}: a text from the source is missing from the rendered document: {text}. "
                         "This is a bug in the generator: nothing was written")
                       .format(file=shown, text=_quote(_visible(missing[0]))))


_LOOK_AHEAD = 5000


def _visible(text: str) -> str:
    """Control characters written as \\xNN, so the message shows them."""
    return re.sub(r"[\x00-\x1f]", lambda m: f"\\x{ord(m.group()):02x}", text)


def _not_in_markup(doc: DocxTemplate, roots: list[Any], wanted: dict[str, str]) -> list[str]:
    """The values of `wanted` (text -> value) whose text is neither in a document property nor anywhere
    in the parts' XML (an attribute such as a cell's fill colour, a field code), as it is stored.

    Each part is serialised one child at a time, and only until every text is found: serialising a
    whole body at once held its XML twice in memory (140 MB more at the peak of the voortgangsrapportage
    at 100x the actions).
    """
    left = dict(wanted)
    core = doc.docx.core_properties
    properties = (str(getattr(core, name) or "") for name in
                  ("author", "comments", "identifier", "language", "subject", "title", "keywords", "category"))
    pieces = (piece for root in roots
              for piece in itertools.chain([" ".join(root.attrib.values()), root.text or ""],
                                           (etree.tostring(child, encoding="unicode") for child in root)))
    for piece in itertools.chain(properties, pieces):
        if not left:
            break
        piece = _BREAKS.sub("\n", html.unescape(piece))
        for found in [text for text in left if text in piece]:
            del left[found]
    return list(left.values())


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


def check_template(template: Path, context: dict[str, Any] | None, store: Cache = NO_CACHE) -> list[Problem]:
    """Mistakes in a template found without rendering it: broken, split or misquoted tags, unknown names.

    Without a context (the source has errors) the names the template uses are not checked. A
    template that passed is remembered in `store` with the names it uses (parsing it to check it
    takes as long as rendering it), keyed by its bytes.
    """
    shown = display_path(template)
    key = _check_key(template, store)
    cached = _cached_names(key, store)
    if cached is not None:
        names = cached
    else:
        try:
            doc = _open(template, store)
        except TemplateProblem as exc:
            return [exc.problem]
        env = make_environment(store)
        problems: list[Problem] = []
        for part in _parts(doc):
            found = _paragraph_problems(shown, part)
            if not found:
                lines = _part_lines(doc, part)
                try:
                    env.parse("\n".join(lines))
                except TemplateSyntaxError as exc:
                    found.append(_syntax_problem(shown, exc, lines))
            problems.extend(found)
        if problems:
            return problems
        names = set(doc.get_undeclared_template_variables(env))
        if key:
            store.write("templates", key, json.dumps(sorted(names)).encode("utf-8"))
    if context is None:
        return []
    return [Problem(shown, None, "",
                    _("the template uses '{name}', which the data does not provide").format(name=name),
                    did_you_mean(name, context)
                    or _("names the data provides: {names}").format(names=", ".join(context)))
            for name in sorted(names - set(context))]


def _check_key(template: Path, store: Cache) -> str | None:
    if store.folder is None:
        return None
    try:
        data = template.read_bytes()
    except OSError:
        return None
    return store.key("names", data)


def _cached_names(key: str | None, store: Cache) -> set[str] | None:
    stored = store.read("templates", key) if key else None
    if stored is None:
        return None
    try:
        names = json.loads(stored)
    except ValueError:
        return None
    return set(names) if isinstance(names, list) and all(isinstance(n, str) for n in names) else None


def _open(template: Path, store: Cache = NO_CACHE) -> Template:
    shown = display_path(template)
    if not template.is_file():
        raise TemplateProblem(Problem(shown, None, "", _("template file is missing"),
                                      _("restore it from git or run 'make templates'")))
    doc = Template(str(template))
    doc.store = store
    try:
        doc.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError, PackageNotFoundError):
        raise TemplateProblem(Problem(shown, None, "", _("template is not a valid Word (.docx) file"),
                                      _("save it from Word or LibreOffice as .docx"))) from None
    return doc


def _parts(doc: DocxTemplate) -> list[Any]:
    """The parts docxtpl renders: the body, then every header and footer."""
    rels = doc.docx.part.rels.values()
    return [doc.docx.part] + [rel.target_part for rel in rels
                              if rel.reltype in (doc.HEADER_URI, doc.FOOTER_URI)]


def _part_xml(doc: DocxTemplate, part: Any) -> str:
    return str(doc.get_xml() if part is doc.docx.part else doc.get_part_xml(part))


def _part_lines(doc: DocxTemplate, part: Any) -> list[str]:
    """The XML Jinja sees for one part, one paragraph per line, as docxtpl numbers it."""
    xml = doc.patch_xml(_part_xml(doc, part or doc.docx.part))
    return str(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)).splitlines()


_TAG_PAIRS = (("{{", "}}"), ("{%", "%}"), ("{#", "#}"))
_CURLY = "“”‘’„‚"


def _paragraph_problems(shown: str, part: Any) -> list[Problem]:
    """Tags that begin in one paragraph and end in another, and tags with curly quotes."""
    problems = []
    root = etree.fromstring(part.blob)
    for paragraph in root.iter(qn("w:p")):
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        for opener, closer in _TAG_PAIRS:
            opened, closed = text.count(opener), text.count(closer)
            if opened != closed:
                what = (_("a tag begins with '{opener}' in this paragraph but does not end in it")
                        .format(opener=opener) if opened > closed else
                        _("a tag ends with '{closer}' in this paragraph but does not begin in it")
                        .format(closer=closer))
                problems.append(Problem(shown, None, _paragraph_field(text), what,
                                        _("type the whole tag {opener} ... {closer} in one paragraph, without "
                                          "pressing Enter inside it").format(opener=opener, closer=closer)))
                break
        for tag in re.findall(r"\{[{%#].*?[}%#]\}", text):
            if any(c in tag for c in _CURLY):
                problems.append(Problem(shown, None, _paragraph_field(text),
                                        _("the tag {tag} contains curly quotes").format(tag=tag),
                                        _("retype the quotes inside the tag as straight quotes (' or \"); "
                                          "Word's AutoCorrect 'smart quotes' makes them curly")))
    return problems


def _syntax_problem(shown: str, exc: TemplateSyntaxError, lines: list[str]) -> Problem:
    lineno, message = exc.lineno, exc.message or _("invalid tag")  # else Jinja's own English words
    unclosed = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if unclosed:
        lineno = _unclosed_block(lines) or lineno
        message = _("'{tag}' is never closed with '{end_tag}'").format(
            tag=f"{{% {unclosed.group(1)} %}}", end_tag=f"{{% end{unclosed.group(1)} %}}")
    text = _paragraph(lines, lineno)
    return Problem(shown, None, _paragraph_field(text) if text else "",
                   _("template tag is broken: {detail}").format(detail=message),
                   _("check that every {open} has a matching {close}, every {open_tag} a matching {close_tag}, "
                     "and that each {for_tag} has its {endfor_tag} and each {if_tag} its {endif_tag}")
                   .format(open="{{", close="}}", open_tag="{%", close_tag="%}", for_tag="{%p for %}",
                           endfor_tag="{%p endfor %}", if_tag="{%p if %}", endif_tag="{%p endif %}"))


def _paragraph_field(text: str) -> str:
    """'paragraph "..."': where in a template a problem is."""
    return _("paragraph {text}").format(text=_quote(text))


_BLOCK_TAGS = ("for", "if", "macro", "call", "filter", "with", "block", "raw")


def _unclosed_block(lines: list[str]) -> int | None:
    """Line of the block tag ({% for %}, {% if %}) that is never closed."""
    stack: list[tuple[str, int]] = []
    for number, line in enumerate(lines, start=1):
        for word in re.findall(r"\{%-?\s*(?:p|tr|tc|r)?\s+(\w+)|\{%-?(\w+)", line):
            name = word[0] or word[1]
            if name in _BLOCK_TAGS:
                stack.append((name, number))
            elif name.startswith("end") and stack and stack[-1][0] == name[3:]:
                stack.pop()
    return stack[-1][1] if stack else None


def _paragraph(lines: list[str], lineno: int | None) -> str:
    if not lineno or not 0 < lineno <= len(lines):
        return ""
    return html.unescape(re.sub(r"<[^>]+>", "", lines[lineno - 1])).strip()


def _quote(text: str) -> str:
    return f'"{text[:150]}{"..." if len(text) > 150 else ""}"'


def _where(doc: DocxTemplate, exc: BaseException) -> str:
    """'paragraph "..."' for an error raised while rendering, if Jinja tells the line; else ''."""
    lineno = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    try:
        text = _paragraph(_part_lines(doc, doc.current_rendering_part), lineno)
    except Exception:  # locating is a courtesy; the error itself is what matters
        text = ""
    return _paragraph_field(text) if text else ""


def _set_properties(doc: DocxTemplate, properties: dict[str, Any]) -> None:
    core = doc.core_properties
    for name, value in properties.items():
        setattr(core, name, value)


def _undefined(exc: UndefinedError) -> str:
    match = re.search(r"'([^']+)' is undefined|has no attribute '([^']+)'", exc.message or "")
    return next((g for g in match.groups() if g), "") if match else (exc.message or "")


