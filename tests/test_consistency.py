"""Consistent by construction: one change in the source shows up in all three documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from generator import pipeline
from generator.review.docxtext import docx_text
from tests.conftest import FILES, REPORTS
from tests.test_reports import action_rows, table_rows


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _build(source: Path, out: Path) -> dict[str, Path]:
    pipeline.build(source, 2026, out, REPORTS)
    return {name: out / FILES[name] for name in REPORTS}


def _row(path: Path, first: str) -> list[str]:
    """The first row starting with `first`, outside the Aandachtspunten (which repeat some budget lines)."""
    attention = {tuple(r) for r in _attention_rows(path)}
    return next(r for r in table_rows(path) if r and r[0] == first and tuple(r) not in attention)


def _attention_rows(path: Path) -> list[list[str]]:
    rows = []
    for table in Document(str(path)).tables:
        caption = table._tbl.tblPr.find(qn("w:tblCaption"))
        if caption is not None and caption.get(qn("w:val")) == "Begrotingsregels met een afwijking boven de drempel":
            rows.extend([" ".join(p.text for p in cell.paragraphs) for cell in row.cells] for row in table.rows)
    return rows


@pytest.mark.parametrize("which", ["source_copy", "examples_copy"])
def test_one_text_one_partner_and_one_amount_change_in_all_three(
        which: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    source: Path = request.getfixturevalue(which)
    before = _build(source, tmp_path / "before")

    spoor = source / "2026" / "hoofdstukken" / "spoor-1.yaml"
    _replace(spoor, "gemeenten actief ondersteunen bij hun", "gemeenten intensief ondersteunen bij hun")
    _replace(spoor, "partners: [dealbreakers, gemeenten]\n\n      - id: S1-03",
             "partners: [dealbreakers, politie]\n\n      - id: S1-03")
    _replace(source / "2026" / "financien" / "begroting.csv",
             "communicatie,lasten,Communicatie,60000,70000,", "communicatie,lasten,Communicatie,60000,80000,")
    after = _build(source, tmp_path / "after")

    new_text = "In 2026 blijft het RIEC-bureau gemeenten intensief ondersteunen bij hun jeugdaanpak."
    for name in REPORTS:
        text = docx_text(after[name])
        old = docx_text(before[name])
        assert new_text in text and new_text not in old, name
        assert "gemeenten actief ondersteunen" in old and "gemeenten actief ondersteunen" not in text, name
    # The partner line of S1-02, in the agenda and in both reports.
    agenda = docx_text(after["agenda"]).splitlines()
    s1_02 = next(i for i, line in enumerate(agenda) if "[S1-02]" in line)
    assert agenda[s1_02 + 1] == "Betrokken partners: Dealbreakers en Politie"
    for report in ("voortgang", "jaarverslag"):
        assert "Betrokken partners: Dealbreakers en gemeenten" in action_rows(before[report])["S1-02"][1]
        assert "Betrokken partners: Dealbreakers en Politie" in action_rows(after[report])["S1-02"][1]

    # The amount, and every total it is part of.
    assert "€ 70.000" in _row(before["agenda"], "Communicatie") and "€ 80.000" in _row(after["agenda"], "Communicatie")
    assert _row(before["agenda"], "Totale lasten")[2] == "€ 7.525.087"
    assert _row(after["agenda"], "Totale lasten")[2] == "€ 7.535.087"
    assert _row(after["agenda"], "Totale lasten 2025-2028")[-1] == "€ 29.544.650"
    assert _row(after["agenda"], "Verschil baten lasten per jaar")[2] == "€ -324.767"
    for report in ("voortgang", "jaarverslag"):
        assert _row(before[report], "Communicatie")[1] == "€ 70.000"
        assert _row(after[report], "Communicatie")[1] == "€ 80.000"
        assert _row(before[report], "Totale lasten")[1] == "€ 7.525.087"
        assert _row(after[report], "Totale lasten")[1] == "€ 7.535.087"
    assert _row(before["jaarverslag"], "Verschil baten en lasten")[1] == "€ -314.767"
    assert _row(after["jaarverslag"], "Verschil baten en lasten")[1] == "€ -324.767"
    if which == "examples_copy":
        # Realised € 74.000: the variance flips from € 4.000 N to € 6.000 V, and the total difference moves.
        assert _row(before["jaarverslag"], "Communicatie")[2:] == ["€ 74.000", "€ 4.000", "N"]
        assert _row(after["jaarverslag"], "Communicatie")[2:] == ["€ 74.000", "€ 6.000", "V"]
        assert _row(before["jaarverslag"], "Totale lasten")[3] == "€ 215.524"
        assert _row(after["jaarverslag"], "Totale lasten")[3] == "€ 225.524"
        assert _row(after["voortgang"], "Communicatie")[3:] == ["€ 75.000", "€ 5.000", "V"]


def test_an_action_added_to_the_agenda_appears_in_both_reports_as_not_reported(
        examples_copy: Path, tmp_path: Path) -> None:
    spoor = examples_copy / "2026" / "hoofdstukken" / "spoor-1.yaml"
    _replace(spoor, "      - id: S1-03\n", "      - id: S1-99\n        text: Een nieuwe actie.\n"
                                            "        partners: [gemeenten]\n\n      - id: S1-03\n")
    docs = _build(examples_copy, tmp_path)
    assert "Een nieuwe actie. [S1-99]" in docx_text(docs["agenda"])
    for report in ("voortgang", "jaarverslag"):
        row = action_rows(docs[report])["S1-99"]
        assert row[1] == "Een nieuwe actie. [S1-99] Betrokken partners: Gemeenten"
        assert row[2] == "Nog niet gerapporteerd"
