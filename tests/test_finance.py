"""Totals are computed; every published total that differs is reported."""

from generator.finance import compute_budget_totals, compute_friction, reconcile
from generator.validate import Validated


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


def test_differences_are_warnings_with_line_and_amounts(validated: Validated) -> None:
    messages = [w.format() for w in validated.problems.warnings]
    assert ("source/2026/financien/gepubliceerd.csv:8: lasten 2026: published total 'Totale lasten' "
            "2026 is € 7.380.088, but its lines add up to € 7.525.087 (difference € -144.999) "
            "(the documents show the computed total)") in messages
    assert len(messages) == 11
