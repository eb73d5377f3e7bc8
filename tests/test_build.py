"""The build: deterministic, real Word documents, safe rendering."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document

from generator import pipeline
from generator.review.docxtext import docx_text
from tests.conftest import libreoffice_pdf_text


def test_same_source_gives_byte_identical_output(tmp_path: Path, agenda_docx: Path) -> None:
    from tests.conftest import SOURCE

    pipeline.build(SOURCE, 2026, tmp_path, ["agenda"])
    assert (tmp_path / agenda_docx.name).read_bytes() == agenda_docx.read_bytes()


def test_zip_entries_have_fixed_timestamps(agenda_docx: Path) -> None:
    with zipfile.ZipFile(agenda_docx) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_document_properties_and_structure(agenda_docx: Path) -> None:
    doc = Document(str(agenda_docx))
    assert doc.core_properties.title == "Uitvoeringsagenda 2026"
    assert doc.core_properties.language == "nl-NL"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Inleiding", "Governance regio Den Haag", "Effectgerichte aanpak op drugscriminaliteit en mensenhandel",
        "Indeling uitvoeringsagenda 2026", "Acties 2026", "Aanpak per Spoor", "Overige ontwikkelingen",
        "Financieel", "Frictiebudget",
    ]
    sporen = [p.text for p in doc.paragraphs if p.style.name == "Heading 2" and p.text.startswith("Spoor")]
    assert len(sporen) == 4
    bullets = [p for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert len(bullets) >= 113
    xml = doc.element.xml
    assert "TOC \\o" in xml  # table of contents field
    for table in doc.tables:
        assert table.rows[0]._tr.trPr is not None and "tblHeader" in table.rows[0]._tr.trPr.xml


def test_text_from_the_data_is_escaped_and_never_evaluated(source_copy: Path, tmp_path: Path) -> None:
    chapter = source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml"
    text = chapter.read_text(encoding="utf-8")
    marker = "Gemeenten versterken hun preventieve jeugdaanpak"
    assert marker in text
    chapter.write_text(text.replace(marker, "R&D <test> \"quote\" 'x' {{ 7*7 }} " + marker, 1), encoding="utf-8")
    pipeline.build(source_copy, 2026, tmp_path, ["agenda"])
    generated = docx_text(tmp_path / "uitvoeringsagenda-2026.docx")
    assert "R&D <test> \"quote\" 'x' {{ 7*7 }} " + marker in generated
    assert "49" not in generated.split(marker)[0].splitlines()[-1]


def test_libreoffice_opens_the_document(agenda_docx: Path, tmp_path: Path) -> None:
    text = libreoffice_pdf_text(agenda_docx, tmp_path)
    assert "Aanpak per Spoor" in text and "Rijksbijdrage" in text and "Frictiebudget" in text
