"""No word broken inside a table cell, no amount wrapped: columns measured with the house font's metrics.

Checked in the .docx (every cell's longest word or amount fits its column) and in the PDF that
LibreOffice makes of it (no word of the PDF is a fragment), for the documents of the real, the
example and a 10x synthetic source.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from bench.synth import every_kind_source
from generator import pipeline
from generator.publish.pdf import convert_to_pdf
from generator.render import fontmetrics
from generator.render.layout import TWIPS_PER_POINT, _cell_margins, _read_styles, paragraph_widths
from tests.conftest import EXAMPLES, FILES, REPORTS, SOURCE
from tests.pdfwords import broken_words
from tests.test_pdf import MISSING, needs_libreoffice


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
    styles = _read_styles(doc)
    found = []
    for number, table in enumerate(doc.element.body.iter(qn("w:tbl")), start=1):
        grid = [int(col.get(qn("w:w"))) for col in table.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]
        margins = _cell_margins(table, doc)
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


@needs_libreoffice
def test_no_word_is_broken_in_the_pdfs(documents: dict[str, Path], tmp_path: Path) -> None:
    assert not MISSING or not os.environ.get("CI"), MISSING
    staged = []
    for name, path in documents.items():
        target = tmp_path / "docx" / f"{name}.docx"
        target.parent.mkdir(exist_ok=True)
        shutil.copy(path, target)
        staged.append(target)
    pdfs = convert_to_pdf(staged, tmp_path / "pdf")  # one LibreOffice start for all nine
    assert len(pdfs) == len(staged)
    broken = {pdf.stem: broken_words(pdf, tmp_path / "docx" / f"{pdf.stem}.docx") for pdf in pdfs}
    assert {name: words for name, words in broken.items() if words} == {}
