"""The realisation from an export of the financial administration (fictitious amounts), through grootboek.csv."""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from generator.cli import main
from generator.intake.finance_import import DUTCH, AmountFormat
from tests.conftest import EXAMPLES

MAPPING = "grootboek,regel,tabel,teken\n8100,rijksbijdrage,begroting,-\n4000,personele-lasten,,\n" \
          "4010,personele-lasten,,\n4500,communicatie,,\n9999,negeren,,\n"
EXPORT = ("Grootboek;Omschrijving;Bedrag\r\n8100;Rijksbijdrage;-2.900.000,00\r\n4000;Salarissen;1.200.000,50\r\n"
          "4010;Sociale lasten;(1.000,25)\r\n;Subtotaal personeel;1.199.000,25\r\n4500;Drukwerk;33.000,49\r\n"
          "9999;Afronding;0,01\r\nTotaal;;\r\n")


@pytest.fixture
def source(tmp_path: Path) -> Path:
    target = tmp_path / "source"
    shutil.copytree(EXAMPLES, target)
    (target / "2026" / "financien" / "grootboek.csv").write_text(MAPPING, encoding="utf-8")
    return target


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["financien", "importeer", *args])
    return result.exit_code, result.output


def _csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {row["regel"]: row for row in csv.DictReader(handle)}


@pytest.mark.parametrize(("text", "amount"), [("1.234,56", "1234.56"), ("-1.234,56", "-1234.56"),
                                              ("(1.234,56)", "-1234.56"), ("1.234,56-", "-1234.56"),
                                              ("€ 1.234", "1234"), ("1.234.567", "1234567"), ("12,5", "12.5"),
                                              (1234.5, "1234.5"), ("abc", None), ("", None)])
def test_dutch_amounts(text: object, amount: str | None) -> None:
    assert AmountFormat(DUTCH).read(text) == (Decimal(amount) if amount else None)


def test_an_excel_csv_export_goes_into_the_voortgang_csv(source: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(EXPORT.encode("cp1252"))
    target = source / "2026" / "voortgang" / "2026-06-30.csv"
    before = target.read_bytes()
    code, out = _run(str(export), "--peildatum", "2026-06-30", "--source", str(source))
    assert code == 0, out
    assert "Read 5 ledger rows (1 subtotal row skipped, 1 mapped to 'negeren'); 3 budget lines" in out
    assert "  personele-lasten: 1539836 -> 1199000" in out and "Run again with --overwrite" in out
    assert target.read_bytes() == before
    code, out = _run(str(export), "--peildatum", "2026-06-30", "--source", str(source), "--overwrite")
    assert code == 0, out
    rows = _csv(target)
    assert rows["rijksbijdrage"]["tot_peildatum"] == "2900000"  # credit booked, sign turned by the mapping
    assert rows["personele-lasten"]["tot_peildatum"] == "1199000"  # 1.200.000,50 - 1.000,25, whole euros
    assert rows["communicatie"] == {"regel": "communicatie", "tot_peildatum": "33000", "prognose": "75000",
                                    "toelichting": "Extra campagnemateriaal (fictief)."}
    assert rows["lpo"]["tot_peildatum"] == "121108"  # not in the export: left as it was


def test_an_xlsx_export_goes_into_realisatie_csv(source: Path, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Rekening", "Naam", "Saldo"])
    ws.append([8100, "Rijksbijdrage", -5900000.4])
    ws.append([4500, "Drukwerk", "74.000,00"])
    ws.append([None, "Totaal", 123])
    wb.save(tmp_path / "export.xlsx")
    (source / "2026" / "financien" / "realisatie.csv").unlink()
    code, out = _run(str(tmp_path / "export.xlsx"), "--peildatum", "2026-12-31", "--source", str(source),
                     "--naar", "realisatie")
    assert code == 0, out
    rows = _csv(source / "2026" / "financien" / "realisatie.csv")
    assert rows == {"rijksbijdrage": {"tabel": "begroting", "regel": "rijksbijdrage", "realisatie": "5900000",
                                      "toelichting": ""},
                    "communicatie": {"tabel": "begroting", "regel": "communicatie", "realisatie": "74000",
                                     "toelichting": ""}}


@pytest.mark.parametrize(("export", "message"), [
    ("Grootboek;Bedrag\n4000;10,00\n7777;5,00\n", "export.csv:3: grootboek: ledger code '7777' has no mapping"),
    ("Grootboek;Bedrag\n4000;tien euro\n", "export.csv:2: bedrag: 'tien euro' is not an amount"),
    ("Code rekening;Bedrag\n4000;10,00\n", "export.csv:1: no header with a column for the ledger code"),
    # Amounts are read by the column: '128,838' alone can be 128.838 or 128838, and nothing else tells.
    ("Grootboek,Bedrag\n4000,\"128,838\"\n4500,\"1,234\"\n",
     "export.csv: bedrag: the amounts can be read in two ways: '128,838' (line 2) is 128,838 with a decimal comma, "
     "or 128.838 with a comma between thousands; no other amount in the column tells which (export the amounts "
     "with their cents (128.838,00 or 128,838.00), or say how they are written with --decimaal komma (1.234,56) "
     "or --decimaal punt (1,234.56))"),
    ("Grootboek;Bedrag\n4000;1.234,56\n4500;1,234.56\n",
     "export.csv: bedrag: the column mixes two ways of writing amounts: '1.234,56' (line 2) has a decimal comma, "
     "'1,234.56' (line 3) a decimal point"),
    ("Grootboek;Omschrijving;Bedrag\n4000;Salaris;10,00\n4000;Salaris;10,00\n",
     "export.csv:3: this line is the same as line 2, cell for cell: it would be counted twice"),
])
def test_bad_exports_are_located_and_nothing_is_written(source: Path, tmp_path: Path, export: str,
                                                        message: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text(export, encoding="utf-8")
    target = source / "2026" / "voortgang" / "2026-06-30.csv"
    before = target.read_bytes()
    code, out = _run(str(path), "--peildatum", "2026-06-30", "--source", str(source), "--overwrite")
    assert code == 1 and message in out, out
    assert target.read_bytes() == before


def test_a_wrong_mapping_is_located(source: Path, tmp_path: Path) -> None:
    (source / "2026" / "financien" / "grootboek.csv").write_text("grootboek,regel\n4000,personeel\n",
                                                                encoding="utf-8")
    path = tmp_path / "export.csv"
    path.write_text("Grootboek;Bedrag\n4000;10,00\n", encoding="utf-8")
    code, out = _run(str(path), "--peildatum", "2026-06-30", "--source", str(source))
    assert code == 1 and "grootboek.csv:2: regel: unknown budget line 'personeel'" in out, out


def test_amounts_are_read_by_the_column_not_by_the_value(source: Path, tmp_path: Path) -> None:
    """An English-format export: '128,838.00' is 128838, never 128.838 (which was written as 129)."""
    export = tmp_path / "export.csv"
    export.write_text('Grootboek,Bedrag\n4000,"128,838.00"\n4500,"1,000"\n', encoding="utf-8")
    code, out = _run(str(export), "--peildatum", "2026-06-30", "--source", str(source), "--overwrite")
    assert code == 0, out
    rows = _csv(source / "2026" / "voortgang" / "2026-06-30.csv")
    assert rows["personele-lasten"]["tot_peildatum"] == "128838"
    assert rows["communicatie"]["tot_peildatum"] == "1000"  # '1,000' read as the column says: thousands
    # Said once for the column, the same file reads with --decimaal komma as 1,000 euro: rounded, and said so.
    export.write_text('Grootboek,Bedrag\n4000,"128,838"\n4500,"1,5"\n', encoding="utf-8")
    code, out = _run(str(export), "--peildatum", "2026-06-30", "--source", str(source), "--overwrite",
                     "--decimaal", "komma")
    assert code == 0, out
    assert ("source/2026/voortgang/2026-06-30.csv: communicatie: the export's lines (3) add up to 1,5; written in "
            "whole euros as 2") in out.replace(str(source.parent) + "/", "")


def test_title_lines_debet_credit_and_a_negative_realisation(source: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(("Grootboekkaart RIEC Den Haag (fictief)\r\nPeriode: januari-juni 2026\r\n\r\n"
                        "Rekening;Omschrijving;Debet;Credit\r\n4000;Salarissen;1.500,00;\r\n"
                        "4000;Correctie;;250,00\r\n4500;Drukwerk;;900,00\r\n").encode("cp1252"))
    code, out = _run(str(export), "--peildatum", "2026-06-30", "--source", str(source), "--overwrite")
    assert code == 0, out
    assert ("export.csv:1: 3 lines above the header are skipped: Grootboekkaart RIEC Den Haag (fictief) | "
            "Periode: januari-juni 2026") in out
    assert ("export.csv:7: debet: the realisation of 'communicatie' comes to -900, below zero (lines 7)") in out
    rows = _csv(source / "2026" / "voortgang" / "2026-06-30.csv")
    assert rows["personele-lasten"]["tot_peildatum"] == "1250"  # debet minus credit
    assert rows["communicatie"]["tot_peildatum"] == "-900"


def test_target_files_saved_as_excel_saves_them_are_read_and_keep_their_separator(source: Path,
                                                                                  tmp_path: Path) -> None:
    """';' and Windows-1252, as `make check` reads them: no internal error, the other columns kept."""
    for path in (source / "2026" / "voortgang" / "2026-06-30.csv", source / "2026" / "financien" / "realisatie.csv"):
        text = path.read_text(encoding="utf-8")
        assert "," in text
        rows = list(csv.reader(io.StringIO(text)))
        rows[1][-1] = "Toelichting met een é (fictief)."
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
        path.write_bytes(out.getvalue().encode("cp1252"))
    export = tmp_path / "export.csv"
    export.write_text("Grootboek;Bedrag\n4500;75.432,00\n", encoding="utf-8")
    for naar, peil in (("voortgang", "2026-06-30"), ("realisatie", "2026-12-31")):
        code, out = _run(str(export), "--peildatum", peil, "--source", str(source), "--naar", naar, "--overwrite")
        assert code == 0, out
    for path in (source / "2026" / "voortgang" / "2026-06-30.csv", source / "2026" / "financien" / "realisatie.csv"):
        text = path.read_text(encoding="utf-8")
        assert text.splitlines()[0].count(";") >= 3 and "Toelichting met een é (fictief)." in text, text
        assert ";75432;" in text
    check = CliRunner().invoke(main, ["check", "--source", str(source), "--peildatum", "2026-06-30"])
    assert check.exit_code == 0, check.output
