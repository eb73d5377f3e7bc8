"""Table columns sized from their content, so no word is broken inside a cell and no amount wraps.

After rendering, every table of a document gets column widths measured from what its cells
hold, with the house font's real metrics (`fontmetrics`): each column is at least as wide as its
longest word (an amount, "€ 5.953.678", counts as one word) plus the cell's margins, and the
rest of the text width is shared out in proportion to how much longer each column's text is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from docx.oxml.ns import qn as _qn

from .fontmetrics import text_width

qn = lru_cache(maxsize=None)(_qn)  # Clark names are looked up hundreds of thousands of times
_PPR, _PSTYLE, _VAL, _R, _T, _RPR = qn("w:pPr"), qn("w:pStyle"), qn("w:val"), qn("w:r"), qn("w:t"), qn("w:rPr")
_SZ, _B, _I, _IND, _P = qn("w:sz"), qn("w:b"), qn("w:i"), qn("w:ind"), qn("w:p")
_TR, _TC, _TCPR, _GRID_SPAN, _TCW = qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:gridSpan"), qn("w:tcW")
_GRID, _GRID_COL, _W, _TYPE = qn("w:tblGrid"), qn("w:gridCol"), qn("w:w"), qn("w:type")
_TBL, _LEFT, _START, _HYPERLINK = qn("w:tbl"), qn("w:left"), qn("w:start"), qn("w:hyperlink")

TWIPS_PER_POINT = 20
_WORDS = re.compile(r"(\s+)")
AMOUNT = re.compile(r"^€ (-|-?\d{1,3}(\.\d{3})*)$")  # fmt.euro: never broken between € and the number
# LibreOffice's and Word's line breaking can differ from the sum of advance widths by rounding; a
# column gets this much room more than its longest word (points), and the cell borders.
SAFETY = 2.0
DEFAULT_CELL_MARGINS = 216  # twips, left + right: Word's and the house style's table default (0.19 cm each)


@dataclass
class _Font:
    size: float = 11.0
    bold: bool = False
    italic: bool = False


@dataclass
class _ParagraphStyle:
    based_on: str | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    indent: float | None = None  # points
    num_id: str | None = None


@dataclass
class _Styles:
    """The paragraph styles of a document, resolved along `basedOn`, and the list indents."""

    default: _Font
    styles: dict[str, _ParagraphStyle]
    default_style: str | None
    list_indents: dict[str, float] = field(default_factory=dict)

    resolved: dict[str | None, tuple[_Font, float]] = field(default_factory=dict)

    def paragraph(self, style_id: str | None) -> tuple[_Font, float]:
        # Resolved once per style: a document has thousands of paragraphs and a few dozen styles.
        # The font is only read by the caller, so the same one is handed out each time.
        found = self.resolved.get(style_id)
        if found is None:
            found = self.resolved[style_id] = self._resolve(style_id)
        return found

    def _resolve(self, style_id: str | None) -> tuple[_Font, float]:
        font = _Font(self.default.size, self.default.bold, self.default.italic)
        indent = 0.0
        chain = []
        current = style_id or self.default_style
        while current and current in self.styles and current not in chain:
            chain.append(current)
            current = self.styles[current].based_on
        num_id = None
        for name in reversed(chain):
            style = self.styles[name]
            font.size = style.size if style.size is not None else font.size
            font.bold = style.bold if style.bold is not None else font.bold
            font.italic = style.italic if style.italic is not None else font.italic
            indent = style.indent if style.indent is not None else indent
            num_id = style.num_id or num_id
        if num_id:
            indent = max(indent, self.list_indents.get(num_id, 0.0))
        return font, indent


def _on(element: Any) -> bool:
    return element.get(qn("w:val"), "true") not in ("0", "false", "off")


def _run_properties(rpr: Any, font: _Font) -> _Font:
    if rpr is None:
        return font  # only read: no copy needed
    # The first w:sz, w:b and w:i, from one pass over the few children (a find() each costs more).
    size = bold = italic = None
    for child in rpr:
        tag = child.tag
        if tag == _SZ:
            size = child if size is None else size
        elif tag == _B:
            bold = child if bold is None else bold
        elif tag == _I:
            italic = child if italic is None else italic
    return _font(font, size, bold, italic)


def _font(font: _Font, size: Any, bold: Any, italic: Any) -> _Font:
    """`font` changed by a run's w:sz, w:b and w:i (each may be None)."""
    out = _Font(font.size, font.bold, font.italic)
    if size is not None:
        out.size = int(size.get(_VAL)) / 2
    if bold is not None:
        out.bold = _on(bold)
    if italic is not None:
        out.italic = _on(italic)
    return out


def read_styles(document: Any) -> _Styles:
    """The document's paragraph styles and list indents, for measuring its paragraphs."""
    root = document.styles.element
    default = _run_properties(root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"), _Font())
    styles: dict[str, _ParagraphStyle] = {}
    default_style = None
    for element in root.iterfind(qn("w:style")):
        if element.get(qn("w:type")) != "paragraph":
            continue
        style_id = element.get(qn("w:styleId"))
        if element.get(qn("w:default")) in ("1", "true"):
            default_style = style_id
        based = element.find(qn("w:basedOn"))
        style = _ParagraphStyle(based.get(qn("w:val")) if based is not None else None)
        rpr = element.find(qn("w:rPr"))
        if rpr is not None:
            size = rpr.find(qn("w:sz"))
            style.size = int(size.get(qn("w:val"))) / 2 if size is not None else None
            bold, italic = rpr.find(qn("w:b")), rpr.find(qn("w:i"))
            style.bold = _on(bold) if bold is not None else None
            style.italic = _on(italic) if italic is not None else None
        ppr = element.find(qn("w:pPr"))
        if ppr is not None:
            style.indent = _indent(ppr)
            num = ppr.find(f"{qn('w:numPr')}/{qn('w:numId')}")
            style.num_id = num.get(qn("w:val")) if num is not None else None
        styles[style_id] = style
    return _Styles(default, styles, default_style, _list_indents(document))


def _indent(ppr: Any) -> float | None:
    ind = next(ppr.iterchildren(_IND), None)
    return _indent_points(ind) if ind is not None else None


def _indent_points(ind: Any) -> float:
    """The left indent a w:ind gives, in points."""
    return int(ind.get(_LEFT, ind.get(_START, "0")) or 0) / TWIPS_PER_POINT


def _list_indents(document: Any) -> dict[str, float]:
    """numId -> the left indent of its first level (where a list item's text starts)."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract = {}
    for element in numbering.iterfind(qn("w:abstractNum")):
        level = element.find(qn("w:lvl"))
        ppr = level.find(qn("w:pPr")) if level is not None else None
        abstract[element.get(qn("w:abstractNumId"))] = (_indent(ppr) if ppr is not None else None) or 0.0
    out = {}
    for num in numbering.iterfind(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        if ref is not None:
            out[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), 0.0)
    return out


def paragraph_widths(paragraph: Any, styles: _Styles) -> tuple[float, float]:
    """(longest unbreakable piece, whole paragraph on one line) in points, indent included."""
    # next(iterchildren()) is find() for a child, at half the cost; thousands of paragraphs per document.
    ppr = next(paragraph.iterchildren(_PPR), None)
    style = next(ppr.iterchildren(_PSTYLE), None) if ppr is not None else None
    font, indent = styles.paragraph(style.get(_VAL) if style is not None else None)
    if ppr is not None:
        own = _indent(ppr)
        if own is not None:
            indent = own or 0.0
    pieces: list[tuple[str, _Font]] = []
    for run in paragraph.iter(_R):
        text = "".join(run.itertext(_T, with_tail=False))
        if text:
            pieces.append((text, _run_properties(next(run.iterchildren(_RPR), None), font)))
    return _widths(pieces, indent)


def _widths(pieces: list[tuple[str, _Font]], indent: float) -> tuple[float, float]:
    """paragraph_widths of a paragraph's runs with text: (text, font) each."""
    # Words recur (cached widths); a long paragraph is summed word by word, not character by character,
    # in the same order as always (a float sum in another order could differ in its last bit).
    total = longest = current = 0.0
    for text, f in pieces:
        for width, space in _word_widths(text, f.size, f.bold, f.italic):
            total += width
            if space:
                if current > longest:
                    longest = current
                current = 0.0
            else:
                current += width
    if pieces and AMOUNT.match("".join(text for text, _ in pieces).strip()):
        return indent + total, indent + total
    return indent + max(longest, current), indent + total


@lru_cache(maxsize=100_000)
def _word_widths(text: str, size: float, bold: bool, italic: bool) -> tuple[tuple[float, bool], ...]:
    """(width, is white space) of each word and each run of white space of a text, in order."""
    return tuple((text_width(part, size, bold, italic), part.isspace()) for part in _WORDS.split(text) if part)


def cell_margins(table: Any, document: Any) -> float:
    """Left plus right cell margin of a table, in twips (its own or its style's)."""
    for tbl_pr in (table.find(qn("w:tblPr")), _style_tbl_pr(table, document)):
        if tbl_pr is None:
            continue
        mar = tbl_pr.find(qn("w:tblCellMar"))
        if mar is not None:
            sides = [mar.find(qn(f"w:{side}")) for side in ("left", "right")]
            if all(s is not None for s in sides):
                return sum(int(s.get(qn("w:w"))) for s in sides)
    return DEFAULT_CELL_MARGINS


def _style_tbl_pr(table: Any, document: Any) -> Any:
    style = table.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
    if style is None:
        return None
    for element in document.styles.element.iterfind(qn("w:style")):
        if element.get(qn("w:styleId")) == style.get(qn("w:val")):
            return element.find(qn("w:tblPr"))
    return None


def page_text_width(document: Any) -> int:
    """The text width (page minus margins) of the document's last section, in twips."""
    section = document.sections[-1]
    return int((section.page_width - section.left_margin - section.right_margin) / 635)  # EMU -> twips


def column_needs(table: Any, styles: _Styles) -> list[tuple[float, float]]:
    """Per grid column: (minimum, preferred) content width in points, from the cells that span one column."""
    return _measure(table, styles)[0]


# A cell as _set_widths sees it: the first column it is in, how many it spans, its w:tcW.
_Cell = tuple[int, int, Any]


def _measure(table: Any, styles: _Styles) -> tuple[list[tuple[float, float]], list[_Cell]]:
    """column_needs, and every cell's place and width element for setting the widths afterwards (one pass)."""
    grid = next(table.iterchildren(_GRID), None)
    columns = sum(1 for _ in grid.iterchildren(_GRID_COL)) if grid is not None else 0
    try:
        return _measure_in_one_walk(table, styles, columns)
    except _Irregular:
        return _measure_element_by_element(table, styles, columns)


class _Irregular(Exception):
    """A table whose cells, paragraphs or runs are not all direct children of what holds them: a
    nested table, a content control around a cell or run, a run inside a run."""


# The elements _measure_in_one_walk reads; every other element it passes over in C.
_READ = (_TBL, _TR, _TC, _TCPR, _GRID_SPAN, _TCW, _P, _PPR, _PSTYLE, _IND, _R, _RPR, _SZ, _B, _I, _T)


def _measure_in_one_walk(table: Any, styles: _Styles, columns: int) -> tuple[list[tuple[float, float]], list[_Cell]]:
    """_measure_element_by_element in one walk over the table (lxml's iter() with the tags it reads),
    not a lookup per cell, paragraph and run: the same result, for the tables these documents have.
    (Inside the table no element's parent is None, so `parent is x` is false while x is still None.)

    Raises _Irregular for a structure it does not follow, before anything is changed."""
    needs = [(0.0, 0.0)] * columns
    cells: list[_Cell] = []
    index = place = 0
    row = cell = tc_pr = paragraph = ppr = run = rpr = None
    span_el = measured_span_el = tc_w = style = own_indent = None
    paragraphs: list[tuple[Any, Any, list[list[Any]]]] = []  # (style, own w:ind, runs) of the cell
    runs: list[list[Any]] = []  # per run: [w:rPr, w:sz, w:b, w:i, texts]

    def end_cell() -> None:
        nonlocal index, place
        span = int(measured_span_el.get(_VAL)) if measured_span_el is not None else 1
        if span == 1 and index < columns:
            low = high = 0.0
            for paragraph_style, paragraph_ind, paragraph_runs in paragraphs:
                measured = _paragraph_widths(paragraph_style, paragraph_ind, paragraph_runs, styles)
                low, high = max(low, measured[0]), max(high, measured[1])
            needs[index] = (max(needs[index][0], low), max(needs[index][1], high))
        index += span
        set_span = int(span_el.get(_VAL)) if span_el is not None else 1
        cells.append((place, set_span, tc_w))
        place += set_span

    for element in table.iter(_READ):
        tag, parent = element.tag, element.getparent()
        if tag == _T:
            if parent is run or (run is not None and any(a is run for a in element.iterancestors(_R))):
                if element.text:
                    runs[-1][4].append(element.text)
            elif any(a is paragraph for a in element.iterancestors(_P)):
                raise _Irregular  # a text in the paragraph outside its runs
        elif tag == _R:
            if parent is not paragraph and not (parent.tag == _HYPERLINK and parent.getparent() is paragraph):
                raise _Irregular
            run, rpr = element, None
            runs.append([None, None, None, None, []])
        elif tag == _RPR:
            if parent is run and rpr is None:
                rpr = runs[-1][0] = element
        elif tag in (_SZ, _B, _I):
            if parent is rpr:
                slot = 1 if tag == _SZ else 2 if tag == _B else 3
                if runs[-1][slot] is None:
                    runs[-1][slot] = element
        elif tag == _P:
            if parent is not cell:
                raise _Irregular
            paragraph, ppr, run, rpr, style, own_indent = element, None, None, None, None, None
            runs = []
            paragraphs.append((None, None, runs))
        elif tag == _PPR:
            if parent is paragraph and ppr is None:
                ppr = element
        elif tag == _PSTYLE:
            if parent is ppr and style is None:
                style = element
                paragraphs[-1] = (style, paragraphs[-1][1], runs)
        elif tag == _IND:
            if parent is ppr and own_indent is None:
                own_indent = element
                paragraphs[-1] = (paragraphs[-1][0], own_indent, runs)
        elif tag == _TC:
            if row is None or parent is not row:
                raise _Irregular
            if cell is not None:
                end_cell()
            cell, tc_pr, span_el, measured_span_el, tc_w = element, None, None, None, None
            paragraph = ppr = run = rpr = None
            paragraphs = []
        elif tag == _TCPR:
            if parent is cell and tc_pr is None:
                tc_pr = element
        elif tag == _GRID_SPAN:
            if parent.tag == _TCPR and parent.getparent() is cell:
                if measured_span_el is None:
                    measured_span_el = element
                if parent is tc_pr and span_el is None:
                    span_el = element
        elif tag == _TCW:
            if parent is tc_pr and tc_w is None:
                tc_w = element
        elif tag == _TR:
            if parent is not table:
                raise _Irregular
            if cell is not None:
                end_cell()
            row, cell, index, place = element, None, 0, 0
        elif element is not table:  # a table inside this one
            raise _Irregular
    if cell is not None:
        end_cell()
    return needs, cells


def _paragraph_widths(style: Any, own_indent: Any, runs: list[list[Any]], styles: _Styles) -> tuple[float, float]:
    """paragraph_widths of what _measure_in_one_walk read of a paragraph."""
    font, indent = styles.paragraph(style.get(_VAL) if style is not None else None)
    if own_indent is not None:
        indent = _indent_points(own_indent) or 0.0
    pieces = []
    for rpr, size, bold, italic, texts in runs:
        text = "".join(texts)
        if text:
            pieces.append((text, font if rpr is None else _font(font, size, bold, italic)))
    return _widths(pieces, indent)


def _measure_element_by_element(table: Any, styles: _Styles,
                                columns: int) -> tuple[list[tuple[float, float]], list[_Cell]]:
    """_measure, looking up each row, cell, paragraph and run (any table)."""
    needs = [(0.0, 0.0)] * columns
    cells: list[_Cell] = []
    for row in table.iterchildren(_TR):
        index = place = 0
        for cell in row.iterchildren(_TC):
            # The span is read as it always was: for the widths from the first w:tcPr; for the needs by
            # find("w:tcPr/w:gridSpan"), the first w:gridSpan of any w:tcPr (the same in a valid cell).
            tc_pr = span_el = measured_span_el = None
            for properties in cell.iterchildren(_TCPR):
                found = next(properties.iterchildren(_GRID_SPAN), None)
                if tc_pr is None:
                    tc_pr, span_el = properties, found
                if found is not None:
                    measured_span_el = found
                    break
            span = int(measured_span_el.get(_VAL)) if measured_span_el is not None else 1
            if span == 1 and index < columns:
                widths = [paragraph_widths(p, styles) for p in cell.iterchildren(_P)]
                low = max((w[0] for w in widths), default=0.0)
                high = max((w[1] for w in widths), default=0.0)
                needs[index] = (max(needs[index][0], low), max(needs[index][1], high))
            index += span
            set_span = int(span_el.get(_VAL)) if span_el is not None else 1
            tc_w = next(tc_pr.iterchildren(_TCW), None) if tc_pr is not None else None
            cells.append((place, set_span, tc_w))
            place += set_span
    return needs, cells


def allot(needs: Iterable[tuple[float, float]], available: float) -> list[float]:
    """Column widths filling `available`: every minimum first, the rest in proportion to what more each wants."""
    needs = list(needs)
    minimum = [low for low, _ in needs]
    wanted = [max(high, low) for low, high in needs]
    spare = available - sum(minimum)
    if spare <= 0:
        return minimum
    if sum(wanted) <= available:
        extra = available - sum(wanted)
        total = sum(wanted) or 1.0
        return [w + extra * w / total for w in wanted]
    more = [w - m for w, m in zip(wanted, minimum, strict=True)]
    total_more = sum(more) or 1.0
    return [m + spare * x / total_more for m, x in zip(minimum, more, strict=True)]


def fit_tables(document: Any) -> None:
    """Give every table of the document's body column widths measured from its content."""
    styles = read_styles(document)
    available = page_text_width(document)
    for table in document.element.body.iter(qn("w:tbl")):
        padding = cell_margins(table, document) + (SAFETY * TWIPS_PER_POINT)
        measured, cells = _measure(table, styles)
        needs = [(low * TWIPS_PER_POINT + padding, high * TWIPS_PER_POINT + padding) for low, high in measured]
        if not needs:
            continue
        widths = [round(w) for w in allot(needs, available)]
        _set_widths(table, widths, cells)


def _set_widths(table: Any, widths: list[int], cells: list[_Cell]) -> None:
    for col, width in zip(table.find(qn("w:tblGrid")).findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(width))
    tbl_w = table.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
    if tbl_w is not None:
        tbl_w.set(qn("w:w"), str(sum(widths)))
        tbl_w.set(qn("w:type"), "dxa")
    for index, span, tc_w in cells:
        if tc_w is not None:
            tc_w.set(_W, str(sum(widths[index:index + span])))
            tc_w.set(_TYPE, "dxa")
