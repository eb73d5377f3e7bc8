"""The agenda's year as a value: placeholders in the source, the next year's agenda, the year found by make."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.content.years import fill_context, fill_years, keep_placeholders
from generator.review.docxtext import docx_text
from generator.source.yeartexts import PLACEHOLDER
from tests.conftest import ROOT

DOCUMENTS = ["uitvoeringsagenda-2026.docx", "voortgangsrapportage-2026.docx", "jaarverslag-2026.docx"]


def literal(folder: Path, year: int) -> int:
    """Write every placeholder under `folder` as the number it stands for; return how many there were."""
    count = 0
    for path in folder.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        count += len(PLACEHOLDER.findall(text))
        path.write_text(fill_years(text, year), encoding="utf-8")
    return count


# --- the substitution ---------------------------------------------------------------------------


class Located(str):
    """A text that knows where it came from, as the loaded texts will (provenance)."""

    where: str

    def __new__(cls, text: str, where: str) -> Located:
        value = super().__new__(cls, text)
        value.where = where
        return value

    def map_text(self, change: Callable[[str], str]) -> Located:
        return Located(change(str(self)), self.where)


def test_fill_years_prints_the_numbers_and_keeps_where_a_text_came_from() -> None:
    assert fill_years("In {jaar} wordt, na {vorig_jaar} en voor {volgend_jaar}.", 2027) == \
        "In 2027 wordt, na 2026 en voor 2028."
    text = "Geen plaatshouder: {Jaar}, {jaar }, {x}."
    assert fill_years(text, 2027) is text  # nothing else in braces is touched
    located = fill_years(Located("Acties {jaar}", "2027/hoofdstukken/acties-2026.yaml:8"), 2027)
    assert (type(located), located, located.where) == (Located, "Acties 2027", "2027/hoofdstukken/acties-2026.yaml:8")
    context = {"a": ["In {jaar}", {"b": "Acties {jaar}"}], "n": 3, "same": "x"}
    assert fill_context(context, 2026) == {"a": ["In 2026", {"b": "Acties 2026"}], "n": 3, "same": "x"}


@pytest.mark.parametrize(("new", "written"), [
    ("In 2026 wordt Y gedaan, na 2025.", "In {jaar} wordt Y gedaan, na {vorig_jaar}."),  # the words changed
    ("In 2028 wordt X, na 2025.", "In 2028 wordt X, na {vorig_jaar}."),  # the reviewer changed the year
    ("Dit jaar wordt X, na 2025.", "Dit jaar wordt X, na {vorig_jaar}."),  # the year deleted
    ("In 2026 wordt X, na 20255.", "In {jaar} wordt X, na 20255."),  # a number typed into the year
])
def test_a_reviewers_text_keeps_the_placeholders_whose_year_was_left(new: str, written: str) -> None:
    assert keep_placeholders("In {jaar} wordt X, na {vorig_jaar}.", new, 2026) == written


def test_placeholders_print_exactly_what_the_literal_year_printed(examples_copy: Path, tmp_path: Path) -> None:
    """The golden comparison: the documents from the source with placeholders, and from the same source with
    each placeholder written as its number (as the 2026 source was before), are the same bytes."""
    pipeline.build(examples_copy, 2026, tmp_path / "placeholders", ["agenda", "voortgang", "jaarverslag"])
    assert literal(examples_copy, 2026) > 50
    pipeline.build(examples_copy, 2026, tmp_path / "literal", ["agenda", "voortgang", "jaarverslag"])
    for name in DOCUMENTS:
        assert (tmp_path / "placeholders" / name).read_bytes() == (tmp_path / "literal" / name).read_bytes(), name
    agenda = docx_text(tmp_path / "literal" / DOCUMENTS[0])
    assert "# Acties 2026" in agenda and "Voor u ligt de uitvoeringsagenda voor het jaar 2026." in agenda
    assert "{jaar}" not in agenda


# --- the next year ------------------------------------------------------------------------------


def make(*args: str) -> str:
    result = subprocess.run(["make", "-s", *args], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def line_of(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text[:text.index(needle)].count("\n") + 1


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


def test_the_2027_agenda_from_the_real_source_speaks_of_2027(source_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    created = make("nieuw-jaar", "VAN=2026", "NAAR=2027", f"SOURCE={source_copy}")
    # Every text that still names a year as a number, with file and line, in one list.
    spoor2 = source_copy / "2027" / "hoofdstukken" / "spoor-2.yaml"
    assert (f"      source/2027/hoofdstukken/spoor-2.yaml:{line_of(spoor2, 'In januari 2025')}: "
            "sections[0].actions[2].text: 'In januari 2025 is een (politie)medewerker bij…'") in created
    assert "texts still name a year as a number" in created and "{jaar}" in created
    assert "the title and subtitle" not in created  # the title already says 2027
    # Without YEAR, make builds the newest year and says which.
    built = make("agenda", f"SOURCE={source_copy}", f"OUT={out}")
    assert f"Year 2027: the newest in {source_copy}" in built
    assert sorted(p.name for p in out.glob("*.docx")) == ["uitvoeringsagenda-2027.docx"]
    agenda = docx_text(out / "uitvoeringsagenda-2027.docx")
    assert not [h for h in headings(agenda) if "2026" in h], headings(agenda)
    for heading in ("# Uitvoeringsagenda 2027", "# Indeling uitvoeringsagenda 2027", "# Acties 2027"):
        assert heading in headings(agenda)
    assert "Voor u ligt de uitvoeringsagenda voor het jaar 2027." in agenda
    assert "In 2027 blijft het RIEC-bureau gemeenten actief ondersteunen" in agenda
    # The budget covers 2026-2029; the 2029 column is there, to be filled in, and no total leaves it out.
    table = agenda[agenda.index("| Baten RIEC | 2026 | 2027 | 2028 | 2029 |"):]
    table = table[:table.index("\n", table.index("| Verschil baten lasten totaal"))]  # the three budget tables
    rows = [r for r in table.splitlines() if r.startswith("| ") and "RIEC" not in r and "Verschil baten en" not in r]
    assert len(rows) > 20 and all(r.endswith("| in te vullen |") for r in rows), rows
    assert "| Totale baten 2026-2029 |  |  |  | in te vullen |" in rows
    assert "| Totale lasten 2026-2029 |  |  |  | in te vullen |" in rows
    assert "| Verschil baten lasten totaal 2026-2029 |  |  |  | in te vullen |" in rows
    assert "| Rijksbijdrage | € 5.953.678 | € 6.211.354 | € 6.211.354 | in te vullen |" in rows
    # make check lists what the editors still have to do, each with file and line: the empty column, and
    # every sentence that still speaks of 2026 as the current year (facts of 2026 only they can reword).
    checked = make("check", f"SOURCE={source_copy}")
    assert ("source/2027/financien/begroting.csv:1: 2029: the column 2029 has no amounts yet (the documents show "
            "its lines and totals as 'in te vullen') (fill in the amounts of 2029; write 0 where a line has none)") \
        in checked
    inleiding = source_copy / "2027" / "inleiding.yaml"
    assert (f"source/2027/inleiding.yaml:{line_of(inleiding, 'Dit zal in 2026')}: inleiding[0]: this text speaks "
            "of 2026 as the current year in the agenda of 2027:") in checked
    warned = [line for line in checked.splitlines() if "speaks of 2026 as the current year" in line]
    sentences = [" ".join(s.split()) for s in re.split(r"(?<=\.) ", agenda)
                 if re.search(r"\b[Ii]n 2026\b[^.]*\b(wordt|worden|zal|zullen|plaatsvinden)\b", s)]
    assert len(sentences) >= 3
    for sentence in sentences:
        phrase = re.search(r"\S+ 2026 \S+", sentence)
        assert phrase and any(phrase.group(0) in line for line in warned), (sentence, warned)


def test_the_2027_agenda_from_the_examples_speaks_of_2027(examples_copy: Path, tmp_path: Path) -> None:
    code = CliRunner().invoke(main, ["nieuw-jaar", "--source", str(examples_copy), "--van", "2026", "--naar", "2027"])
    assert code.exit_code == 0, code.output
    spoor1 = examples_copy / "2027" / "hoofdstukken" / "spoor-1.yaml"
    text = spoor1.read_text(encoding="utf-8")
    spoor1.write_text(text.replace("In {jaar} zetten we in", "In {Jaar} zetten we in", 1), encoding="utf-8")
    checked = CliRunner().invoke(main, ["check", "--source", str(examples_copy)])
    assert (f"Year 2027: the newest in {examples_copy}") in checked.output
    assert (f"2027/hoofdstukken/spoor-1.yaml:{line_of(spoor1, '{Jaar}')}: sections[2].actions[0].text: '{{Jaar}}' "
            "is not a year placeholder, so it is printed as it is (write {jaar}, {vorig_jaar} or {volgend_jaar})") \
        in checked.output
    # nieuw-jaar left sections without actions (their actions were afgerond): each is on the editors' list.
    assert (f"2027/hoofdstukken/spoor-1.yaml:{line_of(spoor1, 'actions: []')}: sections[0].actions: section "
            "'Preventieve integrale jeugdaanpak' has no actions") in checked.output
    assert "2027/financien/begroting.csv:1: 2029: the column 2029 has no amounts yet" in checked.output
    spoor1.write_text(text, encoding="utf-8")
    pipeline.build(examples_copy, 2027, tmp_path, ["agenda"])
    agenda = docx_text(tmp_path / "uitvoeringsagenda-2027.docx")
    assert not [h for h in headings(agenda) if "2026" in h], headings(agenda)
    assert "# Acties 2027" in headings(agenda) and "# Indeling uitvoeringsagenda 2027" in headings(agenda)
    assert "| Totale baten 2026-2029 |  |  |  | in te vullen |" in agenda
    assert "VOORBEELD - fictieve gegevens" in agenda


def test_a_section_left_without_actions_is_reported(source_copy: Path) -> None:
    spoor1 = source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml"
    text = spoor1.read_text(encoding="utf-8")
    start = text.index("    actions:\n")
    end = text.index("\n  - ", start)  # the next section
    spoor1.write_text(text[:start] + "    actions: []\n" + text[end + 1:], encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--source", str(source_copy), "--year", "2026"])
    assert (f"2026/hoofdstukken/spoor-1.yaml:{line_of(spoor1, 'actions: []')}: sections[0].actions: section "
            "'Preventieve integrale jeugdaanpak' has no actions (the document prints its title without actions) "
            "(add the actions of this year, or remove the section)") in result.output


def test_without_year_the_cli_takes_the_newest_and_says_which(source_copy: Path) -> None:
    """No year is typed in the CLI (nor in the Makefile: see the 2027 test above, which runs make)."""
    (source_copy / "2031").mkdir()
    result = CliRunner().invoke(main, ["check", "--source", str(source_copy)])
    assert result.exit_code == 1
    assert f"Year 2031: the newest in {source_copy}" in result.output and "2031/agenda.yaml" in result.output
