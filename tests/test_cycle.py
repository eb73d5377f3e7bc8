"""`nieuw-jaar`: next year's source from this year's, both years side by side, and the diff between them."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.cycle import newyear
from generator.review.diff.redline import tracked_changes
from generator.review.docxtext import docx_text
from generator.source.progress import load_all
from generator.source.validate import load_agenda
from tests.conftest import EXAMPLES, ROOT, SOURCE


def tree(folder: Path) -> dict[str, str]:
    """Every file under a folder with the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(source: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["nieuw-jaar", "--source", str(source), *args])
    return result.exit_code, result.output


def test_nieuw_jaar_from_the_real_source(source_copy: Path, tmp_path: Path) -> None:
    before = tree(source_copy / "2026")
    code, output = run(source_copy, "--van", "2026", "--naar", "2027")
    assert code == 0, output
    assert "Carried over (no report of 2026: all actions): 113 actions" in output
    assert "Left behind: 0 actions." in output
    assert tree(source_copy / "2026") == before, "the 2026 source must not change"
    # No leftovers.
    assert sorted(p.name for p in source_copy.iterdir()) == ["2026", "2027", "partners.yaml", "site.yaml"]
    old, new = load_agenda(source_copy, 2026).agenda, load_agenda(source_copy, 2027).agenda
    meta = new.meta
    assert (meta.title, meta.year, meta.period, meta.adopted_on, meta.version, meta.version_date) == (
        "Uitvoeringsagenda 2027", 2027, (2026, 2029), None, "0.1", None)
    # Every action goes on with its ID, text and partners, marked as coming from 2026.
    assert [a.id for _, _, a in new.actions()] == [a.id for _, _, a in old.actions()]
    for (_, _, was), (_, _, now) in zip(old.actions(), new.actions(), strict=True):
        assert now.model_dump(exclude={"carried_over"}) == was.model_dump(exclude={"carried_over"})
        assert now.carried_over is not None and (now.carried_over.year, now.carried_over.postponed) == (2026, False)
    # The budget window moves one year; the new last year is empty; published totals are cleared.
    assert new.finance.years == (2026, 2027, 2028, 2029)
    for was_line, line in zip(old.finance.budget, new.finance.budget, strict=True):
        assert (line.id, line.kind, line.label) == (was_line.id, was_line.kind, was_line.label)
        assert {y: line.amounts[y] for y in (2026, 2027, 2028)} == {y: was_line.amounts[y] for y in (2026, 2027, 2028)}
        assert line.amounts[2029] is None
    assert new.finance.published == []
    assert new.finance.friction == old.finance.friction
    assert new.introduction == old.introduction


def test_both_years_build_side_by_side_with_make(source_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"

    def make(*args: str) -> str:
        result = subprocess.run(["make", "-s", *args, f"SOURCE={source_copy}", f"OUT={out}"], cwd=ROOT,
                                capture_output=True, text=True, timeout=600, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout + result.stderr

    make("all", "YEAR=2026")
    built_2026 = tree(out)
    make("nieuw-jaar", "VAN=2026", "NAAR=2027")
    make("all", "YEAR=2027")
    names = sorted(p.name for p in out.glob("*.docx"))
    assert names == ["jaarverslag-2026.docx", "jaarverslag-2027.docx", "uitvoeringsagenda-2026.docx",
                     "uitvoeringsagenda-2027.docx", "voortgangsrapportage-2026.docx",
                     "voortgangsrapportage-2027.docx"]
    make("all", "YEAR=2026")
    assert {k: v for k, v in tree(out).items() if "2026" in k and k.endswith(".docx")} == \
        {k: v for k, v in built_2026.items() if k.endswith(".docx")}, "the 2026 documents must not change"
    agenda = docx_text(out / "uitvoeringsagenda-2027.docx")
    assert "# Uitvoeringsagenda 2027" in agenda and "\nConcept\nVersie 0.1\n" in agenda
    assert "| Baten RIEC | 2026 | 2027 | 2028 | 2029 |" in agenda


def test_nieuw_jaar_from_the_example_source(examples_copy: Path, tmp_path: Path) -> None:
    _, reports = load_all(examples_copy, 2026)
    assert reports.jaarverslag is not None
    final = {a: r.status for a, r in reports.jaarverslag.acties.items()}
    code, output = run(examples_copy, "--van", "2026", "--naar", "2027")
    assert code == 0, output
    finished = [a for a, s in final.items() if s in ("afgerond", "vervallen")]
    assert f"Left behind: {len(finished)} actions." in output
    assert "  vervallen: S2-06, S3B-11" in output
    assert "  doorgeschoven uit 2026 (marked so in the 2027 agenda): AA-08, S3A-28" in output
    new = load_agenda(examples_copy, 2027).agenda
    carried = {a.id: a for _, _, a in new.actions()}
    assert sorted(carried) == sorted(a for a, s in final.items() if s not in ("afgerond", "vervallen"))
    assert {a for a, action in carried.items() if action.carried_over and action.carried_over.postponed} == \
        {"AA-08", "S3A-28"}
    # Last year's figures become next year's vorig_jaar; this year's are not reported yet.
    _, new_reports = load_all(examples_copy, 2027)
    assert new_reports.jaarverslag is not None
    assert [(k.naam, k.waarde, k.vorig_jaar) for k in new_reports.jaarverslag.kerncijfers] == [
        (k.naam, None, k.waarde) for k in reports.jaarverslag.kerncijfers]
    assert [[(i.naam, i.vorig_jaar) for i in e.indicatoren] for e in new_reports.jaarverslag.effecten] == [
        [(i.naam, i.waarde) for i in e.indicatoren] for e in reports.jaarverslag.effecten]
    out = tmp_path / "out"
    pipeline.build(examples_copy, 2027, out, ["agenda", "voortgang", "jaarverslag"])
    agenda = docx_text(out / "uitvoeringsagenda-2027.docx")
    assert "wordt voortgezet. (doorgeschoven uit 2026) [AA-08]" in agenda
    assert "[S1-01]" not in agenda  # afgerond in 2026
    assert "| Bibob-adviezen | nog niet gerapporteerd | 37 |  |" in docx_text(out / "jaarverslag-2027.docx")


def test_nieuw_jaar_never_overwrites_and_refuses_a_jump(source_copy: Path) -> None:
    assert run(source_copy, "--van", "2026", "--naar", "2027")[0] == 0
    before = tree(source_copy)
    code, output = run(source_copy, "--van", "2026", "--naar", "2027")
    assert code == 1
    assert f"Error: {source_copy / '2027'} already exists: nieuw-jaar never overwrites a year (nothing was changed; " \
           f"remove or rename {source_copy / '2027'} first if you want to start 2027 again)" in output
    code, output = run(source_copy, "--van", "2026", "--naar", "2028")
    assert code == 1 and "nieuw-jaar goes one year ahead: --naar must be 2027, not 2028" in output
    assert tree(source_copy) == before


def test_nieuw_jaar_from_a_source_with_errors_writes_nothing(source_copy: Path) -> None:
    spoor1 = source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml"
    spoor1.write_text(spoor1.read_text(encoding="utf-8").replace("partners: [gemeenten, lokale-partners,",
                                                                 "partners: [gemeentn, lokale-partners,", 1),
                      encoding="utf-8")
    before = tree(source_copy)
    code, output = run(source_copy, "--van", "2026", "--naar", "2027")
    assert code == 1
    assert "source/2026/hoofdstukken/spoor-1.yaml:" in output and "unknown partner 'gemeentn'" in output
    assert tree(source_copy) == before and not (source_copy / "2027").exists()
    code, output = run(source_copy, "--van", "2025", "--naar", "2026")
    assert code == 1 and "there is no source folder for 2025" in output


def test_nieuw_jaar_interrupted_leaves_nothing(source_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(source_copy)

    def broken(*args: object) -> str:
        raise KeyboardInterrupt  # as if the secretary pressed Ctrl-C half way

    monkeypatch.setattr(newyear, "_budget_csv", broken)
    with pytest.raises(KeyboardInterrupt):
        pipeline.new_year(source_copy, 2026, 2027)
    assert tree(source_copy) == before
    assert sorted(p.name for p in source_copy.iterdir()) == ["2026", "partners.yaml", "site.yaml"]


def test_two_runs_at_once_create_the_year_once(source_copy: Path) -> None:
    command = [sys.executable, "-m", "generator", "nieuw-jaar", "--van", "2026", "--naar", "2027",
               "--source", str(source_copy)]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)]
    results = [(p.wait(timeout=300), p.stdout.read() if p.stdout else "") for p in runs]
    assert sorted(code for code, _ in results) == [0, 1], results
    assert "already exists" in next(out for code, out in results if code == 1)
    assert sorted(p.name for p in source_copy.iterdir()) == ["2026", "2027", "partners.yaml", "site.yaml"]
    load_agenda(source_copy, 2027)


def test_diff_between_two_years(examples_copy: Path, tmp_path: Path) -> None:
    assert run(examples_copy, "--van", "2026", "--naar", "2027")[0] == 0
    spoor1 = examples_copy / "2027" / "hoofdstukken" / "spoor-1.yaml"
    text = spoor1.read_text(encoding="utf-8")
    # One action reworded, one new action; one budget amount of 2027 changed.
    text = text.replace("      - id: S1-05\n", "      - id: S1-17\n        text: Een nieuwe actie voor 2027 "
                        "(fictief).\n        partners: [dealbreakers]\n\n      - id: S1-05\n", 1)
    s107 = next(a for _, _, a in load_agenda(examples_copy, 2026).agenda.actions() if a.id == "S1-07")
    first_word = s107.text.split()[0]
    at = text.index(first_word, text.index("id: S1-07"))
    spoor1.write_text(text[:at] + "Voortaan " + text[at:], encoding="utf-8")
    budget = examples_copy / "2027" / "financien" / "begroting.csv"
    budget.write_text(budget.read_text(encoding="utf-8").replace("huisvesting,lasten,Huisvesting,100000,100000,",
                                                                 "huisvesting,lasten,Huisvesting,100000,120000,"),
                      encoding="utf-8")
    result, written = pipeline.diff("HEAD", None, examples_copy, 2026, tmp_path / "diff", to_year=2027)
    lines = [c.line() for c in result.changes]
    assert lines[0] == "Overgenomen uit 2026: 35 acties, met hun ID"
    assert any(line.startswith("Actie S1-07 ") and line.endswith("tekst gewijzigd") for line in lines), lines
    assert "Actie S1-17 (Spoor 1 › Beschikbare interventies): nieuw in 2027" in lines
    assert "Actie S1-01 (Spoor 1 › Preventieve integrale jeugdaanpak): niet overgenomen in 2027 (afgerond in 2026)" \
        in lines
    assert any(line.startswith("Actie S2-06 ") and line.endswith(": niet overgenomen in 2027 (vervallen in 2026)")
               for line in lines)
    assert "Begroting › Lasten › Huisvesting, 2027: € 100.000 → € 120.000 (+ € 20.000)" in lines
    assert any(line.startswith("Begrotingsjaren: 2025, 2026, 2027, 2028 → 2026, 2027, 2028, 2029") for line in lines)
    assert [d.name for d in result.documents] == ["uitvoeringsagenda-2027.docx"]
    assert sorted(written) == ["uitvoeringsagenda-2027.redline.docx", "uitvoeringsagenda-2027.tekstdiff.md",
                               "wijzigingen.html", "wijzigingen.md"]
    summary = (tmp_path / "diff" / "wijzigingen.md").read_text(encoding="utf-8")
    assert "Wijzigingen Uitvoeringsagenda 2026 → 2027" in summary
    # Each year's agenda is rendered from its own source (one folder holds both years, and the rendered
    # documents are cached by that folder: the year is part of the key). The 2027 redline holds what only
    # 2027 has, and the text diff shows the headings that follow the year.
    (agenda_diff,) = result.documents
    assert not agenda_diff.identical and agenda_diff.redline is not None
    inserted, deleted = tracked_changes((tmp_path / "diff" / "uitvoeringsagenda-2027.redline.docx").read_bytes())
    assert any("Een nieuwe actie voor 2027 (fictief)." in text for text in inserted), inserted
    assert "2027" in inserted and "2026" in deleted  # the title, the headings and texts with {jaar}
    text_diff = (tmp_path / "diff" / "uitvoeringsagenda-2027.tekstdiff.md").read_text(encoding="utf-8")
    assert "\\# Acties ~~2026~~ **2027**" in text_diff
    assert "Voor u ligt de uitvoeringsagenda voor het jaar ~~2026~~ **2027**." in text_diff


# --- one source, one copy ---------------------------------------------------------------------

# The files of the examples that are the fictitious progress and results; everything else is the agenda.
# Only progress, results and the (fictitious) ledger mapping of the finance import may be example-only; both
# have a site.yaml, the examples' with fictitious contact details.
REPORT_FILES = ("FICTIEF", "2026/jaarverslag.yaml", "2026/financien/realisatie.csv", "2026/voortgang/",
                "2026/financien/grootboek.csv", "site.yaml")


def test_the_examples_agenda_is_the_real_agenda() -> None:
    """examples/source adds fictitious progress and results to the real agenda, and changes nothing of it."""
    assert (SOURCE / "site.yaml").is_file() and (EXAMPLES / "site.yaml").is_file()
    real = {name: digest for name, digest in tree(SOURCE).items() if name != "site.yaml"}
    examples = {name: digest for name, digest in tree(EXAMPLES).items() if not name.startswith(REPORT_FILES)}
    assert sorted(examples) == sorted(real), "the examples must hold exactly the agenda files of source/"
    differ = [name for name in real if real[name] != examples[name]]
    assert differ == [], ("examples/source differs from source/ in: " + ", ".join(differ)
                          + "; copy the file from source/ to examples/source/ (only progress and results are "
                          "fictitious)")
    assert not [name for name in real if name.startswith(REPORT_FILES)], "the real source reports nothing yet"


def test_an_action_cannot_come_from_its_own_year(source_copy: Path) -> None:
    assert run(source_copy, "--van", "2026", "--naar", "2027")[0] == 0
    spoor1 = source_copy / "2027" / "hoofdstukken" / "spoor-1.yaml"
    text = spoor1.read_text(encoding="utf-8")
    spoor1.write_text(text.replace("carried_over: {year: 2026}", "carried_over: {year: 2027}", 1), encoding="utf-8")
    line = text[:text.index("carried_over:")].count("\n") + 1
    result = CliRunner().invoke(main, ["check", "--source", str(source_copy), "--year", "2027"])
    assert result.exit_code == 1
    assert (f"2027/hoofdstukken/spoor-1.yaml:{line}: sections[0].actions[0].carried_over.year: an action of the "
            "2027 agenda cannot come from 2027 (use the year of the agenda it comes from, e.g. 2026)") in result.output
