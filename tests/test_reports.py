"""The voortgangsrapportage and the jaarverslag: complete, honest, marked when fictitious, deterministic."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from generator import pipeline
from generator.content.context import FICTITIOUS_NOTICE, partners_line
from generator.content.years import fill_years
from generator.review.docxtext import docx_text
from generator.source.validate import Validated
from tests.conftest import EXAMPLES, FILES, REPORTS

NOT_REPORTED = "nog niet gerapporteerd"


def table_rows(path: Path) -> list[list[str]]:
    """Every table row of a document as a list of cell texts (paragraphs joined by a space)."""
    rows = []
    for table in Document(str(path)).tables:
        for row in table.rows:
            rows.append([" ".join(p.text for p in cell.paragraphs) for cell in row.cells])
    return rows


def action_rows(path: Path) -> dict[str, list[str]]:
    return {row[0]: row for row in table_rows(path) if row and row[0] and "-" in row[0] and len(row) == 4}


@pytest.mark.parametrize("docs", ["real_docs", "example_docs"])
@pytest.mark.parametrize("report", ["voortgang", "jaarverslag"])
def test_every_action_of_the_agenda_is_in_the_report_with_its_text_and_partners(
        docs: str, report: str, validated: Validated, request: pytest.FixtureRequest) -> None:
    paths = request.getfixturevalue(docs)
    agenda_text = docx_text(paths["agenda"])
    rows = action_rows(paths[report])
    actions = validated.agenda.actions()
    assert len(actions) == 113
    for _, section, action in actions:
        assert f"[{action.id}]" in agenda_text
        assert action.id in rows, f"{action.id} is missing from the {report}"
        row = rows[action.id]
        assert fill_years(action.text, validated.agenda.meta.year) in row[1]  # `{jaar}` as printed
        refs = action.partners or section.partners
        wording = action.partners_wording or (section.partners_wording if not action.partners else None)
        line = partners_line(validated.agenda, refs, wording)
        label = "Betrokken partners" if action.partners or action.partners_wording else \
            "Betrokken partners bij alle acties"  # the section's line, worded as in the agenda
        assert f"{label}: {line}" in row[1]
        assert line in agenda_text


def test_the_real_source_invents_no_progress(real_docs: dict[str, Path]) -> None:
    for report in ("voortgang", "jaarverslag"):
        rows = action_rows(real_docs[report])
        assert {row[2] for row in rows.values()} == {"Nog niet gerapporteerd"}
        text = docx_text(real_docs[report])
        assert FICTITIOUS_NOTICE not in text
    voortgang = docx_text(real_docs["voortgang"])
    assert "Over 0 van de 113 acties is voortgang gerapporteerd" in voortgang
    assert "Er zijn op deze peildatum geen acties voorgesteld" in voortgang
    jaarverslag = docx_text(real_docs["jaarverslag"])
    assert "Kerncijfers: nog niet gerapporteerd." in jaarverslag
    assert jaarverslag.count("Indicatoren: nog niet gerapporteerd.") == 4
    # Every realisation and prognosis cell says so, never a made-up zero.
    for report, first in (("voortgang", "Rijksbijdrage"), ("jaarverslag", "Rijksbijdrage")):
        row = next(r for r in table_rows(real_docs[report]) if r[0] == first)
        assert row[1] == "€ 5.953.678"
        assert NOT_REPORTED in row[2]
        totals = [r for r in table_rows(real_docs[report]) if r[0] in ("Totaal baten", "Totale lasten")]
        assert totals and all(r[2] == NOT_REPORTED for r in totals)


@pytest.mark.parametrize("docs", ["real_docs", "example_docs"])
def test_every_budget_line_and_amount_is_the_begroting_of_both_reports(
        docs: str, validated: Validated, request: pytest.FixtureRequest) -> None:
    from generator.format import euro

    paths = request.getfixturevalue(docs)
    agenda_rows = table_rows(paths["agenda"])
    for report in ("voortgang", "jaarverslag"):
        rows = table_rows(paths[report])
        for line in validated.agenda.finance.budget:
            amount = euro(line.amounts[2026])
            assert any(r[0] == line.label and amount in r for r in agenda_rows)
            assert any(r[0] == line.label and r[1] == amount for r in rows), f"{line.label} in {report}"
        assert any(r[0] == "Totaal baten" and r[1] == "€ 7.210.320" for r in rows)
        assert any(r[0] == "Totale lasten" and r[1] == "€ 7.525.087" for r in rows)


def test_the_example_reports_are_complete(example_docs: dict[str, Path]) -> None:
    voortgang = docx_text(example_docs["voortgang"])
    rows = action_rows(example_docs["voortgang"])
    # Two actions are left out of the example progress file on purpose.
    assert sorted(a for a, row in rows.items() if row[2] == "Nog niet gerapporteerd") == ["OO-13", "OO-14"]
    assert rows["S1-05"][2] == "Vraagt aandacht (vertraagd)" and "(fictief)" in rows["S1-05"][3]
    assert "Over 111 van de 113 acties is voortgang gerapporteerd" in voortgang
    besluit = [r for r in table_rows(example_docs["voortgang"])
               if len(r) == 4 and r[2].startswith(("Doorschuiven", "Laten"))]
    assert [r[0] for r in besluit] == ["AA-08", "S2-06", "S3A-28"]
    assert "Doorschuiven naar 2027" in besluit[0][2] and "Besluit stuurgroep: 9 juli 2026" in besluit[0][3]
    jaarverslag = docx_text(example_docs["jaarverslag"])
    # Everything is reported: only the legend and the reading guide still name the words.
    assert all(row[2] != "Nog niet gerapporteerd" for row in action_rows(example_docs["jaarverslag"]).values())
    assert not any(NOT_REPORTED in cell for row in table_rows(example_docs["jaarverslag"]) for cell in row)
    assert "Nog niet gerapporteerd." not in jaarverslag and ": nog niet gerapporteerd" not in jaarverslag
    assert "| Bibob-adviezen | 37 | 29 |  |" in jaarverslag
    assert ("| Deelnemende scholen Dealbreakers | 41 | niet bekend | Voor het eerst geteld in 2026 (fictief). |"
            in jaarverslag)
    # Variances are shown with V/N and the toelichting above the threshold is printed.
    assert "| ICT-kosten landelijk | € 400.000 | € 220.000 | € 180.000 | V |" in jaarverslag
    assert "ICT-kosten landelijk: Ontwikkeling van het zaaksysteem is vertraagd" in jaarverslag
    assert "| Totaal frictiebudget | € 616.044 |" in jaarverslag


def _header_texts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.startswith("word/header")]
        return [archive.read(n).decode("utf-8") for n in names]


@pytest.mark.parametrize("name", REPORTS)
def test_example_documents_say_they_are_fictitious_on_the_title_page_and_every_header(
        name: str, example_docs: dict[str, Path], real_docs: dict[str, Path]) -> None:
    doc = Document(str(example_docs[name]))
    first = next(p.text for p in doc.paragraphs if p.text.strip())
    assert first == FICTITIOUS_NOTICE
    assert FICTITIOUS_NOTICE in (doc.core_properties.title or "")
    for section in doc.sections:
        assert section.header.paragraphs[0].text.startswith(FICTITIOUS_NOTICE + " – Concept, versie ")
    headers = _header_texts(example_docs[name])
    assert headers and all(FICTITIOUS_NOTICE in h for h in headers if "<w:t" in h)
    assert not any(FICTITIOUS_NOTICE in h for h in _header_texts(real_docs[name]))


def _png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        assert zlib.crc32(kind + body) == struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        chunks.append(kind)
        pos += 12 + length
    return chunks


@pytest.mark.parametrize("report,count", [("voortgang", 1), ("jaarverslag", 2)])
def test_charts_are_real_images_with_alternative_text(report: str, count: int,
                                                      example_docs: dict[str, Path]) -> None:
    doc = Document(str(example_docs[report]))
    doc_prs = list(doc.element.body.iter(qn("wp:docPr")))
    assert len(doc_prs) == count
    for doc_pr in doc_prs:
        assert doc_pr.get("descr", "").startswith("Staafdiagram: ")
        assert len(doc_pr.get("descr")) > 60 and doc_pr.get("title")
    assert len(doc.inline_shapes) == count
    with zipfile.ZipFile(example_docs[report]) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(images) == count
        for name in images:
            chunks = _png_chunks(archive.read(name))
            assert b"IDAT" in chunks and b"tEXt" not in chunks  # no 'Software' or date metadata
    first = doc_prs[0].get("descr")
    if report == "voortgang":
        assert "Spoor 1: 1 niet gestart, 10 op schema, 2 vraagt aandacht (vertraagd), 3 afgerond" in first
        assert "Overige ontwikkelingen: 1 niet gestart, 7 op schema" in first and "2 nog niet gerapporteerd" in first
    else:
        assert "Lasten: begroting € 7.525.087, realisatie € 7.309.563" in doc_prs[1].get("descr")


def test_two_builds_are_byte_identical(example_docs: dict[str, Path], tmp_path: Path) -> None:
    pipeline.build(EXAMPLES, 2026, tmp_path, REPORTS)
    for name in REPORTS:
        assert (tmp_path / FILES[name]).read_bytes() == example_docs[name].read_bytes(), name


def test_an_older_peildatum_can_be_chosen(examples_copy: Path, tmp_path: Path) -> None:
    march = examples_copy / "2026" / "voortgang" / "2026-03-31.yaml"
    march.write_text("peildatum: 2026-03-31\nacties:\n  S1-01:\n    status: niet gestart\n"
                     "    toelichting: Start in april.\n", encoding="utf-8")
    import datetime as dt

    pipeline.build(examples_copy, 2026, tmp_path / "maart", ["voortgang"], peildatum=dt.date(2026, 3, 31))
    pipeline.build(examples_copy, 2026, tmp_path / "juni", ["voortgang"])  # default: the latest
    march_text = docx_text(tmp_path / "maart" / FILES["voortgang"])
    june_text = docx_text(tmp_path / "juni" / FILES["voortgang"])
    assert "peildatum 31 maart 2026" in march_text and "Over 1 van de 113 acties" in march_text
    assert "| S1-01 |" in march_text and "Start in april." in march_text
    # No financial progress file for March: every amount is 'nog niet gerapporteerd'.
    assert "| Totaal baten | € 7.210.320 | nog niet gerapporteerd | nog niet gerapporteerd |  |  |" in march_text
    assert "peildatum 30 juni 2026" in june_text and "Over 111 van de 113 acties" in june_text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (CI installs it)")
def test_libreoffice_opens_the_reports_and_every_page_is_marked(example_docs: dict[str, Path],
                                                                tmp_path: Path) -> None:
    result = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(example_docs["voortgang"]), str(example_docs["jaarverslag"])],
        capture_output=True, text=True, timeout=240, check=False,
    )
    for name in ("voortgang", "jaarverslag"):
        pdf = tmp_path / FILES[name].replace(".docx", ".pdf")
        assert pdf.exists(), result.stderr
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages = [p for p in text.split("\f") if p.strip()]
        assert len(pages) > 10
        assert all(FICTITIOUS_NOTICE in page for page in pages), name
        assert "Financiële" in text and "Nog niet gerapporteerd" in text


def test_matplotlib_is_only_imported_to_draw_a_chart() -> None:
    import sys

    code = ("import sys, generator.cli, generator.pipeline; "
            "sys.exit('matplotlib' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize("name", REPORTS)
def test_example_documents_pass_the_accessibility_checks(name: str, example_docs: dict[str, Path]) -> None:
    from docx import Document

    from generator.publish.accessibility import check_document

    # The example reports use every status colour, so the contrast check sees every cell fill.
    assert check_document(Document(str(example_docs[name]))) == []
