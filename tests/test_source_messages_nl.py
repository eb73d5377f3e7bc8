"""The source checks' messages in Dutch, the users' language, through the real `check` command.

The bad-input corpus (tests/test_bad_input.py) pins one located error with its hint per mistake, in
both languages. These tests pin what the corpus does not: counts in the singular and the plural, the
summary note and the warnings about published totals as the terminal shows them, whole.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.conftest import ROOT

PUBLISHED = Path("source/2026/financien/gepubliceerd.csv")
BUDGET = Path("source/2026/financien/begroting.csv")


@pytest.fixture
def project(source_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the real source as `source/` in the working folder, so messages name 'source/...'."""
    monkeypatch.chdir(source_copy.parent)
    return source_copy.parent


def check(lang: str) -> tuple[int, list[str]]:
    """Exit code and the lines `check` prints to the terminal (stderr), in `lang`."""
    result = CliRunner().invoke(main, ["--lang", lang, "check", "--year", "2026", "--source", "source",
                                       "--templates", str(ROOT / "templates")])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.splitlines()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_known_differences_are_one_dutch_note(project: Path) -> None:
    code, lines = check("nl")
    assert code == 0
    assert lines == [
        "Meldingen bij source/2026/financien/gepubliceerd.csv:",
        "  source/2026/financien/gepubliceerd.csv: 11 bekende verschillen tussen gepubliceerde totalen en de som "
        "van hun regels, aanvaard in de kolom bekend_verschil (de documenten tonen de berekende totalen)",
        "0 fouten, 0 waarschuwingen, 1 melding",
    ]


def _reset_known_differences(project: Path) -> None:
    """Keep one known difference, change one, and remove the others: they become new differences."""
    path = project / PUBLISHED
    rows = []
    for row in path.read_text(encoding="utf-8").splitlines():
        cells = row.split(",")
        if row.startswith("lasten,2026,"):
            row = row.replace(",-144999,", ",-144998,")
        elif len(cells) > 3 and cells[3] and not row.startswith(("totaal,", "frictie-besteding-verschil,")):
            row = ",".join(cells[:3]) + ",,"
        rows.append(row)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_new_and_changed_differences_in_dutch(project: Path) -> None:
    _reset_known_differences(project)
    code, lines = check("nl")
    assert code == 0
    assert lines[0] == "Waarschuwingen in source/2026/financien/gepubliceerd.csv:"
    assert (
        "  source/2026/financien/gepubliceerd.csv:7: lasten 2025: nieuw verschil: het gepubliceerde totaal "
        "'Totale lasten' 2025 is € 6.928.725, maar de regels tellen op tot € 7.073.725 (gepubliceerd is "
        "€ 145.000 lager) (de documenten tonen het berekende totaal; klopt het gepubliceerde bedrag, verbeter "
        "dan de regels; is het verschil bekend en aanvaard, schrijf dan -145000 in de kolom bekend_verschil "
        "van deze rij en de reden in reden)") in lines
    assert (
        "  source/2026/financien/gepubliceerd.csv:11: saldo 2025: nieuw verschil: het gepubliceerde totaal "
        "'Verschil baten lasten' 2025 is € 570.320, maar de regels tellen op tot € 425.320 (gepubliceerd is "
        "€ 145.000 hoger) (de documenten tonen het berekende totaal; klopt het gepubliceerde bedrag, verbeter "
        "dan de regels; is het verschil bekend en aanvaard, schrijf dan 145000 in de kolom bekend_verschil "
        "van deze rij en de reden in reden)") in lines
    assert (
        "  source/2026/financien/gepubliceerd.csv:8: lasten 2026: gewijzigd verschil: het gepubliceerde totaal "
        "'Totale lasten' 2026 was bekend als € 144.998 lager dan de som van de regels, en is nu € 144.999 lager "
        "(gepubliceerd € 7.380.088, de regels tellen nu op tot € 7.525.087) (controleer de regels die sindsdien "
        "zijn gewijzigd; klopt het nieuwe verschil, schrijf dan -144999 in bekend_verschil en werk reden bij)"
    ) in lines
    # One known difference left: the singular, in both languages.
    assert lines[-3:] == [
        "Meldingen bij source/2026/financien/gepubliceerd.csv:",
        "  source/2026/financien/gepubliceerd.csv: 1 bekend verschil tussen gepubliceerde totalen en de som van "
        "hun regels, aanvaard in de kolom bekend_verschil (de documenten tonen de berekende totalen)",
        "0 fouten, 10 waarschuwingen, 1 melding",
    ]
    code, lines = check("en")
    assert lines[-2:] == [
        "  source/2026/financien/gepubliceerd.csv: 1 known difference between published totals and their lines, "
        "accepted in the column bekend_verschil (the documents show the computed totals)",
        "0 errors, 10 warnings, 1 note",
    ]


@pytest.mark.parametrize(("header", "dutch", "english"), [
    ("regel,sort,omschrijving,", "in de kopregel ontbreekt de kolom soort", "header lacks the column soort"),
    ("regel,sort,omschrijvng,", "in de kopregel ontbreken de kolommen soort, omschrijving",
     "header lacks the columns soort, omschrijving"),
])
def test_missing_columns_singular_and_plural(project: Path, header: str, dutch: str, english: str) -> None:
    edit(project / BUDGET, "regel,soort,omschrijving,", header)
    for lang, message, hint in (("nl", dutch, "de kopregel moet zijn: regel,soort,omschrijving,<jaren>"),
                                ("en", english, "the header must be: regel,soort,omschrijving,<years>")):
        code, lines = check(lang)
        assert code == 1
        assert f"  source/2026/financien/begroting.csv:1: {message} ({hint})" in lines


def _realisation(project: Path, leave_out: tuple[str, ...]) -> None:
    """A realisatie.csv equal to the 2026 budget, except personele-lasten (€ 100.000 over) and `leave_out`."""
    out = ["tabel,regel,realisatie,toelichting"]
    for row in (project / BUDGET).read_text(encoding="utf-8").splitlines()[1:]:
        regel, amount = row.split(",")[0], row.split(",")[4]
        if amount and regel not in leave_out:
            over = 100000 if regel == "personele-lasten" else 0
            out.append(f"begroting,{regel},{int(amount) + over},")
    (project / "source/2026/financien/realisatie.csv").write_text("\n".join(out) + "\n", encoding="utf-8")


def test_realisation_report_in_dutch(project: Path) -> None:
    _realisation(project, ("huisvesting",))
    code, lines = check("nl")
    assert code == 1
    assert lines == [
        "Fouten in source/2026/financien/realisatie.csv:",
        "  source/2026/financien/realisatie.csv:10: toelichting: de realisatie wijkt € 100.000 N (3,1%) af van de "
        "begroting van € 3.276.247 en heeft een toelichting nodig (de grens is € 25.000 of 5%)",
        "Waarschuwingen in source/2026/financien/realisatie.csv:",
        "  source/2026/financien/realisatie.csv: regel: geen rij voor de begrotingsregel huisvesting (de rapportage "
        "toont die als 'nog niet gerapporteerd')",
        "Meldingen bij source/2026/financien/gepubliceerd.csv:",
        "  source/2026/financien/gepubliceerd.csv: 11 bekende verschillen tussen gepubliceerde totalen en de som "
        "van hun regels, aanvaard in de kolom bekend_verschil (de documenten tonen de berekende totalen)",
        "1 fout, 1 waarschuwing, 1 melding",
    ]


def test_missing_budget_lines_plural(project: Path) -> None:
    _realisation(project, ("huisvesting", "liec"))
    for lang, line in (
        ("nl", "  source/2026/financien/realisatie.csv: regel: geen rij voor de begrotingsregels huisvesting, liec "
               "(de rapportage toont die als 'nog niet gerapporteerd')"),
        ("en", "  source/2026/financien/realisatie.csv: regel: no row for the budget lines huisvesting, liec "
               "(the report shows them as 'nog niet gerapporteerd')"),
    ):
        assert line in check(lang)[1]
