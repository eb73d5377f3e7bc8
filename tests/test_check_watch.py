"""`make check-live` (`check --watch`) end to end: start it, break a file, see the error; fix it; Ctrl-C."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_preview_live import BAD_KEY, GOOD_KEY, NEW, OLD, Running, _edit

HEADER = r"^--- \d\d:\d\d:\d\d "


@pytest.fixture
def watching(source_copy: Path) -> Iterator[Running]:
    running = Running("check", "--watch", "--source", str(source_copy))
    try:
        running.wait_for(r"^Watching .* Press Ctrl-C to stop\.$", timeout=120)
        yield running
    finally:
        if running.process.poll() is None:
            running.stop()


def _run_after(watching: Running, seen: int) -> list[str]:
    """The lines of the first run after line `seen`: from its header to its 'Checked in' line."""
    watching.wait_for(r"^Checked in \d+\.\d\d s\.$", timeout=120, after=seen)
    lines = watching.lines[seen:]
    start = next(i for i, line in enumerate(lines) if re.match(HEADER, line))
    end = next(i for i, line in enumerate(lines) if line.startswith("Checked in "))
    return lines[start:end + 1]


def test_break_fix_and_stop(watching: Running, source_copy: Path) -> None:
    spoor = source_copy / "2026" / "hoofdstukken" / "spoor-1.yaml"
    first = watching.lines[:]
    assert re.match(HEADER + r"First check\. ---$", first[0]), first
    assert "0 errors, 0 warnings, 1 note" in first

    seen = len(watching.lines)
    _edit(spoor, GOOD_KEY, BAD_KEY)
    broken = _run_after(watching, seen)
    assert re.match(HEADER + r"Changed: spoor-1\.yaml ---$", broken[0]), broken
    line = next(i for i, text in enumerate(spoor.read_text(encoding="utf-8").splitlines(), 1) if BAD_KEY in text)
    assert broken[1] == "Errors in source/2026/hoofdstukken/spoor-1.yaml:", broken
    assert broken[2].startswith(f"  source/2026/hoofdstukken/spoor-1.yaml:{line}: sections[0].actions[1].partnrs: "
                                "unknown key 'partnrs'"), broken
    assert broken[3:] == ["1 error, 0 warnings", broken[-1]]

    seen = len(watching.lines)
    _edit(spoor, BAD_KEY, GOOD_KEY)
    fixed = _run_after(watching, seen)
    assert fixed[1] == "Source: 0 errors, 0 warnings, 1 note; now the templates and documents...", fixed
    assert "0 errors, 0 warnings, 1 note" in fixed
    assert not any("rror" in text and not text.startswith(("0 errors", "Source: 0 errors")) for text in fixed), fixed

    # A change of a text the documents show: rendered again, and still fine.
    seen = len(watching.lines)
    _edit(spoor, OLD, NEW)
    assert "0 errors, 0 warnings, 1 note" in _run_after(watching, seen)

    assert watching.stop() == 0
    assert watching.lines[-1] == "Stopped watching."
    assert not any("Traceback" in text for text in watching.lines)


def test_a_missing_source_folder_is_an_error(tmp_path: Path) -> None:
    running = Running("check", "--watch", "--source", str(tmp_path / "bron"))
    assert running.process.wait(timeout=60) == 1
    running.wait_for(r"^Error: the source folder .*bron does not exist \(use --source\)$")
