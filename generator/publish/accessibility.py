"""Accessibility checks of a built Word document (EN 301 549 / WCAG for office documents).

Each check returns a list of findings in plain words; an empty list means the document passes.
The tests run them on every document the pipeline builds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn as _qn
from docx.shared import RGBColor
from docx.styles.style import BaseStyle, CharacterStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from ..errors import Severity
from ..i18n import N_, _

LANGUAGE = "nl-NL"
MIN_CONTRAST = 4.5  # WCAG 2.1 AA, normal text
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
BLACK = RGBColor(0x00, 0x00, 0x00)
AMOUNT = re.compile(r"^€ ?(-|-?\d{1,3}(\.\d{3})*(,\d+)?)$")
HEADING = re.compile(r"^Heading (\d)$")
# Clark names are looked up tens of thousands of times per document.
qn = lru_cache(maxsize=None)(_qn)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RPR, _P, _R, _T, _TC = qn("w:rPr"), qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tc")
_TBL, _TR = qn("w:tbl"), qn("w:tr")
_SHD, _PSTYLE, _COLOR, _RSTYLE = qn("w:shd"), qn("w:pStyle"), qn("w:color"), qn("w:rStyle")
_TCPR, _PPR, _FILL, _VAL, _JC = qn("w:tcPr"), qn("w:pPr"), qn("w:fill"), qn("w:val"), qn("w:jc")


@lru_cache(maxsize=1024)  # a document has a handful of colour pairs and thousands of runs
def contrast(a: RGBColor, b: RGBColor) -> float:
    """WCAG contrast ratio of two colours, 1.0 to 21.0."""
    def luminance(colour: RGBColor) -> float:
        channels = [c / 255 for c in colour]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _style_chain(style: BaseStyle | None) -> list[BaseStyle]:
    chain = []
    while style is not None and style not in chain:
        chain.append(style)
        style = style.base_style  # type: ignore[attr-defined]
    return chain


def _style_colour(style: BaseStyle | None) -> RGBColor | None:
    for s in _style_chain(style):
        colour = s.font.color.rgb if s.font.color.type is not None else None  # type: ignore[attr-defined]
        if colour is not None:
            return colour
    return None


def _alignment(paragraph: Paragraph, style_id: str | None,
               by_style: dict[str | None, Any] | None = None) -> WD_ALIGN_PARAGRAPH | None:
    """The paragraph's alignment, its own or its style's; `style_id` is its w:pStyle (`CT_P.style`)."""
    if paragraph.paragraph_format.alignment is not None:
        return paragraph.paragraph_format.alignment
    return _style_alignment(paragraph, style_id, by_style)


def _style_alignment(paragraph: Paragraph, style_id: str | None,
                     by_style: dict[str | None, Any] | None = None) -> WD_ALIGN_PARAGRAPH | None:
    """The alignment a paragraph has from its style."""
    # A paragraph's style, and so what it inherits, depends only on its style ID: look it up once
    # per ID (python-docx finds a style by an XPath search over all styles, several per paragraph).
    if by_style is not None and style_id in by_style:
        return by_style[style_id]  # type: ignore[no-any-return]
    found = None
    for s in _style_chain(paragraph.style):
        alignment = s.paragraph_format.alignment  # type: ignore[attr-defined]
        if alignment is not None:
            found = alignment
            break
    if by_style is not None:
        by_style[style_id] = found
    return found  # type: ignore[no-any-return]


class _StyleColours:
    """What `_style_colour` gives for each style, from one pass over the styles (python-docx finds a
    style's base by an XPath search over all styles, for every style in every chain)."""

    def __init__(self, doc: DocumentObject) -> None:
        self.by_id: dict[str, Any] = {}
        for element in doc.styles.element.iterfind(qn("w:style")):
            style_id = element.get(qn("w:styleId"))
            if style_id is not None:
                self.by_id.setdefault(style_id, element)  # the first one, as python-docx's get_by_id

    def _base(self, element: Any) -> Any:
        based = element.find(qn("w:basedOn"))
        return self.by_id.get(based.get(qn("w:val"), "")) if based is not None else None

    def colour(self, element: Any) -> RGBColor | None:
        """The colour of the first style along `basedOn` that sets one (not 'auto'), as `_style_colour`."""
        chain: list[Any] = []
        while element is not None and not any(element is seen for seen in chain):
            chain.append(element)
            colour = element.find(f"{qn('w:rPr')}/{qn('w:color')}")
            # python-docx reads the first w:rPr and its first w:color, as find() does.
            value = colour.get(qn("w:val")) if colour is not None else None
            if value is not None and value != "auto":
                return RGBColor.from_string(value)
            element = self._base(element)
        return None


def check_language(doc: DocumentObject) -> list[str]:
    """The document language is nl-NL: in the properties and as the default of the text."""
    found = []
    if doc.core_properties.language != LANGUAGE:
        found.append(_("document language is '{found}', not {wanted}")
                     .format(found=doc.core_properties.language, wanted=LANGUAGE))
    lang = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    if lang is None or lang.get(qn("w:val")) != LANGUAGE:
        found.append(_("the default language of the text is not {wanted}").format(wanted=LANGUAGE))
    return found


def check_title(doc: DocumentObject) -> list[str]:
    """The document has a title in its properties (a PDF shows it instead of the file name)."""
    return [] if doc.core_properties.title.strip() else [_("the document has no title in its properties")]


def check_headings(doc: DocumentObject) -> list[str]:
    """Headings are real heading styles, start at level 1, skip no level, and are not empty."""
    found = []
    previous = 0
    # Style names looked up once (python-docx looks each paragraph's style up among all styles).
    names = {style.style_id: style.name or "" for style in doc.styles}
    default = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    for paragraph in doc.element.body.iterchildren(qn("w:p")):
        style_id = _value(paragraph, "w:pPr", "w:pStyle")
        match = HEADING.match(names.get(style_id, "") if style_id else (default.name or "") if default else "")
        if not match:
            continue
        level = int(match.group(1))
        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
        if not text.strip():
            found.append(_("empty Heading {level}").format(level=level))
        if level > previous + 1:
            found.append(_("'{text}' is Heading {level} after Heading {previous}: a level is skipped")
                         .format(text=text[:60], level=level, previous=previous))
        previous = level
    if previous == 0:
        found.append(_("the document has no headings"))
    return found


def check_tables(doc: DocumentObject) -> list[str]:
    """Every table has a header row marked as such (repeated on each page) and a caption."""
    found = []
    for number, tbl in enumerate(doc.element.body.iterchildren(_TBL), start=1):
        table = Table(tbl, doc)
        first = tbl.tr_lst[0] if tbl.tr_lst else None
        if first is None or first.trPr is None or first.trPr.find(qn("w:tblHeader")) is None:
            found.append(_("table {number} ({text}) has no marked header row").format(number=number,
                                                                                     text=_first_text(table)))
        if tbl.tblPr.find(qn("w:tblCaption")) is None:
            found.append(_("table {number} ({text}) has no caption (alternative title)")
                         .format(number=number, text=_first_text(table)))
    return found


def check_amounts_right_aligned(doc: DocumentObject) -> list[str]:
    """Table cells holding an amount are right-aligned."""
    by_style: dict[str | None, Any] = {}

    def misaligned(p: Any, parent: Any) -> str | None:
        """The amount a paragraph holds if it is not right-aligned."""
        # python-docx's paragraph.text, read directly where it is only the w:t of runs.
        text = (Paragraph(p, parent).text if _is_composite(p) else
                "".join(t.text or "" for r in p.iterchildren(_R) for t in r.iterchildren(_T))).strip()
        if not AMOUNT.match(text):
            return None
        # python-docx's paragraph_format.alignment and CT_P.style, read directly: the first w:pPr's
        # first w:jc (whose w:val is required) and w:pStyle.
        ppr = _first(p, _PPR)
        jc = _first(ppr, _JC) if ppr is not None else None
        alignment: WD_ALIGN_PARAGRAPH | None
        if jc is not None:
            alignment = WD_ALIGN_PARAGRAPH.from_xml(jc.get(_VAL))
        else:
            style = _first(ppr, _PSTYLE) if ppr is not None else None
            alignment = _style_alignment(Paragraph(p, parent), style.get(_VAL) if style is not None else None,
                                         by_style)
        return text if alignment != WD_ALIGN_PARAGRAPH.RIGHT else None

    # An amount begins with '€', which only a w:t text can hold: only the paragraphs of a table's cells
    # with such a text (one XPath in C finds them) are read. Every paragraph the walk below reads is one
    # of them, so when none is a misaligned amount (the rule) there is nothing to find.
    euro = _euro_cell_paragraphs(doc.element.body)
    if not any(misaligned(p, doc) for p in euro):
        return []
    # The cells as python-docx's row.cells gives them (a cell once per grid column it spans, a
    # vertically merged one as the cell it continues): each finding as often as a reader meets it.
    found = []
    euro_set = set(euro)
    euro_cells = {p.getparent() for p in euro}
    continued = set(_continued_cells(doc.element.body))
    for number, table in enumerate(doc.element.body.iterchildren(_TBL), start=1):
        parent = None
        for tr in table.iterchildren(_TR):
            for tc in tr.iterchildren(_TC):
                while tc in continued:
                    tc = _cell_above(tc)
                if tc not in euro_cells:
                    continue
                if parent is None:
                    parent = doc.tables[number - 1]
                for _column in range(tc.grid_span):
                    for p in tc.iterchildren(_P):
                        amount = misaligned(p, parent) if p in euro_set else None
                        if amount is not None:
                            found.append(_("table {number}: amount '{amount}' is not right-aligned")
                                         .format(number=number, amount=amount))
    return found


# Whether python-docx makes a paragraph's text from more than the w:t of its runs (links, tabs, breaks).
_is_composite = etree.XPath("boolean(w:hyperlink or w:r/*[not(self::w:rPr or self::w:t)])", namespaces={"w": W_NS})
# The cells whose first w:tcPr has a w:vMerge that continues the cell above (python-docx's tc.vMerge:
# the first w:vMerge, whose w:val is 'continue' when absent).
_continued_cells = etree.XPath(".//w:tc[w:tcPr[1]/w:vMerge[1][not(@w:val) or @w:val = 'continue']]",
                               namespaces={"w": W_NS})
# The paragraphs of the cells of the body's tables (not of tables inside cells) with a '€' in a text.
_euro_cell_paragraphs = etree.XPath("./w:tbl/w:tr/w:tc/w:p[.//w:t[contains(., '€')]]", namespaces={"w": W_NS})


def check_images(doc: DocumentObject) -> list[str]:
    """Every image or chart has alternative text."""
    found = []
    for part in {doc.part, *(rel.target_part for rel in doc.part.rels.values() if not rel.is_external)}:
        element = getattr(part, "element", None)
        if element is None:
            continue
        for properties in element.iter(qn("wp:docPr")):
            if not (properties.get("descr") or "").strip():
                found.append(_("image '{name}' has no alternative text").format(name=properties.get("name", "?")))
    return found


def check_contrast(doc: DocumentObject) -> list[str]:
    """All text has a contrast of at least 4.5:1 against its background."""
    # Read from the XML directly: through python-docx's objects (a style lookup per paragraph and
    # run) this took 2.5 s per document, and 30 s at 10x the actions.
    colours = _StyleColours(doc)
    # Styles with a base style (not numbering styles); python-docx's hasattr(style, "base_style") would
    # look the base up by an XPath search.
    styles = {style.style_id: colours.colour(style.element) for style in doc.styles
              if isinstance(style, CharacterStyle)}
    default = doc.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default_colour = colours.colour(default.element) if default is not None else None

    def paragraph_colour(style_id: str) -> RGBColor:
        return (styles.get(style_id) if style_id else default_colour) or BLACK

    roots = [doc.element.body] + [part.element for section in doc.sections
                                  for part in (section.header.part, section.footer.part)]
    found: set[str] = set()

    def check(paragraph: Any, runs: Iterable[Any]) -> None:
        # Each (paragraph, run) is judged as it always was; one judged twice adds nothing to the set.
        colour_of_paragraph = paragraph_colour(_value(paragraph, "w:pPr", "w:pStyle"))
        background = _background(paragraph)
        for run in runs:
            text = "".join(run.itertext(_T, with_tail=False))
            if not text.strip():
                continue
            rpr = run.find(_RPR)  # most runs have no properties of their own
            value = _value(run, "w:rPr", "w:color") if rpr is not None else ""
            run_style = _value(run, "w:rPr", "w:rStyle") if rpr is not None else ""
            colour = (RGBColor.from_string(value) if value and value != "auto" else None) \
                or (styles.get(run_style) if run_style else None) or colour_of_paragraph
            ratio = contrast(colour, background)
            if ratio < MIN_CONTRAST:
                found.add(_("text colour {colour} on {background} has contrast {ratio}:1 "
                            "(at least {minimum}:1 needed), e.g. '{text}'")
                          .format(colour=colour, background=background, ratio=f"{ratio:.1f}",
                                  minimum=MIN_CONTRAST, text=text[:40]))

    failing_on_white = sorted(style_id for style_id in {*styles, ""}
                              if contrast(paragraph_colour(style_id), WHITE) < MIN_CONTRAST)
    for root in dict.fromkeys(roots):
        # A paragraph's colour comes from its style and its background from its cell. A run without a
        # colour or character style of its own has its paragraph's colour, so such runs can only fail
        # in a paragraph whose colour fails on its background: one in a filled cell (few, judged one by
        # one), or one of a style whose colour fails on white. The runs that do have a colour or style
        # of their own (few) are judged one by one. One walk over the few property elements that say
        # so finds them all: no Python loop over every paragraph and run.
        filled, styled, coloured = _to_judge(root, {style_id for style_id in failing_on_white if style_id})
        for cell in filled:
            for paragraph in cell.iter(_P):
                if contrast(paragraph_colour(_value(paragraph, "w:pPr", "w:pStyle")),
                            _background(paragraph)) < MIN_CONTRAST:
                    check(paragraph, paragraph.iter(_R))
        for paragraph in styled + (_unstyled_paragraphs(root) if "" in failing_on_white else []):
            check(paragraph, paragraph.iter(_R))
        for run in coloured:
            for paragraph in run.iterancestors(_P):
                check(paragraph, [run])
    return sorted(found)


def _to_judge(root: Any, failing_styles: set[str]) -> tuple[list[Any], list[Any], list[Any]]:
    """The cells with a fill (not 'auto'), the paragraphs of `failing_styles`, both as `_value` reads
    them (the first w:tcPr/w:shd, the first w:pPr/w:pStyle), and the runs with a w:color or w:rStyle
    in a w:rPr (a superset: any w:rPr counts, not only the first), each in document order.

    One walk over the w:shd, w:pStyle, w:color and w:rStyle elements (lxml's iter() with their
    tags, in C): a third of the time of one XPath search for each."""
    filled: list[Any] = []
    styled: list[Any] = []
    coloured: dict[Any, None] = {}
    for element in root.iter(_SHD, _PSTYLE, _COLOR, _RSTYLE):
        properties = element.getparent()
        holder = properties.getparent() if properties is not None else None
        if holder is None:
            continue
        tag = element.tag
        if tag == _SHD:
            if (holder.tag == _TC and properties.tag == _TCPR and element.get(_FILL) not in (None, "", "auto")
                    and _first(holder, _TCPR) is properties and _first(properties, _SHD) is element):
                filled.append(holder)
        elif tag == _PSTYLE:
            if (element.get(_VAL) in failing_styles and holder.tag == _P and properties.tag == _PPR
                    and _first(holder, _PPR) is properties and _first(properties, _PSTYLE) is element):
                styled.append(holder)
        elif holder.tag == _R and properties.tag == _RPR:
            coloured[holder] = None
    return filled, styled, list(coloured)


def _first(element: Any, tag: str) -> Any:
    return next(element.iterchildren(tag), None)


_unstyled_paragraphs = etree.XPath(".//w:p[string(w:pPr[1]/w:pStyle[1]/@w:val) = '']", namespaces={"w": W_NS})


def _background(paragraph: Any) -> RGBColor:
    """The fill of the table cell a paragraph is in (white outside tables)."""
    cell = next(paragraph.iterancestors(_TC), None)
    fill = _value(cell, "w:tcPr", "w:shd", "w:fill") if cell is not None else ""
    return RGBColor.from_string(fill) if fill and fill != "auto" else WHITE


def _cell_above(tc: Any) -> Any:
    """The cell above `tc` in its grid column (what python-docx's row.cells gives for a continued merge)."""
    row = tc.getparent().getprevious()
    while row is not None and row.tag != _TR:
        row = row.getprevious()
    if row is None:
        raise ValueError("a merged cell continues a cell above the first row")  # as python-docx, which row.cells calls
    return row.tc_at_grid_offset(tc.grid_offset)


def _value(element: Any, properties: str, child: str, attribute: str = "w:val") -> str:
    """`element/properties/child/@attribute` of the first of each, or ''.

    The first child of a name by `_first`: what find() gives, cheaper (find() parses its path each
    time; at 10x the actions the contrast check took 0.33 s with find(), 0.26 s without)."""
    found = _first(element, qn(properties))
    found = _first(found, qn(child)) if found is not None else None
    return (found.get(qn(attribute)) or "") if found is not None else ""


def _first_text(table: Table) -> str:
    return table.rows[0].cells[0].text.strip()[:40] if table.rows else _("empty")


CHECKS = (check_language, check_title, check_headings, check_tables, check_amounts_right_aligned,
          check_images, check_contrast)


# How to repair each kind of finding in Word, for the messages of `make check` and the build.
HINTS = {
    "check_language": N_("set the language of the Normal style to Dutch (Netherlands)"),
    "check_title": N_("run 'make templates', or set File > Properties > Title"),
    "check_headings": N_("use the styles Heading 1, 2, 3 in order"),
    "check_tables": N_("in Word: Table Properties > Row > 'Repeat as header row at the top of each page', and "
                       "Table Properties > Alt Text > Title"),
    "check_amounts_right_aligned": N_("use the style Tabelbedrag for amounts"),
    "check_images": N_("in Word: right-click the image > Edit Alt Text"),
    "check_contrast": N_("use the house colours (see README, 'Changing the house style')"),
}


# Findings about the document as a whole; the others point at one table, image or text.
WHOLE_DOCUMENT = ("check_language", "check_headings")


def check_document(doc: DocumentObject) -> list[tuple[str, str, Severity]]:
    """Every accessibility finding for a document (python-docx, e.g. in memory before it is saved),
    with how to repair it and its severity; empty when it passes."""
    return [(finding, _(HINTS[check.__name__]), "warning" if check.__name__ in WHOLE_DOCUMENT else "error")
            for check in CHECKS for finding in check(doc)]
