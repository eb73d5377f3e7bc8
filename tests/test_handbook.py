"""The handbook (handleiding/*.md) cannot go stale: every command it quotes is run, as a user types it.

The commands are the lines of the Markdown's fenced `sh` blocks. They run in the handbook's order in a copy
of the project (the real source, the Makefile, the generator, its templates; the same .venv), with only
what a user does between them done by the test: a partner's workbook filled in and saved back, the
project in git, a reviewer's copy of a document. A command in running text (`make ...`) must be one of
them, or be one that another test runs (ELSEWHERE).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.conftest import ROOT

HANDBOOK = ROOT / "handleiding"
ORDER = ["index", "secretaris", "redacteuren", "beoordelaars", "partners", "administratie"]
PROMPTS = ("make ", ".venv/bin/python ")
# Commands the handbook names in running text that keep running until Ctrl-C: tested elsewhere.
ELSEWHERE = {
    "make preview-live": "tests/test_preview_live.py serves the site and rebuilds it on a save",
    # TODO(lead): issue 22a adds `make check-live`; its test runs it. Until that branch is merged it does not exist.
    "make check-live": "issue 22a (python -m generator check --watch)",
}


def _tokens(name: str) -> list:  # type: ignore[type-arg]
    return MarkdownIt("commonmark").parse((HANDBOOK / f"{name}.md").read_text(encoding="utf-8"))


def handbook_commands() -> list[tuple[str, str]]:
    """(page, command) for every line of every ```sh block, in the handbook's order."""
    found = []
    for name in ORDER:
        for token in _tokens(name):
            if token.type == "fence" and token.info.strip() == "sh":
                for line in token.content.splitlines():
                    command = line.split(" #")[0].strip()
                    if command:
                        found.append((name, command))
    return found


def _inline_commands() -> list[tuple[str, str]]:
    found = []
    for name in ORDER:
        for token in _tokens(name):
            for child in token.children or []:
                if child.type == "code_inline" and child.content.startswith(PROMPTS):
                    found.append((name, child.content))
    return found


def _target(command: str) -> str:
    """`make diff A=x` -> `make diff`; a python command stays whole up to its options."""
    words = command.split()
    return " ".join(words[:2]) if words[0] == "make" else " ".join(w for w in words if not w.startswith("-"))[:80]


def test_the_handbook_has_one_page_per_role_and_every_command_is_in_a_block_or_tested_elsewhere() -> None:
    assert sorted(p.stem for p in HANDBOOK.glob("*.md")) == sorted(ORDER)
    commands = handbook_commands()
    assert len(commands) > 15
    assert all(command.startswith(PROMPTS) for _, command in commands), commands
    run = {_target(command) for _, command in commands}
    for page, command in _inline_commands():
        target = _target(command)
        assert target in run or target in ELSEWHERE, f"{page}.md quotes `{command}`, which no test runs"


def _copy_project(target: Path) -> None:
    """What a user's clone holds, without git history, output or caches; the same installed .venv."""
    for name in ("Makefile", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, target / name)
    ignore = shutil.ignore_patterns("__pycache__", "node_modules", "*.pyc")
    for name in ("generator", "templates", "source", "examples", "schemas", "handleiding", ".vscode", "tools"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    (target / ".venv").symlink_to(ROOT / ".venv")


def _fill_in_a_workbook(project: Path) -> None:
    """A partner answers one action in its workbook, and the secretary saves it where the handbook says."""
    from openpyxl import load_workbook

    sent = sorted((project / "output" / "uitvraag" / "2026-06-30").glob("*.xlsx"))
    workbook_path = next(p for p in sent if p.name != "overzicht.xlsx")
    workbook = load_workbook(workbook_path)
    sheet = workbook["Acties"]
    headers = [cell.value for cell in sheet[1]]
    status = headers.index("Status (kies)") + 1
    sheet.cell(row=2, column=status, value="op schema")
    returned = project / "source" / "2026" / "uitvraag" / "2026-06-30"
    returned.mkdir(parents=True)
    workbook.save(returned / workbook_path.name)


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
                        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"})


def _before(command: str, project: Path) -> None:
    """What the user has done before typing this command, as the handbook describes it."""
    if command == "make verwerk-uitvraag PEILDATUM=2026-06-30":
        _fill_in_a_workbook(project)
    elif command == "make diff" and not (project / ".git").exists():
        _git(project, "init", "-q")
        _git(project, "add", "-A")
        _git(project, "commit", "-q", "-m", "de versie die de beoordelaars kregen")
        _git(project, "commit", "-q", "--allow-empty", "-m", "een tweede versie")
    elif command.startswith("make overnemen BESTAND=beoordeeld.docx") and not (project / "beoordeeld.docx").exists():
        shutil.copy2(project / "output" / "uitvoeringsagenda-2026.docx", project / "beoordeeld.docx")


def test_every_command_in_the_handbook_runs(tmp_path: Path) -> None:
    """Each command once, in order, as typed: exit code 0, no traceback, and what it promises is there."""
    cksum = subprocess.run(["cksum"], input=(ROOT / "pyproject.toml").read_bytes(), capture_output=True, check=True)
    stamp = ROOT / ".venv" / f".installed-{cksum.stdout.split()[0].decode()}"  # as the Makefile names it
    if not stamp.exists():
        pytest.fail(f"{stamp.name} is missing: run `make check` once, so make does not reinstall .venv from the copy")
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice is missing (make pdf); CI installs it")
    project = tmp_path / "project"
    project.mkdir()
    _copy_project(project)
    schemas = {p: p.read_bytes() for p in sorted((project / "schemas").glob("*"))}
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "TAAL": "", "LANG": "C.UTF-8"}
    env.pop("MAKEFLAGS", None)
    done: set[str] = set()
    for page, command in handbook_commands():
        if command in done:
            continue
        done.add(command)
        _before(command, project)
        result = subprocess.run(command, shell=True, cwd=project, env=env, capture_output=True, text=True,
                                timeout=600, check=False)
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{page}.md: `{command}` failed:\n{output}"
        assert "Traceback" not in output and "Interne fout" not in output, f"{page}.md: `{command}`:\n{output}"
    out = project / "output"
    for name in ("uitvoeringsagenda-2026.docx", "voortgangsrapportage-2026.docx", "jaarverslag-2026.docx",
                 "uitvoeringsagenda-2027.docx", "pdf/uitvoeringsagenda-2026.pdf", "html/index.html",
                 "html/handleiding/secretaris.html", "html/toegankelijkheid.html", "diff/wijzigingen.html"):
        assert (out / name).is_file(), name
    assert (project / "source" / "2026" / "voortgang" / "2026-06-30.yaml").is_file()
    assert (project / "source" / "2027" / "agenda.yaml").is_file()
    assert {p: p.read_bytes() for p in sorted((project / "schemas").glob("*"))} == schemas  # make schemas: current
