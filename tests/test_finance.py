"""Totals are computed; every published total that differs is reported."""

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
    (7, "lasten 2025", "Totale lasten", "€ 6.928.725", "€ 7.073.725", "€ 145.000 less"),
    (8, "lasten 2026", "Totale lasten", "€ 7.380.088", "€ 7.525.087", "€ 144.999 less"),
    (9, "lasten 2027", "Totale lasten", "€ 7.272.309", "€ 7.417.309", "€ 145.000 less"),
    (10, "lasten 2028", "Totale lasten", "€ 7.373.529", "€ 7.518.529", "€ 145.000 less"),
    (11, "saldo 2025", "Verschil baten lasten", "€ 570.320", "€ 425.320", "€ 145.000 more"),
    (12, "saldo 2026", "Verschil baten lasten", "€ -169.768", "€ -314.767", "€ 144.999 more"),
    (13, "saldo 2027", "Verschil baten lasten", "€ -219.666", "€ -364.666", "€ 145.000 more"),
    (14, "saldo 2028", "Verschil baten lasten", "€ -318.540", "€ -463.540", "€ 145.000 more"),
    (15, "saldo 2025-2028", "Verschil baten lasten", "€ -137.654", "€ -717.653", "€ 579.999 more"),
    (21, "frictie-besteding-handreiking 2026",
     "Frictiebudget (geactualiseerde besteding): incidentele financiële handreiking",
     "€ 607.546", "€ 616.044", "€ 8.498 less"),
    (23, "frictie-besteding-verschil 2026", "Frictiebudget: verschil aanvraag en besteding (cumulatief)",
     "€ 0", "€ -8.498", "€ 8.498 more"),
]


def expected_warning_lines() -> list[str]:
    return [
        f"source/2026/financien/gepubliceerd.csv:{line}: {field}: the published total '{label}' "
        f"{field.split()[-1]} is {published}, but its lines add up to {computed} (published is {delta}) "
        "(the documents show the computed total; if the published figure is right, correct the lines)"
        for line, field, label, published, computed, delta in EXPECTED_WARNINGS
    ]


def test_differences_are_warnings_with_line_and_amounts(validated: Validated) -> None:
    assert [w.format() for w in validated.problems.warnings] == expected_warning_lines()


def test_make_check_prints_every_difference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["check", "--year", "2026", "--source", "source"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines == [
        "Warnings in source/2026/financien/gepubliceerd.csv:",
        *(f"  {w}" for w in expected_warning_lines()),
        "0 errors, 11 warnings",
    ]


def test_strict_check_fails_on_the_differences(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["check", "--strict"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "0 errors, 11 warnings"
