"""Totals are computed; every published total that differs is reported."""

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.source.finance import compute_budget_totals, compute_friction, reconcile
from generator.source.validate import Validated
from tests.conftest import ROOT


def test_budget_totals_are_the_sums_of_the_lines(validated: Validated) -> None:
    totals = compute_budget_totals(validated.agenda.finance)
    assert totals.baten == {2025: 7499045, 2026: 7210320, 2027: 7052643, 2028: 7054989}
    assert totals.lasten == {2025: 7073725, 2026: 7525087, 2027: 7417309, 2028: 7518529}
    assert totals.baten_period == 28816997
    assert totals.saldo_period == 28816997 - 29534650


def test_friction_totals(validated: Validated) -> None:
    tables = compute_friction(validated.agenda.finance)
    assert tables["aanvraag"].total == {2025: 705123, 2026: 453500}
    assert tables["besteding"].total == {2025: 551077, 2026: 616044}


def test_every_published_total_that_does_not_add_up_is_found(validated: Validated) -> None:
    found = [(d.total, d.year, d.published, d.computed) for d in reconcile(validated.agenda.finance)]
    # The published lasten leave out the BTW line (145.000; 144.999 in 2026), which also
    # shifts every saldo; the 2026 friction spending leaves out the overhead (8.498).
    assert found == [
        ("lasten", 2025, 6928725, 7073725),
        ("lasten", 2026, 7380088, 7525087),
        ("lasten", 2027, 7272309, 7417309),
        ("lasten", 2028, 7373529, 7518529),
        ("saldo", 2025, 570320, 425320),
        ("saldo", 2026, -169768, -314767),
        ("saldo", 2027, -219666, -364666),
        ("saldo", 2028, -318540, -463540),
        ("saldo", None, -137654, -717653),
        ("frictie-besteding-handreiking", 2026, 607546, 616044),
        ("frictie-besteding-verschil", 2026, 0, -8498),
    ]


# (line, total and year, published, computed, "more"/"less" by how much): the 11 published
# totals of the 2026 agenda that differ from what their lines add up to.
EXPECTED_WARNINGS = [
    (7, "lasten 2025", "Totale lasten", "€ 6.928.725", "€ 7.073.725", "€ 145.000 less", -145000),
    (8, "lasten 2026", "Totale lasten", "€ 7.380.088", "€ 7.525.087", "€ 144.999 less", -144999),
    (9, "lasten 2027", "Totale lasten", "€ 7.272.309", "€ 7.417.309", "€ 145.000 less", -145000),
    (10, "lasten 2028", "Totale lasten", "€ 7.373.529", "€ 7.518.529", "€ 145.000 less", -145000),
    (11, "saldo 2025", "Verschil baten lasten", "€ 570.320", "€ 425.320", "€ 145.000 more", 145000),
    (12, "saldo 2026", "Verschil baten lasten", "€ -169.768", "€ -314.767", "€ 144.999 more", 144999),
    (13, "saldo 2027", "Verschil baten lasten", "€ -219.666", "€ -364.666", "€ 145.000 more", 145000),
    (14, "saldo 2028", "Verschil baten lasten", "€ -318.540", "€ -463.540", "€ 145.000 more", 145000),
    (15, "saldo 2025-2028", "Verschil baten lasten", "€ -137.654", "€ -717.653", "€ 579.999 more", 579999),
    (21, "frictie-besteding-handreiking 2026",
     "Frictiebudget (geactualiseerde besteding): incidentele financiële handreiking",
     "€ 607.546", "€ 616.044", "€ 8.498 less", -8498),
    (23, "frictie-besteding-verschil 2026", "Frictiebudget: verschil aanvraag en besteding (cumulatief)",
     "€ 0", "€ -8.498", "€ 8.498 more", 8498),
]
PUBLISHED = "source/2026/financien/gepubliceerd.csv"
KNOWN_NOTE = (f"{PUBLISHED}: 11 known differences between published totals and their lines, accepted in the "
              "column bekend_verschil (the documents show the computed totals)")


def expected_warning_lines() -> list[str]:
    """The warnings when no difference is recorded as known (the columns left empty)."""
    return [
        f"{PUBLISHED}:{line}: {field}: new difference: the published total '{label}' "
        f"{field.split()[-1]} is {published}, but its lines add up to {computed} (published is {delta}) "
        "(the documents show the computed total; if the published figure is right, correct the lines; "
        f"if the difference is known and accepted, write {known} in the column bekend_verschil of this "
        "row and the reason in reden)"
        for line, field, label, published, computed, delta, known in EXPECTED_WARNINGS
    ]


def test_the_real_source_records_every_difference_as_known(validated: Validated) -> None:
    assert validated.problems.warnings == []
    assert [n.format() for n in validated.problems.notes] == [KNOWN_NOTE]
    known = {(p.total, p.year): (p.known, p.reason) for p in validated.agenda.finance.published if p.known}
    assert [(d.total, d.year) for d in validated.differences] == list(known)
    assert all(len(reason) > 20 for _, reason in known.values())


def test_make_check_sums_the_known_differences_up_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["check", "--year", "2026", "--source", "source"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"Notes in {PUBLISHED}:",
        f"  {KNOWN_NOTE}",
        "0 errors, 0 warnings, 1 note",
    ]


def test_strict_check_passes_on_known_differences(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["check", "--strict"])
    assert result.exit_code == 0, result.output


def _without_known(source: Path) -> None:
    path = source / "2026" / "financien" / "gepubliceerd.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    path.write_text("".join(",".join(row[:3]) + "\n" for row in rows), encoding="utf-8")


def test_unrecorded_differences_are_new_warnings_and_fail_strict(
        source_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _without_known(source_copy)
    monkeypatch.chdir(source_copy.parent)
    result = CliRunner().invoke(main, ["check", "--source", "source"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"Warnings in {PUBLISHED}:",
        *(f"  {w}" for w in expected_warning_lines()),
        "0 errors, 11 warnings",
    ]
    strict = CliRunner().invoke(main, ["check", "--strict", "--source", "source"])
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[-1] == "0 errors, 11 warnings"


def test_a_changed_difference_stands_out_and_names_what_changed(
        source_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The editor's case from issue 12: a Communicatie edit moves '€ 144.999 less' to '€ 149.999 less'.
    budget = source_copy / "2026" / "financien" / "begroting.csv"
    text = budget.read_text(encoding="utf-8")
    assert "communicatie,lasten,Communicatie,60000,70000," in text
    budget.write_text(text.replace("communicatie,lasten,Communicatie,60000,70000,",
                                   "communicatie,lasten,Communicatie,60000,75000,"), encoding="utf-8")
    monkeypatch.chdir(source_copy.parent)
    result = CliRunner().invoke(main, ["check", "--source", "source"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"Warnings in {PUBLISHED}:",
        f"  {PUBLISHED}:8: lasten 2026: changed difference: the published total 'Totale lasten' 2026 was known "
        "to be € 144.999 less than its lines, and is now € 149.999 less (published € 7.380.088, its lines now "
        "add up to € 7.530.087) (check the lines changed since; if the new difference is right, write -149999 "
        "in bekend_verschil and update reden)",
        f"  {PUBLISHED}:12: saldo 2026: changed difference: the published total 'Verschil baten lasten' 2026 was "
        "known to be € 144.999 more than its lines, and is now € 149.999 more (published € -169.768, its lines "
        "now add up to € -319.767) (check the lines changed since; if the new difference is right, write 149999 "
        "in bekend_verschil and update reden)",
        f"  {PUBLISHED}:15: saldo 2025-2028: changed difference: the published total 'Verschil baten lasten' "
        "2025-2028 was known to be € 579.999 more than its lines, and is now € 584.999 more (published "
        "€ -137.654, its lines now add up to € -722.653) (check the lines changed since; if the new difference "
        "is right, write 584999 in bekend_verschil and update reden)",
        f"Notes in {PUBLISHED}:",
        f"  {PUBLISHED}: 8 known differences between published totals and their lines, accepted in the column "
        "bekend_verschil (the documents show the computed totals)",
        "0 errors, 3 warnings, 1 note",
    ]
    assert CliRunner().invoke(main, ["check", "--strict", "--source", "source"]).exit_code == 1


def test_a_known_difference_that_is_gone_is_said(source_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Correcting the published 2025 lasten to what the lines add up to leaves a stale known difference.
    published = source_copy / "2026" / "financien" / "gepubliceerd.csv"
    text = published.read_text(encoding="utf-8")
    published.write_text(text.replace("lasten,2025,6928725,", "lasten,2025,7073725,"), encoding="utf-8")
    monkeypatch.chdir(source_copy.parent)
    result = CliRunner().invoke(main, ["check", "--source", "source"])
    warnings = [line.strip() for line in result.stderr.splitlines() if ": changed difference:" in line]
    assert warnings[0] == (
        f"{PUBLISHED}:7: lasten 2025: changed difference: the published total 'Totale lasten' 2025 now equals "
        "what its lines add up to (€ 7.073.725); the known difference (published is € 145.000 less) is gone "
        "(if that is right, empty the cells bekend_verschil and reden of this row)")


@pytest.mark.parametrize(("old", "new", "message"), [
    ("-145000,De gepubliceerde Totale lasten tellen de regel BTW (145.000) niet mee.\n", "-145000,\n",
     f"{PUBLISHED}:7: reden: a known difference needs a reason (write in reden why the published total "
     "differs from its lines)"),
    ("lasten,2025,6928725,-145000,", "lasten,2025,6928725,,",
     f"{PUBLISHED}:7: bekend_verschil: a reason is given but no known difference (write the accepted "
     "difference (published minus computed) in bekend_verschil, or empty the cell reden)"),
    ("lasten,2025,6928725,-145000,", "lasten,2025,6928725,-145.000,",
     f"{PUBLISHED}:7: bekend_verschil: amount '-145.000' is written with € or dots (write whole euros as "
     "digits only: -145000)"),
])
def test_known_difference_mistakes_are_located_errors(old: str, new: str, message: str, source_copy: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    published = source_copy / "2026" / "financien" / "gepubliceerd.csv"
    text = published.read_text(encoding="utf-8")
    assert old in text
    published.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.chdir(source_copy.parent)
    result = CliRunner().invoke(main, ["check", "--source", "source"])
    assert result.exit_code == 1
    assert f"  {message}" in result.stderr.splitlines(), result.stderr
