"""overnemen: a reviewer's tracked changes and comments flow back into the source.

Reviewed documents are real: one in the shape Word writes (tests/wordedit.py), one edited in
LibreOffice through UNO with record changes on (tests/uno_review.py). The end-to-end test builds,
reviews three things, takes them over, then `diff` shows exactly those three and a rebuild has the
reviewer's text.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import pipeline
from generator.cli import main
from generator.review.docxtext import docx_text
from tests.test_diff_git import git, run_cli
from tests.wordedit import WordReview

ROOT = Path(__file__).resolve().parents[1]
AGENDA = "uitvoeringsagenda-2026.docx"
S101 = "Gemeenten versterken hun preventieve"
S203_ITEM = ("Zorgen dat verdachte transacties waar nodig onderdeel worden van de beschikbare "
             "achtergrondinformatie in HHK")


def _build(source: Path, out: Path) -> Path:
    pipeline.build(source, 2026, out, ["agenda"])
    return out / AGENDA


def _snapshot(source: Path) -> dict[str, str]:
    return {p.relative_to(source).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(source.rglob("*")) if p.is_file()}


def _changed_lines(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    out = {}
    for name in before:
        if before[name] != after[name]:
            out[name] = [line for line in difflib.unified_diff(before[name].splitlines(), after[name].splitlines(),
                                                               lineterm="", n=0)
                         if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return out


def _overnemen(source: Path, report: Path, *files: Path, dry_run: bool = False) -> tuple[int, str]:
    args = ["overnemen", *map(str, files), "--source", str(source), "--report", str(report)]
    result = CliRunner().invoke(main, [*args, "--dry-run"] if dry_run else args)
    return result.exit_code, result.output


def test_word_review_is_taken_over_word_by_word_and_the_rest_is_reported(source_copy: Path, tmp_path: Path) -> None:
    review = WordReview(_build(source_copy, tmp_path / "out").read_bytes())
    review.replace(S101, "betere", "nauwere", "Anna de Vries")
    review.delete_paragraph(S203_ITEM, "Piet Jansen")
    review.replace("€ 257.676", "257.676", "260.000", "Piet Jansen")  # a budget amount in a table cell
    review.insert_paragraph_after("In 2026 blijft het RIEC-bureau gemeenten", "Nieuwe actie: scholen trainen.",
                                  "Anna de Vries")
    review.insert_at("Totaal baten", " (afgerond)", "Piet Jansen")  # a computed total
    review.comment("In 2026 blijft het RIEC-bureau gemeenten", "Klopt dit jaartal?", "Kees Bakker")
    reviewed = tmp_path / "review.docx"
    reviewed.write_bytes(review.save())
    before = _snapshot(source_copy)

    code, output = _overnemen(source_copy, tmp_path / "report", reviewed)

    assert code == 0, output
    assert _changed_lines(before, _snapshot(source_copy)) == {
        "2026/financien/begroting.csv": ["-lpo,baten,LPO,257676,257676,,", "+lpo,baten,LPO,260000,257676,,"],
        "2026/hoofdstukken/spoor-1.yaml": [
            "-          voor een betere samenwerking tussen het veiligheidsdomein, sociaal",
            "+          voor een nauwere samenwerking tussen het veiligheidsdomein, sociaal"],
        "2026/hoofdstukken/spoor-2.yaml": [
            "-          - >-",
            "-            Zorgen dat verdachte transacties waar nodig onderdeel worden van de",
            "-            beschikbare achtergrondinformatie in HHK’s en (fenomeen)onderzoeken."],
    }
    assert "3 changes taken over, 2 not taken over, 1 comment" in output
    report = (tmp_path / "report" / "overnemen-review.md").read_text(encoding="utf-8")
    assert "~~betere~~ **nauwere**" in report
    assert "new paragraph after S1-02" in report and "Nieuwe actie: scholen trainen." in report
    assert "a computed total" in report and "(afgerond)" in report
    assert "### S1-02" in report and "Opmerking van Kees Bakker (04-03-2026 14:00)" in report
    assert "Klopt dit jaartal?" in report
    assert (tmp_path / "report" / "overnemen-review.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # Rebuilding gives the reviewer's text.
    text = docx_text(_build(source_copy, tmp_path / "again"))
    assert "een nauwere samenwerking" in text and "in HHK’s en (fenomeen)onderzoeken" not in text


def test_dry_run_shows_the_source_diff_and_writes_nothing(source_copy: Path, tmp_path: Path) -> None:
    review = WordReview(_build(source_copy, tmp_path / "out").read_bytes())
    review.replace(S101, "betere", "nauwere", "Anna de Vries")
    (tmp_path / "r.docx").write_bytes(review.save())
    before = _snapshot(source_copy)
    code, output = _overnemen(source_copy, tmp_path / "report", tmp_path / "r.docx", dry_run=True)
    assert code == 0, output
    assert "+          voor een nauwere samenwerking tussen het veiligheidsdomein, sociaal" in output
    assert "dry run: the source was not changed" in output
    assert _snapshot(source_copy) == before


def test_a_document_built_from_another_version_is_caught_per_field(source_copy: Path, tmp_path: Path) -> None:
    review = WordReview(_build(source_copy, tmp_path / "out").read_bytes())
    review.replace(S101, "betere", "nauwere", "Anna de Vries")
    review.replace("In 2026 blijft het RIEC-bureau gemeenten", "actief", "intensief", "Anna de Vries")
    (tmp_path / "r.docx").write_bytes(review.save())
    # Meanwhile an editor changed S1-01 in the source.
    spoor1 = source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml"
    spoor1.write_text(spoor1.read_text(encoding="utf-8").replace("een betere samenwerking", "een goede samenwerking"),
                      encoding="utf-8")
    before = _snapshot(source_copy)
    code, output = _overnemen(source_copy, tmp_path / "report", tmp_path / "r.docx")
    assert code == 0, output
    changed = _changed_lines(before, _snapshot(source_copy))
    assert list(changed) == ["2026/hoofdstukken/spoor-1.yaml"]
    assert any("intensief" in line for line in changed["2026/hoofdstukken/spoor-1.yaml"])
    # The reviewer saw "In 2026" and left it: the source keeps its placeholder.
    assert any("In {jaar} blijft" in line for line in changed["2026/hoofdstukken/spoor-1.yaml"]), changed
    assert not any("nauwere" in line for line in changed["2026/hoofdstukken/spoor-1.yaml"])
    assert "built from another version of the source" in output


def test_several_reviewed_copies_one_after_another_conflicts_are_reported(source_copy: Path, tmp_path: Path) -> None:
    built = _build(source_copy, tmp_path / "out").read_bytes()
    anna, piet = WordReview(built), WordReview(built)
    anna.replace(S101, "betere", "nauwere", "Anna de Vries")
    piet.replace(S101, "betere", "hechtere", "Piet Jansen")  # the same words, otherwise
    piet.replace("In 2026 blijft het RIEC-bureau gemeenten", "actief", "intensief", "Piet Jansen")
    (tmp_path / "anna.docx").write_bytes(anna.save())
    (tmp_path / "piet.docx").write_bytes(piet.save())
    code, output = _overnemen(source_copy, tmp_path / "report", tmp_path / "anna.docx", tmp_path / "piet.docx")
    assert code == 0, output
    text = (source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml").read_text(encoding="utf-8")
    assert "een nauwere samenwerking" in text and "hechtere" not in text and "intensief ondersteunen" in text
    assert "anna.docx: 1 change taken over" in output and "piet.docx: 1 change taken over, 1 not" in output
    report = (tmp_path / "report" / "overnemen.md").read_text(encoding="utf-8")
    assert "## anna.docx" in report and "## piet.docx" in report and "hechtere" in report


@pytest.mark.parametrize("content", [b"not a zip", b""])
def test_a_file_that_is_not_a_docx_is_a_plain_error_and_nothing_is_written(source_copy: Path, tmp_path: Path,
                                                                           content: bytes) -> None:
    (tmp_path / "bad.docx").write_bytes(content)
    before = _snapshot(source_copy)
    code, output = _overnemen(source_copy, tmp_path / "report", tmp_path / "bad.docx")
    assert code == 1
    assert "this is not a Word (.docx) document" in output and "Traceback" not in output
    assert _snapshot(source_copy) == before and not (tmp_path / "report").exists()


def test_a_change_that_breaks_the_source_writes_nothing(source_copy: Path, tmp_path: Path) -> None:
    review = WordReview(_build(source_copy, tmp_path / "out").read_bytes())
    review.replace(S101, "betere", "nauwere", "Anna de Vries")
    (tmp_path / "r.docx").write_bytes(review.save())
    (source_copy / "2026" / "financien" / "begroting.csv").write_text("regel,soort\n", encoding="utf-8")
    before = _snapshot(source_copy)
    code, output = _overnemen(source_copy, tmp_path / "report", tmp_path / "r.docx")
    assert code == 1 and "nothing was taken over" in output
    assert _snapshot(source_copy) == before


def test_the_projects_own_redline_is_taken_over(source_copy: Path, tmp_path: Path) -> None:
    from generator.review.diff.redline import redline

    old = _build(source_copy, tmp_path / "old").read_bytes()
    changed = tmp_path / "changed"
    shutil.copytree(source_copy, changed)
    spoor1 = changed / "2026" / "hoofdstukken" / "spoor-1.yaml"
    spoor1.write_text(spoor1.read_text(encoding="utf-8").replace("een betere samenwerking", "een nauwere samenwerking"),
                      encoding="utf-8")
    (tmp_path / "redline.docx").write_bytes(redline(old, _build(changed, tmp_path / "new").read_bytes()))
    code, output = _overnemen(source_copy, tmp_path / "report", tmp_path / "redline.docx")
    assert code == 0, output
    assert _snapshot(source_copy) == _snapshot(changed)
    # Taken over again, the same redline finds its text already in the source and changes nothing.
    code, output = _overnemen(source_copy, tmp_path / "report", tmp_path / "redline.docx")
    assert code == 0 and "0 changes taken over" in output and _snapshot(source_copy) == _snapshot(changed)


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None or not Path("/usr/bin/python3").exists():
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing in CI: .ci/run must install it")
        pytest.skip("LibreOffice is not installed (CI installs it)")
    return found


def libreoffice_review(built: Path, edits: Sequence[Mapping[str, object]], tmp_path: Path) -> Path:
    """`built` reviewed in LibreOffice (tests/uno_review.py) with record changes on: the saved .docx."""
    (tmp_path / "edits.json").write_text(json.dumps(edits), encoding="utf-8")
    reviewed = tmp_path / "lo.docx"
    done = subprocess.run(["/usr/bin/python3", str(ROOT / "tests" / "uno_review.py"), _soffice(), str(built),
                           str(reviewed), str(tmp_path / "edits.json")], capture_output=True, text=True, timeout=240,
                          check=False)
    assert done.returncode == 0, done.stderr
    return reviewed


def test_a_review_made_in_libreoffice_is_taken_over(source_copy: Path, tmp_path: Path) -> None:
    built = _build(source_copy, tmp_path / "out")
    edits = [{"author": "Anna de Vries", "replace": ["een betere samenwerking", "een nauwere samenwerking"]},
             {"author": "Anna de Vries", "replace": ["€ 257.676", "€ 260.000"]},
             {"author": "Anna de Vries", "append_paragraph": ["om de aanpak op te zetten.", "Nieuwe actie."]}]
    reviewed = libreoffice_review(built, edits, tmp_path)
    before = _snapshot(source_copy)
    code, output = _overnemen(source_copy, tmp_path / "report", reviewed)
    assert code == 0, output
    assert _changed_lines(before, _snapshot(source_copy)) == {
        "2026/financien/begroting.csv": ["-lpo,baten,LPO,257676,257676,,", "+lpo,baten,LPO,260000,257676,,"],
        "2026/hoofdstukken/spoor-1.yaml": [
            "-          voor een betere samenwerking tussen het veiligheidsdomein, sociaal",
            "+          voor een nauwere samenwerking tussen het veiligheidsdomein, sociaal"],
    }
    assert "new paragraph after S1-01" in output


def test_end_to_end_three_changes_then_diff_shows_exactly_those(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(ROOT / "source", repo / "source")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "agenda")
    review = WordReview(_build(repo / "source", tmp_path / "out").read_bytes())
    review.replace(S101, "betere", "nauwere", "Anna de Vries")
    review.replace("Dealbreakers blijft gemeenten in onze", "praktische", "concrete", "Piet Jansen")
    review.replace("€ 257.676", "257.676", "260.000", "Piet Jansen")
    (tmp_path / "r.docx").write_bytes(review.save())
    code, output = _overnemen(repo / "source", tmp_path / "report", tmp_path / "r.docx")
    assert code == 0 and "3 changes taken over" in output, output
    done = run_cli(repo, "diff", "--output", str(tmp_path / "diff"))
    assert done.returncode == 0, done.stderr
    # The source changes (before the computed totals, which follow from the amount) are exactly the three.
    source_part = done.stdout.split("Berekende totalen:")[0]
    changes = [line.strip() for line in source_part.splitlines() if line.lstrip().startswith("•")]
    assert changes == ["• Actie S1-01 (Spoor 1 › Preventieve integrale jeugdaanpak): tekst gewijzigd",
                       "• Hoofdstuk Spoor 1: inleidende tekst gewijzigd",
                       "• Begroting › Baten › LPO, 2025: € 257.676 → € 260.000 (+ € 2.324)"], done.stdout
    assert "[-betere-] {+nauwere+}" in source_part and "[-praktische-] {+concrete+}" in source_part
    text = docx_text(_build(repo / "source", tmp_path / "again"))
    assert "een nauwere samenwerking" in text and "concrete ondersteuning" in text and "€ 260.000" in text


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
