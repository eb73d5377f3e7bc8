"""All three documents or none: a build killed at any step of writing them leaves one whole set (issue 25).

The kill is real (SIGKILL, in a process of its own); RIEC_TEST_KILL_AT=N makes write.py kill itself at
its N-th step, so that every step is tried, not one moment found by timing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.render import write
from tests.conftest import ROOT, SOURCE

OLD = {"uitvoeringsagenda-2026.docx": b"old agenda", "voortgangsrapportage-2026.docx": b"old voortgang",
       "jaarverslag-2026.docx": b"same jaarverslag"}
NEW = {"uitvoeringsagenda-2026.docx": b"new agenda", "voortgangsrapportage-2026.docx": b"new voortgang",
       "jaarverslag-2026.docx": b"same jaarverslag", "site/nieuw.html": b"a new file"}


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _documents(folder: Path) -> dict[str, bytes]:
    """The files of `folder` but the hidden ones (temporary files, backups, the journal)."""
    return {k: v for k, v in _contents(folder).items() if not k.rsplit("/", 1)[-1].startswith(".")}


def killed_at(step: int, work: Callable[[], object]) -> bool:
    """Do `work` in a child process that kills itself at its `step`-th step of writing; whether it was killed."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.environ["RIEC_TEST_KILL_AT"] = str(step)
            work()
        except BaseException:
            pass
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.WIFSIGNALED(status)


def _killed_at(step: int, folder: Path, fail_rename: int | None) -> bool:
    """Write NEW over OLD in a child process killed at `step`; whether it was killed."""
    def work() -> None:
        if fail_rename is not None:
            calls = []
            real = os.replace

            def failing(a: object, b: object) -> None:
                calls.append(a)
                if len(calls) == fail_rename:
                    raise OSError(5, "Input/output error")
                real(a, b)  # type: ignore[arg-type]
            os.replace = failing  # type: ignore[assignment]
        write.write_outputs(folder, NEW)

    return killed_at(step, work)


# fail_rename=4: the fourth os.replace (the two journals', then two documents') fails, and is rolled back.
@pytest.mark.parametrize("fail_rename", [None, 4], ids=["renames", "a failed rename rolled back"])
def test_a_kill_at_any_step_leaves_one_whole_set(tmp_path: Path, fail_rename: int | None) -> None:
    mixed_seen = False
    step = 0
    while True:
        step += 1
        folder = tmp_path / str(step)
        write.write_outputs(folder, OLD)
        killed = _killed_at(step, folder, fail_rename)
        mixed_seen |= _documents(folder) not in (OLD, NEW)
        write.recover_outputs(folder)  # what the next build does first
        after = _documents(folder)
        assert after in (OLD, NEW), f"killed at step {step}: {after}"
        if not killed:  # every step was passed: the writing ended by itself, the rename failure rolled back
            assert after == (NEW if fail_rename is None else OLD)
        write.write_outputs(folder, NEW)
        assert _contents(folder) == NEW  # no temporary, backup or journal file is left
        if not killed:
            break
    assert step > 7, "the steps of writing were not reached"
    assert mixed_seen, "no kill fell between two renames: the test would not see a half-done set"


def test_the_next_build_completes_a_killed_one(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "uitvoeringsagenda-2026.docx").write_bytes(b"previous")
    (out / "jaarverslag-2026.docx").write_bytes(b"previous")
    command = [sys.executable, "-m", "generator", "build", "--year", "2026", "--source", str(SOURCE),
               "--output", str(out)]
    env = {**os.environ, "RIEC_TEST_KILL_AT": "6"}  # journal of staging, 3 files written, journal of renames, 1 rename
    killed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=300)
    assert killed.returncode == -9, killed.stderr.decode()
    assert (out / write.JOURNAL).is_file()
    assert (out / "jaarverslag-2026.docx").read_bytes() == b"previous"  # half done, as the kill left it
    env.pop("RIEC_TEST_KILL_AT")
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=300, check=True)
    assert sorted(p.name for p in out.iterdir()) == ["jaarverslag-2026.docx", "uitvoeringsagenda-2026.docx",
                                                    "voortgangsrapportage-2026.docx"]
    assert all(p.read_bytes().startswith(b"PK") for p in out.iterdir())


def test_only_files_a_build_staged_are_removed(tmp_path: Path) -> None:
    # The journal names the files before they are staged, so what a killed build left is known
    # exactly: a hidden file of the user's own in the output folder, even one named like a staged
    # file, is never touched (the folder is not searched).
    folder = tmp_path / "output"
    write.write_outputs(folder, OLD)
    mine = folder / "notities" / ".concept.docx.ab12cd34.tmp"
    mine.parent.mkdir()
    mine.write_bytes(b"mine")
    assert killed_at(2, lambda: write.write_outputs(folder, NEW))  # the journal written, one file staged
    assert len(list(folder.glob(".*.tmp"))) == 1
    write.recover_outputs(folder)
    write.write_outputs(folder, NEW)
    assert _contents(folder) == {**NEW, "notities/.concept.docx.ab12cd34.tmp": b"mine"}
