"""No word broken inside a table cell, no amount wrapped: columns measured with the house font's metrics.

Checked in the .docx (every cell's longest word or amount fits its column) and in the PDF that
LibreOffice makes of it (no word of the PDF is a fragment), for the documents of the real, the
example and a 10x synthetic source.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from pypdf import PdfReader

from bench.synth import every_kind_source
from generator import pipeline
from generator.publish.pdf import convert_to_pdf
from generator.render import fontmetrics, layout
from generator.render.layout import TWIPS_PER_POINT, cell_margins, page_text_width, paragraph_widths, read_styles
from tests.conftest import EXAMPLES, FILES, REPORTS, SOURCE
from tests.pdfwords import broken_words
from tests.test_pdf import MISSING, needs_libreoffice

ACTION_ID = re.compile(r"[A-Z0-9]+(-[A-Z0-9]+)*-[0-9]{2,3}")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`<source>-<kind>` -> .docx, for the real, example and 10x synthetic sources."""
    synthetic = tmp_path_factory.mktemp("synth") / "source"
    every_kind_source(EXAMPLES, synthetic, 2026, factor=10)
    out = {}
    for name, source in (("real", SOURCE), ("example", EXAMPLES), ("synthetic10x", synthetic)):
        folder = tmp_path_factory.mktemp(name)
        pipeline.build(source, 2026, folder, REPORTS)
        for kind in REPORTS:
            out[f"{name}-{kind}"] = folder / FILES[kind]
    return out


def misfits(path: Path) -> list[str]:
    """Every cell whose longest word or amount (plus the cell margins) is wider than its column."""
    doc = Document(str(path))
    styles = read_styles(doc)
    found = []
    for number, table in enumerate(doc.element.body.iter(qn("w:tbl")), start=1):
        grid = [int(col.get(qn("w:w"))) for col in table.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]
        margins = cell_margins(table, doc)
        if sum(grid) > page_text_width(doc) + len(grid):  # a twip of rounding per column
            found.append(f"{path.name} table {number} is wider than the page: {sum(grid) / 567:.2f} cm")
        for row in table.iterfind(qn("w:tr")):
            index = 0
            for cell in row.iterfind(qn("w:tc")):
                span_el = cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
                span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
                width = sum(grid[index:index + span])
                for paragraph in cell.iterfind(qn("w:p")):
                    longest = paragraph_widths(paragraph, styles)[0] * TWIPS_PER_POINT
                    if longest + margins > width:
                        text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
                        found.append(f"{path.name} table {number} column {index + 1}: {text[:60]!r} needs "
                                     f"{(longest + margins) / 567:.2f} cm, the column is {width / 567:.2f} cm")
                index += span
    return found


def test_the_kept_metrics_are_those_of_the_installed_font() -> None:
    if not (fontmetrics.FONT_FOLDER / fontmetrics.FILES["regular"]).exists():
        if os.environ.get("CI"):
            pytest.fail("fonts-liberation2 is missing in CI: .ci/run must install it")
        pytest.skip("fonts-liberation2 is not installed")
    assert fontmetrics._widths() == {
        key: ({int(k): v for k, v in value.items()} if isinstance(value, dict) else value)
        for key, value in fontmetrics.measure_fonts().items()}
    # 'gerapporteerd' at 9 pt, from the font's own advance widths (2048 units per em).
    assert round(fontmetrics.text_width("gerapporteerd", 9), 2) == 56.54


@pytest.mark.parametrize("source", ["real", "example", "synthetic10x"])
@pytest.mark.parametrize("kind", REPORTS)
def test_every_cell_fits_its_column(source: str, kind: str, documents: dict[str, Path]) -> None:
    assert misfits(documents[f"{source}-{kind}"]) == []


def test_the_fit_check_finds_a_column_too_narrow(documents: dict[str, Path], tmp_path: Path) -> None:
    # The columns as they were before they were measured: 2.35 cm for 'nog niet gerapporteerd' at 9 pt.
    doc = Document(str(documents["real-voortgang"]))
    for table in doc.tables:
        for col in table._tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))[1:]:
            col.set(qn("w:w"), str(int(2.35 * 567)))
    narrow = tmp_path / "narrow.docx"
    doc.save(str(narrow))
    found = misfits(narrow)
    assert any("'nog niet gerapporteerd'" in f for f in found), found


@pytest.mark.parametrize("source", ["real", "example", "synthetic10x"])
@pytest.mark.parametrize("kind", REPORTS)
def test_the_one_walk_measures_every_table_as_element_by_element(source: str, kind: str,
                                                                 documents: dict[str, Path]) -> None:
    # The build measures a table in one walk (lxml's iter() over the tags it reads); looking up each
    # row, cell, paragraph and run is the plain way. Every table of the built documents is measured
    # in one walk (none falls back), with the same result.
    doc = Document(str(documents[f"{source}-{kind}"]))
    styles = read_styles(doc)
    for table in doc.element.body.iter(qn("w:tbl")):
        columns = len(table.find(qn("w:tblGrid")).findall(qn("w:gridCol")))
        walked = layout._measure_in_one_walk(table, styles, columns)
        assert walked == layout._measure_element_by_element(table, styles, columns)


def _table(cells: str) -> object:
    return parse_xml(f'<w:tbl {nsdecls("w")}><w:tblGrid><w:gridCol w:w="1"/><w:gridCol w:w="1"/></w:tblGrid>'
                     f"<w:tr>{cells}</w:tr></w:tbl>")


_CELL = '<w:tc><w:tcPr><w:tcW w:w="1" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>Gemeente Westland</w:t></w:r></w:p></w:tc>'
_IRREGULAR = {
    "a table in a cell": '<w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>binnen</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
                         '<w:p><w:r><w:t>buiten de tabel</w:t></w:r></w:p></w:tc>',
    "a content control around a cell": '<w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>in een besturingselement</w:t>'
                                       '</w:r></w:p></w:tc></w:sdtContent></w:sdt>',
    "a tracked insertion": '<w:tc><w:p><w:ins w:id="1" w:author="x"><w:r><w:t>ingevoegde tekst</w:t></w:r></w:ins>'
                           '</w:p></w:tc>',
    "a run inside a run": '<w:tc><w:p><w:r><w:ruby><w:rt><w:r><w:t>boven</w:t></w:r></w:rt></w:ruby>'
                          '<w:t>tekst</w:t></w:r></w:p></w:tc>',
}
_ODD_BUT_FOLLOWED = {
    "a hyperlink": '<w:tc><w:p><w:hyperlink w:anchor="a"><w:r><w:rPr><w:b/></w:rPr><w:t>RIEC-01</w:t></w:r>'
                   '</w:hyperlink><w:r><w:t> en verder</w:t></w:r></w:p></w:tc>',
    "the paragraph mark's size": '<w:tc><w:p><w:pPr><w:ind w:left="720"/><w:rPr><w:sz w:val="40"/></w:rPr></w:pPr>'
                                 '<w:r><w:t>klein</w:t></w:r></w:p></w:tc>',
    "two run properties, text first": '<w:tc><w:p><w:r><w:t>groot</w:t><w:rPr><w:sz w:val="40"/><w:sz w:val="8"/>'
                                      '</w:rPr><w:rPr><w:b/></w:rPr></w:r></w:p></w:tc>',
    "two cell properties": '<w:tc><w:tcPr><w:tcW w:w="1"/></w:tcPr><w:tcPr><w:gridSpan w:val="1"/><w:tcW w:w="2"/>'
                           '<w:gridSpan w:val="2"/></w:tcPr>'
                 '<w:p><w:r><w:t>breed</w:t></w:r></w:p></w:tc>',
}


@pytest.mark.parametrize("name", [*_IRREGULAR, *_ODD_BUT_FOLLOWED])
def test_a_table_the_walk_does_not_follow_is_measured_element_by_element(name: str) -> None:
    styles = read_styles(Document())
    table = _table(_IRREGULAR.get(name) or _ODD_BUT_FOLLOWED[name])
    if name in _IRREGULAR:
        with pytest.raises(layout._Irregular):
            layout._measure_in_one_walk(table, styles, 2)
    else:
        assert layout._measure_in_one_walk(table, styles, 2) == layout._measure_element_by_element(table, styles, 2)
    measured = layout._measure(table, styles)
    assert measured == layout._measure_element_by_element(table, styles, 2)
    if name != "a content control around a cell":  # such a cell is not measured at all (python-docx skips it too)
        assert measured[0][0][1] > 0


def test_a_table_of_plain_cells_is_walked() -> None:
    styles = read_styles(Document())
    table = _table(_CELL * 2)
    assert layout._measure_in_one_walk(table, styles, 2) == layout._measure_element_by_element(table, styles, 2)


@pytest.fixture(scope="module")
def pdfs(documents: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """`<source>-<kind>` -> (.docx, .pdf): all nine converted in one LibreOffice start."""
    if MISSING and os.environ.get("CI"):
        pytest.fail(MISSING)
    folder = tmp_path_factory.mktemp("pdf")
    staged = []
    for name, path in documents.items():
        target = folder / "docx" / f"{name}.docx"
        target.parent.mkdir(exist_ok=True)
        shutil.copy(path, target)
        staged.append(target)
    converted = convert_to_pdf(staged, folder / "pdf")
    assert len(converted) == len(staged)
    return {pdf.stem: (folder / "docx" / f"{pdf.stem}.docx", pdf) for pdf in converted}


@needs_libreoffice
def test_no_word_is_broken_in_the_pdfs(pdfs: dict[str, tuple[Path, Path]]) -> None:
    broken = {name: broken_words(pdf, docx) for name, (docx, pdf) in pdfs.items()}
    assert {name: words for name, words in broken.items() if words} == {}


def _page_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, every word with its box (x0, y0, x1, y1 from the top left), from pdftotext -bbox."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    return [[(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
             for w in page.iterfind("x:word", ns)]
            for page in ElementTree.fromstring(xhtml).iterfind(".//x:page", ns)]


def action_links(pdf: Path) -> list[tuple[str, int, int]]:
    """Every internal link in the PDF whose text is an action ID: (ID, page it is on, page it leads to)."""
    reader = PdfReader(str(pdf))
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}  # type: ignore[union-attr]
    words = _page_words(pdf)
    found = []
    for number, page in enumerate(reader.pages):
        height = float(page.mediabox.height)
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            action = link.get("/A")
            target = link.get("/Dest") or (action.get_object().get("/D") if action is not None else None)
            if link.get("/Subtype") != "/Link" or not isinstance(target, list):
                continue
            x0, y0, x1, y1 = (float(v) for v in link["/Rect"])
            # The words inside the link's box (a period or comma after an ID may stick out of it).
            text = " ".join(w.rstrip(".,;:)") for wx0, wy0, wx1, wy1, w in words[number]
                            if wx0 >= x0 - 1 and wx1 <= x1 + 4 and height - wy1 >= y0 - 2 and height - wy0 <= y1 + 2)
            if ACTION_ID.fullmatch(text):
                found.append((text, number, pages[target[0].idnum]))
    return found


@needs_libreoffice
@pytest.mark.parametrize("name", ["example-voortgang", "example-jaarverslag", "synthetic10x-voortgang"])
def test_every_mention_of_an_action_links_to_its_place_in_the_listing(
        name: str, pdfs: dict[str, tuple[Path, Path]]) -> None:
    docx, pdf = pdfs[name]
    doc = Document(str(docx))
    mentioned = [link.get(qn("w:anchor")) for link in doc.element.body.iter(qn("w:hyperlink"))
                 if (link.get(qn("w:anchor")) or "").startswith("actie_")]
    marks = {mark.get(qn("w:name")) for mark in doc.element.body.iter(qn("w:bookmarkStart"))}
    assert mentioned and set(mentioned) <= marks  # every link in the .docx has its bookmark
    links = action_links(pdf)
    assert len(links) == len(mentioned), "LibreOffice kept every link in the PDF"
    words = _page_words(pdf)
    for action_id, _, target in links:
        # The page a link leads to shows the action's row of the listing: its ID, and no link of its own there.
        on_page = {w for *_, w in words[target]}
        assert action_id in on_page or f"[{action_id}]" in on_page, (action_id, target)
