"""Dutch messages of the uitvraag, the finance import, the diff, overnemen, the PDF/preview side and nieuw-jaar.

Each test runs the real command or function in Dutch and compares whole lines; where it is cheap, the
same run in English shows that the English text is still there. The example source is fictitious.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from generator import i18n, pipeline
from generator.cli import main
from generator.errors import UserError
from generator.intake.layout import SHEET_ACTIONS
from generator.publish.accessibility import check_document
from generator.publish.live import Preview
from generator.review import gitrev
from generator.review.diff.compare import Comparison, DocumentDiff
from generator.review.diff.lines import LineChange
from generator.review.diff.reports import summary_markdown, terminal_report
from tests.conftest import EXAMPLES, ROOT, SOURCE

PEIL = "2026-12-31"
STATUS_COL, ID_COL = 8, 1


def _lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines()]


# --- uitvraag: a located cell error with its hint, and a count (one column or several) ------------------


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example source and the workbook sent to 'gemeenten' for the peildatum 2026-12-31."""
    tmp = tmp_path_factory.mktemp("uitvraag")
    source = tmp / "source"
    shutil.copytree(EXAMPLES, source)
    result = pipeline.uitvraag_maak(source, 2026, pipeline.dt.date(2026, 12, 31), tmp / "out")
    return source, result.folder / "gemeenten.xlsx"


def _returned(sent: tuple[Path, Path], tmp_path: Path, cells: dict[str, Any]) -> tuple[Path, str]:
    """The 'gemeenten' workbook with every action 'afgerond', then `cells` of sheet Acties set; its first ID."""
    wb = load_workbook(sent[1])
    ws = wb[SHEET_ACTIONS]
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, ID_COL).value:
            ws.cell(row, STATUS_COL).value = "afgerond"
    for ref, value in cells.items():
        ws[ref].value = value
    path = tmp_path / "gemeenten.xlsx"
    wb.save(path)
    return path, str(ws.cell(2, ID_COL).value)


def _verwerk(sent: tuple[Path, Path], workbook: Path, lang: str) -> Any:
    return CliRunner().invoke(main, ["--lang", lang, "uitvraag", "verwerk", "--peildatum", PEIL,
                                     "--source", str(sent[0]), str(workbook)])


def test_a_wrong_status_in_a_returned_workbook_is_located_in_dutch(sent: tuple[Path, Path], tmp_path: Path) -> None:
    workbook, first = _returned(sent, tmp_path, {"H2": "klaar"})
    dutch = _verwerk(sent, workbook, "nl")
    assert dutch.exit_code == 1, dutch.output
    assert "Fouten in gemeenten.xlsx:" in _lines(dutch.output)
    assert (f"gemeenten.xlsx: Acties!H2 ({first}): status 'klaar' is niet een van: niet gestart, op schema, "
            "vraagt aandacht, afgerond, doorgeschoven, vervallen (kies er een uit de lijst in de cel)"
            in _lines(dutch.output)), dutch.output
    english = _verwerk(sent, workbook, "en")
    assert (f"gemeenten.xlsx: Acties!H2 ({first}): status 'klaar' is not one of: niet gestart, op schema, "
            "vraagt aandacht, afgerond, doorgeschoven, vervallen (choose one from the list in the cell)"
            in _lines(english.output)), english.output
    assert not (sent[0] / "2026" / "voortgang" / f"{PEIL}.yaml").exists()


@pytest.mark.parametrize(("cells", "message"), [
    ({"K1": "Opmerkingen"}, "gemeenten.xlsx: Acties!1: de kolom voorstel ontbreekt in de kopregel "
                            "(vraag de partner de kolommen te laten zoals ze verstuurd zijn)"),
    ({"J1": "Jaar", "K1": "Opmerkingen"},
     "gemeenten.xlsx: Acties!1: de kolommen naar_jaar, voorstel ontbreken in de kopregel "
     "(vraag de partner de kolommen te laten zoals ze verstuurd zijn)"),
], ids=["one column", "two columns"])
def test_missing_columns_are_counted_in_dutch(sent: tuple[Path, Path], tmp_path: Path, cells: dict[str, Any],
                                              message: str) -> None:
    workbook, _first = _returned(sent, tmp_path, cells)
    result = _verwerk(sent, workbook, "nl")
    assert result.exit_code == 1 and message in _lines(result.output), result.output


# --- financien importeer: a located error with a count of lines -------------------------------------------


@pytest.mark.parametrize(("export", "message"), [
    ("Grootboek;Bedrag\n4000;10,00\n7777;5,00\n",
     "export.csv:3: grootboek: grootboekrekening '7777' is niet gekoppeld (regel 3) (voeg hem toe aan "
     "financien/grootboek.csv met zijn begrotingsregel, of met 'negeren')"),
    ("Grootboek;Bedrag\n7777;10,00\n4000;1,00\n7777;5,00\n",
     "export.csv:2: grootboek: grootboekrekening '7777' is niet gekoppeld (regels 2, 4) (voeg hem toe aan "
     "financien/grootboek.csv met zijn begrotingsregel, of met 'negeren')"),
    ("Grootboek;Bedrag\n4000;tien euro\n",
     "export.csv:2: bedrag: 'tien euro' is geen bedrag (schrijf bedragen als 1.234,56 of -1.234,56)"),
], ids=["one line", "two lines", "not an amount"])
def test_a_bad_finance_export_is_located_in_dutch(tmp_path: Path, export: str, message: str) -> None:
    source = tmp_path / "source"
    shutil.copytree(EXAMPLES, source)
    (source / "2026" / "financien" / "grootboek.csv").write_text("grootboek,regel\n4000,personele-lasten\n",
                                                                encoding="utf-8")
    path = tmp_path / "export.csv"
    path.write_text(export, encoding="utf-8")
    result = CliRunner().invoke(main, ["--lang", "nl", "financien", "importeer", str(path), "--peildatum",
                                       "2026-06-30", "--source", str(source)])
    assert result.exit_code == 1 and message in _lines(result.output), result.output


# --- diff: the terminal report ----------------------------------------------------------------------------


def _comparison(changed: int) -> Comparison:
    """A comparison of two versions in which `changed` lines of the agenda's text were edited."""
    edit = LineChange("~", "Inleiding", (("=", "De"), ("-", " oude"), ("+", " nieuwe"), ("=", " tekst")))
    return Comparison(
        gitrev.Version("HEAD~1 (abcdef12)", SOURCE, ROOT / "templates"),
        gitrev.Version("HEAD (12345678)", SOURCE, ROOT / "templates"),
        2026, documents=[DocumentDiff("uitvoeringsagenda-2026.docx", [edit] * changed, b"")])


@pytest.mark.parametrize(("changed", "counts"), [(1, "1 regel gewijzigd, 0 toegevoegd, 0 verwijderd"),
                                                 (2, "2 regels gewijzigd, 0 toegevoegd, 0 verwijderd")])
def test_the_diff_report_is_dutch_with_plurals(changed: int, counts: str) -> None:
    written = {"wijzigingen.md": Path("output/diff/wijzigingen.md")}
    i18n.set_language("nl")
    summary = ["Wijzigingen 2026: HEAD~1 (abcdef12) → HEAD (12345678)", "", "Brongegevens: geen wijzigingen.",
               "Documenten:", f"  • uitvoeringsagenda-2026.docx: {counts}", ""]
    assert terminal_report(_comparison(changed), written).splitlines() == [
        *summary, "Geschreven:", "  output/diff/wijzigingen.md"]
    # The summary is the same Dutch text as wijzigingen.md in either language; only the terminal's own word changes.
    i18n.set_language("en")
    assert terminal_report(_comparison(changed), written).splitlines() == [
        *summary, "Written:", "  output/diff/wijzigingen.md"]
    assert summary_markdown(_comparison(changed)).count(f"uitvoeringsagenda-2026.docx: {counts}") == 1


def test_an_unknown_revision_is_said_in_dutch() -> None:
    i18n.set_language("nl")
    with pytest.raises(UserError) as caught:
        gitrev.resolve(gitrev.repo_root(ROOT), "bestaat-niet")
    assert str(caught.value) == ("er is geen versie 'bestaat-niet' in deze git-repository (controleer de naam met "
                                 "`git log --oneline`)")


# --- overnemen, nieuw-jaar: errors as the user sees them --------------------------------------------------


def test_overnemen_of_a_missing_document_in_dutch(tmp_path: Path) -> None:
    missing = tmp_path / "beoordeeld.docx"
    result = CliRunner().invoke(main, ["--lang", "nl", "overnemen", str(missing), "--source", str(SOURCE)])
    assert result.exit_code == 1
    assert _lines(result.output) == [f"Fout: {missing}: bestand niet gevonden (controleer het pad van het "
                                     "beoordeelde document)"], result.output


def test_a_document_without_markers_is_refused_in_dutch(tmp_path: Path) -> None:
    plain = tmp_path / "brief.docx"
    docx.Document().save(str(plain))
    result = CliRunner().invoke(main, ["--lang", "nl", "overnemen", str(plain), "--source", str(SOURCE)])
    assert result.exit_code == 1
    assert _lines(result.output) == [f"Fout: {plain}: het document heeft geen bronmarkeringen (bladwijzers bron_...) "
                                     "(gebruik een document dat met deze versie van het project gemaakt is (make all) "
                                     "en in Word of LibreOffice beoordeeld is)"], result.output


def test_nieuw_jaar_in_dutch(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(EXAMPLES, source)
    jump = CliRunner().invoke(main, ["--lang", "nl", "nieuw-jaar", "--van", "2026", "--naar", "2028",
                                     "--source", str(source)])
    assert jump.exit_code == 1
    assert _lines(jump.output) == ["Fout: nieuw-jaar gaat één jaar vooruit: --naar moet 2027 zijn, niet 2028"]
    made = CliRunner().invoke(main, ["--lang", "nl", "nieuw-jaar", "--van", "2026", "--naar", "2027",
                                     "--source", str(source)])
    assert made.exit_code == 0, made.output
    todo = [line for line in _lines(made.output) if line.startswith("- ")]
    assert todo == [
        "- agenda.yaml: de titel zegt 2027; de ondertitel, 'Toelichting financieel' en 'frictiebudget' zijn "
        "gekopieerd uit 2026: controleer ze",
        "- inleiding.yaml: Inleiding, Governance, Effecten en Indeling zijn gekopieerd uit 2026; waar ze {jaar} "
        "zeggen, drukken de documenten 2027 af",
        "- hoofdstukken/*.yaml: de titels en inleidingen van de hoofdstukken zijn gekopieerd uit 2026; voeg de "
        "nieuwe acties toe",
        "- financien/begroting.csv: vul de kolom 2029 in (tot dan staat bij de regels en totalen ervan 'in te "
        "vullen') en controleer elk bedrag",
        "- financien/frictiebudget.csv: ongewijzigd gekopieerd uit 2026; verwijder het of werk het bij",
        "- 29 teksten noemen nog een jaar als getal; controleer ze één voor één, en schrijf {jaar}, {vorig_jaar} "
        "of {volgend_jaar} waar het jaar van de agenda bedoeld is (de documenten drukken dan 2027, 2026 of 2028 "
        "af):",
    ], made.output
    again = CliRunner().invoke(main, ["--lang", "nl", "nieuw-jaar", "--van", "2026", "--naar", "2027",
                                      "--source", str(source)])
    target = source / "2027"
    assert _lines(again.output) == [f"Fout: {target} bestaat al: nieuw-jaar overschrijft nooit een jaar (er is "
                                    f"niets gewijzigd; verwijder of hernoem {target} eerst als u 2027 opnieuw wilt "
                                    "beginnen)"]


# --- publish: accessibility findings, the live preview's terminal lines ----------------------------------


def test_accessibility_findings_and_hints_in_dutch(tmp_path: Path) -> None:
    path = tmp_path / "leeg.docx"
    docx.Document().save(str(path))
    i18n.set_language("nl")
    findings = check_document(docx.Document(str(path)))
    assert ("het document heeft geen titel in zijn eigenschappen",
            "voer 'make templates' uit, of vul Bestand > Eigenschappen > Titel in", "error") in findings
    assert ("de taal van het document is '', niet nl-NL",
            "zet de taal van de stijl Standaard op Nederlands (Nederland)", "warning") in findings


def test_the_live_preview_counts_errors_in_dutch(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(EXAMPLES, source)
    agenda = source / "2026" / "agenda.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8").replace("year: 2026", "year: 2O26", 1), encoding="utf-8")
    said: list[str] = []
    i18n.set_language("nl")
    Preview(source, 2026, tmp_path / "out", ROOT / "templates", None, said.append).rebuild()
    assert said[0] == "1 fout; de pagina toont de laatste goede versie en de fout:", said
    # The located error itself is the source validation's message (translated with generator/source).
    assert len(said) == 2 and said[1].startswith("  source/2026/agenda.yaml:8: year: "), said
