"""Every command is a plain process that ends when it is done: nothing is left running or in /tmp.

A fresh copy of the project (the files git lists, with this checkout's .venv) runs `make agenda`,
`make check` and `make all` as a user runs them, each under a small Python process that adopts whatever
they leave behind (Linux's child subreaper: a process whose parent ended is handed to it, however it
detached) and lists it. TMPDIR and XDG_RUNTIME_DIR point at empty folders of the test's own, which must
stay empty; and the generator names no folder in /tmp itself, so everything temporary goes through
TMPDIR. (/tmp itself is not compared before and after: other programs on the machine use it meanwhile.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# Runs the command given as arguments as a child subreaper, then reports its exit status and every
# process it adopted (still running or ended but not collected), stops those and collects them.
ADOPTER = r"""
import ctypes, json, os, signal, subprocess, sys, time
if ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
    sys.exit("prctl(PR_SET_CHILD_SUBREAPER) failed")
status = subprocess.run(sys.argv[1:]).returncode
time.sleep(0.5)  # a process that detached at the end has been handed to us by now

def adopted():
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{pid}/stat").read()
            cmdline = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rpartition(")")[2].split()
        if int(fields[1]) == os.getpid():
            found.append({"pid": int(pid), "state": fields[0], "cmdline": cmdline.strip()})
    return found

left = adopted()
for process in left:
    try:
        os.kill(process["pid"], signal.SIGKILL)
        os.waitpid(process["pid"], 0)
    except (ProcessLookupError, ChildProcessError):
        pass
print(json.dumps({"status": status, "left": left}))
"""


def _project_copy(target: Path) -> Path:
    """The project's files as git lists them (committed or not, never the ignored ones), with our .venv."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="adopting left-behind processes needs Linux")
@pytest.mark.parametrize("target", ["agenda", "check", "all"])
def test_a_make_command_leaves_no_process_and_nothing_in_tmp(target: str, tmp_path: Path) -> None:
    project = _project_copy(tmp_path / "project")
    private_tmp, runtime = tmp_path / "tmp", tmp_path / "run"
    private_tmp.mkdir()
    runtime.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env |= {"TMPDIR": str(private_tmp), "XDG_RUNTIME_DIR": str(runtime), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    # Twice: the first run renders, the second finds its work done (and a background process, if any
    # had been started by the first, would answer it).
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", ADOPTER, "make", "--no-print-directory", target], cwd=project,
                              env=env, capture_output=True, text=True, timeout=600, check=False)
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout.strip().splitlines()[-1])
        assert report["status"] == 0, done.stdout + done.stderr
        assert report["left"] == [], f"`make {target}` left processes behind: {report['left']}"
    assert list(private_tmp.iterdir()) == []
    assert list(runtime.iterdir()) == []
    assert (project / "output").is_dir() or target == "check"


def test_the_generator_names_no_folder_in_tmp() -> None:
    """Temporary files go through `tempfile` (TMPDIR, checked above), never to a path of its own in /tmp."""
    named = [f"{path.relative_to(ROOT)}:{number}" for path in sorted((ROOT / "generator").rglob("*.py"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if "/tmp" in line or "gettempdir" in line]
    assert named == []
