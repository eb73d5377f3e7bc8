"""`diff` between real git revisions, and the git textconv driver for .docx files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline
from tests.conftest import ROOT, SOURCE
from tests.diffcase import ask_for_annex, change_source

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, capture_output=True, text=True,
                          check=True).stdout


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**GIT_ENV, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False, timeout=300)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with two commits: the real source, then the five changes of `diffcase`."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(SOURCE, repo / "source")
    ask_for_annex(repo / "source")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "published agenda")
    git(repo, "tag", "v1")
    change_source(repo / "source")
    git(repo, "commit", "-q", "-am", "five changes")
    return repo


def _state(repo: Path) -> tuple[str, str, str, dict[str, bytes]]:
    files = {str(p.relative_to(repo)): p.read_bytes() for p in sorted((repo / "source").rglob("*")) if p.is_file()}
    return (git(repo, "status", "--porcelain", "--ignored"), git(repo, "worktree", "list"),
            git(repo, "rev-parse", "HEAD"), files)


def test_diff_between_two_revisions_writes_the_reports_and_touches_nothing(repo: Path) -> None:
    (repo / "source" / "2026" / "agenda.yaml").write_text(  # an uncommitted edit that must survive
        (repo / "source" / "2026" / "agenda.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    before = _state(repo)
    out = repo.parent / "out"
    result = run_cli(repo, "diff", "v1", "HEAD", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert _state(repo) == before
    lines = result.stdout.splitlines()
    v1, head = (git(repo, "rev-parse", "--short=8", rev).strip() for rev in ("v1", "HEAD"))
    assert lines[0] == f"Wijzigingen 2026: v1 ({v1}) → HEAD ({head})"
    assert [line.strip() for line in lines if line.startswith("  • ")] == [
        "• Actie S2-04 (Spoor 2 › Vastgoedcriminaliteit – speculatie van vastgoed): verwijderd",
        "• Actie S1-01 (Spoor 1 › Preventieve integrale jeugdaanpak): tekst gewijzigd",
        "• Actie S1-03 (Spoor 1 › Preventieve integrale jeugdaanpak): partners gewijzigd: + Politie",
        "• Actie S1-17 (Spoor 1 › Preventieve integrale jeugdaanpak): toegevoegd",
        "• Begroting › Lasten › Huisvesting, 2026: € 100.000 → € 120.000 (+ € 20.000)",
        "• Totale lasten 2026: € 7.525.087 → € 7.545.087 (+ € 20.000)",
        "• Totale lasten 2025-2028: € 29.534.650 → € 29.554.650 (+ € 20.000)",
        "• Verschil baten lasten 2026: € -314.767 → € -334.767 (− € 20.000)",
        "• Verschil baten lasten 2025-2028: € -717.653 → € -737.653 (− € 20.000)",
        "• uitvoeringsagenda-2026.docx: 10 regels gewijzigd, 2 toegevoegd, 2 verwijderd",
        # The same changes in the reports: the action rows, the status counts of Spoor 1 and 2, the
        # budget line and the total lasten (and in the jaarverslag the saldo).
        "• voortgangsrapportage-2026.docx: 6 regels gewijzigd, 1 toegevoegd, 1 verwijderd",
        "• jaarverslag-2026.docx: 7 regels gewijzigd, 1 toegevoegd, 1 verwijderd",
    ]
    assert sorted(p.name for p in out.iterdir()) == [
        "jaarverslag-2026.redline.docx", "jaarverslag-2026.tekstdiff.md",
        "uitvoeringsagenda-2026.redline.docx", "uitvoeringsagenda-2026.tekstdiff.md",
        "voortgangsrapportage-2026.redline.docx", "voortgangsrapportage-2026.tekstdiff.md",
        "wijzigingen.html", "wijzigingen.md"]
    assert "~~Startende~~ **Nieuwe**" in (out / "wijzigingen.md").read_text(encoding="utf-8")
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert run_cli(repo, "diff", "v1", "HEAD", "--output", str(out)).returncode == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first


def test_default_compares_the_last_commit_with_the_working_tree(repo: Path) -> None:
    out = repo.parent / "out"
    clean = run_cli(repo, "diff", "--output", str(out))
    assert clean.returncode == 0, clean.stderr
    assert "Geen wijzigingen." in clean.stdout and "HEAD (" in clean.stdout and "→ working tree" in clean.stdout
    budget = repo / "source" / "2026" / "financien" / "begroting.csv"
    budget.write_text(budget.read_text(encoding="utf-8").replace("liec,lasten,LIEC,60000,60000,60000,60000",
                                                                 "liec,lasten,LIEC,60000,60000,65000,60000"),
                      encoding="utf-8")
    changed = run_cli(repo, "diff", "--output", str(out))
    assert changed.returncode == 0, changed.stderr
    assert "• Begroting › Lasten › LIEC, 2027: € 60.000 → € 65.000 (+ € 5.000)" in changed.stdout
    assert "Geen wijzigingen." not in changed.stdout
    assert git(repo, "status", "--porcelain") == " M source/2026/financien/begroting.csv\n"


def test_errors_are_plain_messages_with_exit_code_1(repo: Path, tmp_path: Path) -> None:
    unknown = run_cli(repo, "diff", "nope", "--output", str(tmp_path / "out1"))
    assert unknown.returncode == 1
    assert "there is no revision 'nope'" in unknown.stderr and "Traceback" not in unknown.stderr
    outside = tmp_path / "not-a-repo"
    shutil.copytree(SOURCE, outside / "source")
    no_git = run_cli(outside, "diff", "--output", str(tmp_path / "out2"))
    assert no_git.returncode == 1
    assert "not inside a git repository" in no_git.stderr and "Traceback" not in no_git.stderr
    broken = repo / "source" / "2026" / "financien" / "begroting.csv"
    broken.write_text(broken.read_text(encoding="utf-8").replace("liec,lasten,LIEC,60000", "liec,lasten,LIEC,6O000"),
                      encoding="utf-8")
    invalid = run_cli(repo, "diff", "--output", str(tmp_path / "out3"))
    assert invalid.returncode == 1
    assert "The source in version 'working tree' has errors" in invalid.stderr
    assert "source/2026/financien/begroting.csv:" in invalid.stderr and "Traceback" not in invalid.stderr
    for folder in ("out1", "out2", "out3"):
        assert not (tmp_path / folder).exists()


def test_git_log_shows_the_text_of_docx_files_with_the_textconv_driver(tmp_path: Path) -> None:
    """The README's one-line setup, for real: .gitattributes + diff.docx.textconv."""
    assert "*.docx diff=docx" in (ROOT / ".gitattributes").read_text(encoding="utf-8").splitlines()
    repo = tmp_path / "docs"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    (repo / ".venv").symlink_to(Path(sys.prefix))  # the project's virtual environment, where README expects it
    git(repo, "config", "diff.docx.textconv", ".venv/bin/python -m generator.review.docxtext")  # as in README
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    ask_for_annex(source)
    pipeline.build(source, 2026, repo, ["agenda"])
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "agenda v1")
    change_source(source)
    pipeline.build(source, 2026, repo, ["agenda"])
    git(repo, "commit", "-q", "-am", "agenda v2")
    (repo / "sub").mkdir()
    for cwd, args in ((repo, ["log", "-p", "-1"]), (repo / "sub", ["diff", "HEAD~1", "HEAD"])):
        text = git(cwd, *args)
        changed = [line for line in text.splitlines() if line[:1] in ("+", "-") and not line.startswith(("+++", "---"))]
        assert "Binary files" not in text
        assert any(line.startswith("-• ") and "Startende gemeenten" in line for line in changed), text
        assert any(line.startswith("+• ") and "Nieuwe gemeenten" in line for line in changed), text
        assert "+• Het RIEC-bureau organiseert in 2026 een regionale ontmoetingsdag voor alle deelnemende " \
               "gemeenten. [S1-17]" in changed
        assert any(line.startswith("-• Medewerkers van RIEC-deelnemers") for line in changed)
        assert "+| Huisvesting | € 150.000 | € 120.000 | € 100.000 | € 100.000 |" in changed
        assert len(changed) == 2 * 10 + 2 + 2  # 10 changed lines (old and new), 2 added, 2 removed
