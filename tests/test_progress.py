"""Progress and result files: every mistake gives a located, exact message; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.errors import ValidationFailed

VOORTGANG = "2026/voortgang/2026-06-30.yaml"
VOORTGANG_CSV = "2026/voortgang/2026-06-30.csv"
REALISATIE = "2026/financien/realisatie.csv"
JAARVERSLAG = "2026/jaarverslag.yaml"
STATUSES = "niet gestart, op schema, vraagt aandacht, afgerond, doorgeschoven, vervallen"


def errors(source: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        pipeline.check(source, 2026)
    return [p.format() for p in caught.value.problems.errors]


def write_voortgang(source: Path, acties: str) -> None:
    """Replace the June progress; the jaarverslag, which builds on its voorstellen, is taken out."""
    (source / VOORTGANG).write_text("peildatum: 2026-06-30\nacties:\n" + acties, encoding="utf-8")
    (source / JAARVERSLAG).unlink()


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_example_and_the_real_source_are_valid() -> None:
    from tests.conftest import EXAMPLES, SOURCE

    for source in (SOURCE, EXAMPLES):
        assert pipeline.check(source, 2026).problems.errors == []


def test_progress_for_an_unknown_action(examples_copy: Path) -> None:
    # An entry is located at its key: the line of `s1-7:`.
    write_voortgang(examples_copy, "  S1-01:\n    status: op schema\n  s1-7:\n    status: op schema\n"
                                   "  XYZ-999:\n    status: op schema\n")
    assert errors(examples_copy) == [
        f"examples/{VOORTGANG}:5: acties.s1-7: unknown action 's1-7' (did you mean 'S1-07'?)",
        f"examples/{VOORTGANG}:7: acties.XYZ-999: unknown action 'XYZ-999' "
        "(use the ID of an action in hoofdstukken/*.yaml)",
    ]


def test_a_status_outside_the_vocabulary(examples_copy: Path) -> None:
    write_voortgang(examples_copy, "  S1-01:\n    status: loopt\n")
    assert errors(examples_copy) == [
        f"examples/{VOORTGANG}:4: acties.S1-01.status: 'loopt' is not allowed (use one of: {STATUSES})",
    ]


def test_a_status_that_needs_a_toelichting(examples_copy: Path) -> None:
    write_voortgang(examples_copy, "  S1-01:\n    status: op schema\n  S1-02:\n    status: vraagt aandacht\n"
                                   "  S1-03:\n    status: niet gestart\n")
    assert errors(examples_copy) == [
        f"examples/{VOORTGANG}:5: acties.S1-02: status 'vraagt aandacht' needs a 'toelichting' "
        "(explain the status; only 'op schema' and 'afgerond' can go without)",
        f"examples/{VOORTGANG}:7: acties.S1-03: status 'niet gestart' needs a 'toelichting' "
        "(explain the status; only 'op schema' and 'afgerond' can go without)",
    ]


def test_doorgeschoven_and_vervallen_need_the_stuurgroep_decision(examples_copy: Path) -> None:
    write_voortgang(examples_copy,
                    "  S1-01:\n    status: vervallen\n    toelichting: Niet meer nodig.\n"
                    "  S1-02:\n    status: doorgeschoven\n    toelichting: Later.\n"
                    "  S1-03:\n    status: doorgeschoven\n    toelichting: Later.\n    naar_jaar: 2026\n"
                    "    besluit:\n      referentie: SG-2026-03\n")
    propose = ("propose it first: add 'voorstel:' with 'wat:', 'waarom:'{}, then record the stuurgroep's "
               "'besluit:' (datum, referentie) under it")
    with_year = propose.format(" and 'naar_jaar:'")
    assert errors(examples_copy) == [
        f"examples/{VOORTGANG}:12: acties.S1-03.naar_jaar: an action of 2026 cannot move to 2026 "
        "(use a later year, e.g. 2027)",
        f"examples/{VOORTGANG}:3: acties.S1-01: status 'vervallen' needs the stuurgroep decision "
        f"({propose.format('')})",
        f"examples/{VOORTGANG}:6: acties.S1-02: status 'doorgeschoven' needs the stuurgroep decision "
        f"({with_year})",
    ]


def test_realisation_for_an_unknown_budget_line(examples_copy: Path) -> None:
    replace_in(examples_copy / REALISATIE, "begroting,lpo,", "begroting,lpoo,")
    replace_in(examples_copy / VOORTGANG_CSV, "regiobijdrage,", "regiobijdrag,")
    assert errors(examples_copy) == [
        f"examples/{VOORTGANG_CSV}:4: regel: unknown budget line 'regiobijdrag' "
        "(did you mean 'regiobijdrage' or 'regiobijdrage-2024' or 'rijksbijdrage'?)",
        f"examples/{REALISATIE}:3: regel: unknown budget line 'lpoo' (did you mean 'lpo'?)",
    ]


def test_a_variance_above_the_threshold_needs_a_toelichting(examples_copy: Path) -> None:
    # 5% of a small line, and € 25.000 of a large one, each without a toelichting.
    replace_in(examples_copy / VOORTGANG_CSV, "rijksbijdrage,2798229,5953678,", "rijksbijdrage,2798229,5920000,")
    replace_in(examples_copy / REALISATIE, "begroting,liec,59382,", "begroting,liec,63000,")
    assert errors(examples_copy) == [
        f"examples/{VOORTGANG_CSV}:2: toelichting: the prognose differs € 33.678 N (0,6%) from the begroting "
        "of € 5.953.678 and needs a toelichting (the threshold is € 25.000 or 5%)",
        f"examples/{REALISATIE}:13: toelichting: the realisatie differs € 3.000 N (5%) from the begroting "
        "of € 60.000 and needs a toelichting (the threshold is € 25.000 or 5%)",
    ]


def test_a_variance_below_the_threshold_needs_no_toelichting(examples_copy: Path) -> None:
    replace_in(examples_copy / REALISATIE, "begroting,liec,59382,", "begroting,liec,57001,")  # 4,998%
    assert pipeline.check(examples_copy, 2026).problems.errors == []


def test_jaarverslag_references(examples_copy: Path) -> None:
    replace_in(examples_copy / JAARVERSLAG, "  spoor-2:\n", "  spoor-22:\n")
    replace_in(examples_copy / JAARVERSLAG, "[fiu-onderzoeker, heit]", "[fiu-onderzoeker, heit, boost]")
    replace_in(examples_copy / JAARVERSLAG, "  - effect: 4\n", "  - effect: 5\n")
    lines = (examples_copy / JAARVERSLAG).read_text(encoding="utf-8").splitlines()
    chapter = lines.index("  spoor-22:") + 1
    effect = lines.index("  - effect: 5") + 1
    assert errors(examples_copy) == [
        f"examples/{JAARVERSLAG}:{chapter}: hoofdstukken.spoor-22: unknown chapter 'spoor-22' "
        "(did you mean 'spoor-2' or 'spoor-1' or 'spoor-3b'?)",
        f"examples/{JAARVERSLAG}:{chapter + 13}: hoofdstukken.spoor-3a.begrotingsregels[1]: budget line 'boost' "
        "is already assigned to 'spoor-22' (assign each budget line to one chapter only)",
        f"examples/{JAARVERSLAG}:{effect}: effecten[3].effect: there is no maatschappelijk effect 5 "
        "(use one of: 1, 2, 3, 4)",
    ]


def test_a_peildatum_without_a_progress_file(examples_copy: Path) -> None:
    with pytest.raises(ValidationFailed) as caught:
        pipeline.check(examples_copy, 2026, peildatum=__import__("datetime").date(2026, 12, 31))
    assert [p.format() for p in caught.value.problems.errors] == [
        "examples/2026/voortgang/2026-12-31.yaml: there is no progress file for the peildatum 2026-12-31 "
        "(use one of: 2026-06-30)",
    ]


def test_cli_reports_every_error_and_writes_nothing(examples_copy: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_voortgang(examples_copy, "  S1-91:\n    status: op schema\n  S1-02:\n    status: vervallen\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--source", str(examples_copy), "--output", str(out)])
    assert result.exit_code == 1
    assert "acties.S1-91: unknown action 'S1-91'" in result.output
    assert "acties.S1-02: status 'vervallen' needs a 'toelichting'" in result.output
    assert "acties.S1-02: status 'vervallen' needs the stuurgroep decision" in result.output
    assert "Traceback" not in result.output
    assert "Nothing was written." in result.output
    assert not out.exists()
