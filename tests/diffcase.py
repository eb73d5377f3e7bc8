"""Two versions of the source that differ in exactly five known ways (for the diff tests)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

NEW_ACTION = """
      - id: S1-17
        text: >-
          Het RIEC-bureau organiseert in 2026 een regionale ontmoetingsdag voor
          alle deelnemende gemeenten.
        partners: [dealbreakers]
"""


def _replace_once(path: Path, old: str, new: str, after: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


def change_source(source: Path) -> None:
    """Apply the five changes: text, partner, added action, removed action, one amount."""
    chapters = source / "2026" / "hoofdstukken"
    spoor1 = chapters / "spoor-1.yaml"
    # 1. one action's text: S1-01 "Startende gemeenten" -> "Nieuwe gemeenten"
    _replace_once(spoor1, "onderwijsdomein. Startende gemeenten", "onderwijsdomein. Nieuwe gemeenten")
    # 2. one partner added to S1-03
    _replace_once(spoor1, "partners: [dealbreakers, gemeenten]\n", "partners: [dealbreakers, gemeenten, politie]\n",
                  after="id: S1-03")
    # 3. one action added after S1-03 (the next free number of Spoor 1)
    _replace_once(spoor1, "\n      - id: S1-04", NEW_ACTION + "\n      - id: S1-04")
    # 4. one action removed: S2-04
    spoor2 = chapters / "spoor-2.yaml"
    text = spoor2.read_text(encoding="utf-8")
    text, n = re.subn(r"      - id: S2-04\n(?:        .*\n)+\n", "", text)
    assert n == 1
    spoor2.write_text(text, encoding="utf-8")
    # 5. one amount: Huisvesting 2026 100000 -> 120000
    _replace_once(source / "2026" / "financien" / "begroting.csv", "huisvesting,lasten,Huisvesting,150000,100000,",
                  "huisvesting,lasten,Huisvesting,150000,120000,")


def ask_for_annex(source: Path) -> None:
    """Let the agenda print its annex of differences from the published totals (off by default)."""
    meta = source / "2026" / "agenda.yaml"
    text = meta.read_text(encoding="utf-8")
    assert "differences_annex" not in text
    meta.write_text(text.replace("version_date: null\n", "version_date: null\ndifferences_annex: true\n", 1),
                    encoding="utf-8")


def two_versions(source_copy: Path) -> tuple[Path, Path]:
    """The real source (old) and a copy with the five changes (new).

    Both ask for the annex of differences from the published totals, so a moved total shows there too.
    """
    ask_for_annex(source_copy)
    new = source_copy.parent / "source-new"
    shutil.copytree(source_copy, new)
    change_source(new)
    return source_copy, new
