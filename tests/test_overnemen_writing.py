"""How overnemen writes the source: in each file's own encoding and line ends, all files or none, one run at a time.

The source is read as the build reads it (UTF-8 with or without a byte-order mark, or Windows-1252)
and each changed file is written back the same way, Windows line ends included, so `git diff` shows
only the changed words. The files are written by the build's writer (`render/write.py`): a run killed
at any step of writing (SIGKILL, RIEC_TEST_KILL_AT=N, as tests/test_interrupted_writes.py does for
the build) leaves all changed files or none once the next command has completed it, and a second run
waits for the first with the lock's message (the same for every command that writes).
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generator import pipeline
from generator.render import write
from generator.review.docxtext import docx_text
from generator.review.overnemen import take_over
from tests.conftest import FILES, ROOT
from tests.test_interrupted_writes import killed_at
from tests.test_overnemen import S101, _build
from tests.wordedit import WordReview

ANNA = "Anna de Vries"
SPOOR1 = Path("2026/hoofdstukken/spoor-1.yaml")
SPOOR2 = Path("2026/hoofdstukken/spoor-2.yaml")
BUDGET = Path("2026/financien/begroting.csv")


def _reviewed(source: Path, tmp_path: Path) -> Path:
    """A review changing a word of S1-01 (spoor-1.yaml), of S2-03 (spoor-2.yaml) and a budget amount."""
    review = WordReview(_build(source, tmp_path / "out").read_bytes())
    review.replace(S101, "betere", "nauwere", ANNA)
    review.replace("Zorgen dat verdachte transacties", "verdachte", "geëiste", ANNA)
    review.replace("€ 257.676", "257.676", "260.000", ANNA)
    reviewed = tmp_path / "review.docx"
    reviewed.write_bytes(review.save())
    return reviewed


def _files(source: Path) -> dict[str, bytes]:
    return {p.relative_to(source).as_posix(): p.read_bytes() for p in sorted(source.rglob("*")) if p.is_file()}


def test_a_crlf_file_with_a_byte_order_mark_keeps_both_and_only_the_changed_line_changes(
        source_copy: Path, tmp_path: Path) -> None:
    path = source_copy / SPOOR1
    before = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(before)
    take_over([_reviewed(source_copy, tmp_path)], source_copy, 2026, tmp_path / "report")
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and after.count(b"\n") == after.count(b"\r\n") == before.count(b"\n")
    changed = [(a, b) for a, b in zip(before.split(b"\r\n"), after.split(b"\r\n"), strict=True) if a != b]
    assert changed == [(b"          voor een betere samenwerking tussen het veiligheidsdomein, sociaal",
                        b"          voor een nauwere samenwerking tussen het veiligheidsdomein, sociaal")]


def test_a_windows_1252_file_is_written_back_in_windows_1252(source_copy: Path, tmp_path: Path) -> None:
    path = source_copy / SPOOR2
    text = path.read_text(encoding="utf-8")
    assert "’" in text  # a character whose bytes differ between UTF-8 and Windows-1252
    before = text.encode("cp1252")
    path.write_bytes(before)
    take_over([_reviewed(source_copy, tmp_path)], source_copy, 2026, tmp_path / "report")
    after = path.read_bytes()
    # The reviewer's 'ë' is one Windows-1252 byte, as the file's other letters are; the file is no UTF-8.
    assert b"ge\xebiste" in after and after.decode("cp1252").replace("geëiste", "verdachte") == before.decode("cp1252")
    # The build reads the file as it did before, with the reviewer's word in it.
    pipeline.build(source_copy, 2026, tmp_path / "again", ["agenda"])
    assert "Zorgen dat geëiste transacties" in docx_text(tmp_path / "again" / FILES["agenda"])


def _killed_at(step: int, source: Path, reviewed: Path, tmp: Path) -> bool:
    """Run overnemen in a child process that kills itself at its `step`-th step of writing; whether it was killed."""
    def work() -> None:
        tempfile.tempdir = str(tmp)  # the work copy a kill leaves behind stays in the test's folder
        take_over([reviewed], source, 2026, tmp / "report")

    return killed_at(step, work)


def test_a_kill_at_any_step_of_writing_leaves_all_source_files_changed_or_none(source_copy: Path,
                                                                             tmp_path: Path) -> None:
    reviewed = _reviewed(source_copy, tmp_path)
    old = _files(source_copy)
    take_over([reviewed], source_copy, 2026, tmp_path / "report")
    new = _files(source_copy)
    assert sorted(k for k in new if new[k] != old[k]) == [BUDGET.as_posix(), SPOOR1.as_posix(), SPOOR2.as_posix()]
    mixed_seen = False
    step = 0
    while True:
        step += 1
        for name, data in old.items():
            (source_copy / name).write_bytes(data)
        work = tmp_path / f"step{step}"
        work.mkdir()
        killed = _killed_at(step, source_copy, reviewed, work)
        left = {k: v for k, v in _files(source_copy).items() if not k.rsplit("/", 1)[-1].startswith(".")}
        mixed_seen |= left not in (old, new)
        done = left == new and not (source_copy / write.JOURNAL).exists()
        write.recover_outputs(source_copy)  # what the next overnemen, build or check does first
        after = _files(source_copy)
        hidden = [k for k in after if k.rsplit("/", 1)[-1].startswith(".")]  # a staged file, a backup, the journal
        assert not hidden, f"killed at step {step}: {hidden}"
        assert after in (old, new), f"killed at step {step}: {sorted(k for k in after if after[k] != old[k])}"
        if not killed or done:  # every step of writing the source was passed
            break
    assert step > 7, "the steps of writing were not reached"
    assert mixed_seen, "no kill fell between two renames: the test would not see a half-done set"


def test_the_build_completes_a_killed_overnemen_before_it_reads_the_source(source_copy: Path,
                                                                           tmp_path: Path) -> None:
    reviewed = _reviewed(source_copy, tmp_path)
    # The files to stage named, 3 files staged, the renames journaled, the first file renamed: killed
    # before the other two.
    assert _killed_at(6, source_copy, reviewed, tmp_path)
    assert (source_copy / write.JOURNAL).is_file()
    pipeline.build(source_copy, 2026, tmp_path / "again", ["agenda"])
    assert not (source_copy / write.JOURNAL).exists()
    text = docx_text(tmp_path / "again" / FILES["agenda"])
    assert "een nauwere samenwerking" in text and "€ 260.000" in text and "geëiste transacties" in text


def test_a_second_overnemen_waits_for_the_first_with_the_lock_message(source_copy: Path, tmp_path: Path) -> None:
    import fcntl

    reviewed = _reviewed(source_copy, tmp_path)
    before = _files(source_copy)
    fd = os.open(source_copy, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as an overnemen that is reading and writing the source
        second = subprocess.Popen([sys.executable, "-m", "generator", "overnemen", str(reviewed), "--source",
                                   str(source_copy), "--report", str(tmp_path / "report")], cwd=ROOT,
                                  env={**os.environ, "PYTHONPATH": str(ROOT), "RIEC_LANG": "en"},
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert second.stderr is not None
        said, deadline = "", time.monotonic() + 120
        while "Another process" not in said and time.monotonic() < deadline and second.poll() is None:
            if select.select([second.stderr], [], [], 1)[0]:
                said += second.stderr.readline()
        assert f"Another process is writing to {source_copy} (process {os.getpid()}: " in said, said
        assert "waiting until it has finished" in said and "build" not in said, said  # the lock's words fit any command
        time.sleep(1)
        assert second.poll() is None and _files(source_copy) == before  # it waits, and has written nothing
    finally:
        os.close(fd)
    stdout, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr
    assert "3 changes taken over, 0 not taken over" in stdout
    assert (source_copy / SPOOR1).read_text(encoding="utf-8").count("een nauwere samenwerking") == 1
