"""The redline's tables read well: a changed amount shows old above new, and rows do not split."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

from docx import Document
from lxml import etree

from generator import pipeline
from generator.render.write import normalise_docx
from generator.review.diff.redline import redline
from tests.conftest import libreoffice_pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_changed_amounts_are_old_above_new_and_rows_do_not_split(source_copy: Path, tmp_path: Path) -> None:
    pipeline.build(source_copy, 2026, tmp_path / "old", ["agenda"])
    changed = tmp_path / "changed"
    shutil.copytree(source_copy, changed)
    budget = changed / "2026" / "financien" / "begroting.csv"
    budget.write_text(budget.read_text(encoding="utf-8").replace("lpo,baten,LPO,257676", "lpo,baten,LPO,260000"),
                      encoding="utf-8")
    pipeline.build(changed, 2026, tmp_path / "new", ["agenda"])
    name = "uitvoeringsagenda-2026.docx"
    data = redline((tmp_path / "old" / name).read_bytes(), (tmp_path / "new" / name).read_bytes())
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    rows = list(root.iter(f"{W}tr"))
    assert rows and all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
    cell = next(p for p in root.iter(f"{W}p") if "€ 260.000" in "".join(p.itertext()))
    changes = [(c.tag.removeprefix(W), "".join(c.itertext()), c.find(f"{W}r/{W}br") is not None)
               for c in cell if c.tag in (f"{W}del", f"{W}ins")]
    assert changes == [("del", "€ 257.676", True), ("ins", "€ 260.000", False)]
    # As a reader sees it (LibreOffice shows tracked changes): the old and the new amount apart.
    path = tmp_path / "redline.docx"
    path.write_bytes(data)
    text = libreoffice_pdf_text(path, tmp_path)
    assert re.search(r"€ 257\.676\s*\n\s*€ 260\.000", text), text[:3000]


def _python_docx_lines(path: Path) -> list[str]:
    """The lines of a document as python-docx's objects give them: paragraphs with their style's name,
    table rows with row.cells (a cell spanning columns once)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from generator.review.docxtext import _line

    doc = Document(str(path))
    lines: list[str] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, doc)
            line = _line(paragraph.text, paragraph.style.name if paragraph.style is not None else "")
            if line:
                lines.append(line)
        elif child.tag == qn("w:tbl"):
            for row in Table(child, doc).rows:
                cells: list[tuple[object, str]] = []
                for cell in row.cells:
                    text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
                    if not cells or cell._tc is not cells[-1][0]:
                        cells.append((cell._tc, text))
                lines.append("| " + " | ".join(text for _, text in cells) + " |")
    return lines


def test_document_text_is_the_same_as_python_docx_reads_it(real_docs: dict[str, Path],
                                                           example_docs: dict[str, Path]) -> None:
    from generator.review.docxtext import docx_lines

    for path in [*real_docs.values(), *example_docs.values()]:
        assert docx_lines(path.read_bytes()) == _python_docx_lines(path), path.name


def test_a_word_change_is_redlined_directly_word_for_word(source_copy: Path, tmp_path: Path) -> None:
    from generator.review.diff.redline import quick_redline, tracked_changes

    pipeline.build(source_copy, 2026, tmp_path / "old", ["agenda"])
    spoor1 = source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml"
    spoor1.write_text(spoor1.read_text(encoding="utf-8").replace("een betere samenwerking", "een nauwere samenwerking"),
                      encoding="utf-8")
    pipeline.build(source_copy, 2026, tmp_path / "new", ["agenda"])
    old, new = ((tmp_path / d / "uitvoeringsagenda-2026.docx").read_bytes() for d in ("old", "new"))
    assert quick_redline(old, new) is not None
    assert tracked_changes(redline(old, new)) == (["nauwere"], ["betere"])


def test_a_redline_has_fixed_time_stamps_whatever_its_input_has(tmp_path: Path) -> None:
    # Two documents saved by python-docx itself (zip entries stamped with the time of saving), one
    # word apart: the quick redline is written once, with the fixed stamps a build uses.
    datas = []
    for word in ("oud", "nieuw"):
        doc = Document()
        doc.add_paragraph(f"Een {word} woord in een zin.")
        buffer = io.BytesIO()
        doc.save(buffer)
        datas.append(buffer.getvalue())
    stamps = {info.date_time for data in datas for info in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    assert all(stamp[0] >= dt.date.today().year - 1 for stamp in stamps)  # python-docx stamps 'now'
    first, second = redline(*datas), redline(*datas)
    assert first == second
    infos = zipfile.ZipFile(io.BytesIO(first)).infolist()
    fixed = zipfile.ZipFile(io.BytesIO(normalise_docx(datas[1]))).infolist()[0].date_time
    assert {info.date_time for info in infos} == {fixed}
    assert [i.filename for i in infos] == [i.filename for i in zipfile.ZipFile(io.BytesIO(datas[1])).infolist()]
    inserted = "".join(t.text or "" for e in etree.fromstring(zipfile.ZipFile(io.BytesIO(first))
                                                                .read("word/document.xml")).iter(f"{W}ins")
                       for t in e.iter(f"{W}t"))
    assert inserted == "nieuw"
