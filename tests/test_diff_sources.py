"""`make diff`'s summary names the source file and line of every change (issue 23), read back from the file."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from tests.conftest import SOURCE
from tests.test_diff_git import git, run_cli

TEXT = "• Actie S1-01 (Spoor 1 › Preventieve integrale jeugdaanpak): tekst gewijzigd"
AMOUNT = "• Begroting › Lasten › Huisvesting, 2027: € 100.000 → € 110.000 (+ € 10.000)"
HEADING = "• Hoofdstuk Spoor 1: titel gewijzigd"
TOTAL = "• Totale lasten 2027: "
REMOVED = "• Actie S2-04 (Spoor 2 › Vastgoedcriminaliteit – speculatie van vastgoed): verwijderd"
PLACE = re.compile(r"^bron: (\S+), regel (\d+)$")


def _replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _under(lines: list[str], bullet: str) -> list[str]:
    """The lines printed under one change of the terminal summary (up to the next change)."""
    at = next(i for i, line in enumerate(lines) if line.strip().startswith(bullet))
    out = []
    for line in lines[at + 1:]:
        if not line.startswith("      "):
            break
        out.append(line.strip())
    return out


def _field(path: Path, line: int) -> str:
    """The text of the YAML field that starts on `line`: that line and the lines indented under it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines[line - 1]
    indent = len(first) - len(first.lstrip())
    block = [first]
    for following in lines[line:]:
        if following.strip() and len(following) - len(following.lstrip()) <= indent:
            break
        block.append(following)
    return " ".join(" ".join(block).split())


def test_the_summary_names_the_file_and_line_of_each_changed_text_amount_and_heading(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(SOURCE, repo / "source")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "published agenda")
    chapter = repo / "source" / "2026" / "hoofdstukken" / "spoor-1.yaml"
    budget = repo / "source" / "2026" / "financien" / "begroting.csv"
    _replace_once(chapter, "onderwijsdomein. Startende gemeenten", "onderwijsdomein. Nieuwe gemeenten")
    _replace_once(chapter, "title: Spoor 1 – voorkomen van", "title: Spoor 1 – terugdringen van")
    _replace_once(budget, "huisvesting,lasten,Huisvesting,150000,100000,100000,100000",
                  "huisvesting,lasten,Huisvesting,150000,100000,110000,100000")
    spoor2 = repo / "source" / "2026" / "hoofdstukken" / "spoor-2.yaml"
    text, n = re.subn(r"      - id: S2-04\n(?:        .*\n)+\n", "", spoor2.read_text(encoding="utf-8"))
    assert n == 1
    spoor2.write_text(text, encoding="utf-8")

    out = tmp_path / "out"
    result = run_cli(repo, "diff", "--output", str(out))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()

    places = {}
    for bullet in (TEXT, AMOUNT, HEADING):
        found = [m for m in map(PLACE.match, _under(lines, bullet)) if m]
        assert len(found) == 1, (bullet, _under(lines, bullet))
        places[bullet] = (found[0][1], int(found[0][2]))

    assert places[TEXT][0] == places[HEADING][0] == "source/2026/hoofdstukken/spoor-1.yaml"
    assert places[AMOUNT][0] == "source/2026/financien/begroting.csv"
    # Read back: the named line starts the field (or is the CSV line) that holds the new word.
    text = _field(repo / places[TEXT][0], places[TEXT][1])
    assert text.startswith("text: >-") and "onderwijsdomein. Nieuwe gemeenten" in text
    assert _field(repo / places[HEADING][0], places[HEADING][1]) == \
        "title: Spoor 1 – terugdringen van Jonge aanwas – programma Dealbreakers"
    csv_line = budget.read_text(encoding="utf-8").splitlines()[places[AMOUNT][1] - 1]
    assert csv_line == "huisvesting,lasten,Huisvesting,150000,100000,110000,100000"
    # Something removed is named where it was: in the old version, read back from git.
    head = git(repo, "rev-parse", "--short=8", "HEAD").strip()
    removed = [m for m in map(re.compile(rf"^bron in HEAD \({head}\): (\S+), regel (\d+)$").match,
                              _under(lines, REMOVED)) if m]
    assert len(removed) == 1 and removed[0][1] == "source/2026/hoofdstukken/spoor-2.yaml"
    old_file = git(repo, "show", f"HEAD:{removed[0][1]}").splitlines()
    assert old_file[int(removed[0][2]) - 1].strip() == "- id: S2-04"
    # A computed total has no place in the source, and says so.
    assert _under(lines, TOTAL) == ["berekend uit de begrotingsregels, staat niet in de bron"]

    # The same places in the Markdown and the HTML summary.
    markdown = (out / "wijzigingen.md").read_text(encoding="utf-8")
    page = (out / "wijzigingen.html").read_text(encoding="utf-8")
    for file, line in places.values():
        place = f"bron: {file}, regel {line}"
        assert f"  - {place}" in markdown
        assert f'<div class="detail">{html.escape(place)}</div>' in page
