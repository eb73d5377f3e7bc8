"""Shared helpers of the small bench scripts: time a command as cold processes, print the figures."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def user_env(**extra: str) -> dict[str, str]:
    """The environment a timed process gets: this one as a user's shell has it, plus `extra`.

    Without make's own variables (a benchmark started by `make bench` times new `make` processes)
    and without PYTHONDONTWRITEBYTECODE (set on some build machines: every run would compile the
    generator's modules again, which a user's Python does once). Messages in English (the scripts
    read the summary lines; the language costs nothing measurable); git commits under a fixed name.
    """
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTHONDONTWRITEBYTECODE")}
    env.update({"RIEC_LANG": "en", "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.org",
                "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.org"})
    env.update(extra)
    return env


# The generator is imported from this checkout.
GIT_ENV = user_env(PYTHONPATH=str(ROOT))


def repo_with_source(folder: Path) -> list[str]:
    """A new git repository in `folder` holding a copy of the real source as its one commit; its git command."""
    shutil.copytree(ROOT / "source", folder / "source")
    git = ["git", "-C", str(folder)]
    subprocess.run([*git, "init", "-q"], check=True, env=GIT_ENV)
    subprocess.run([*git, "add", "-A"], check=True, env=GIT_ENV)
    subprocess.run([*git, "commit", "-q", "-m", "v1"], check=True, env=GIT_ENV)
    return git


def timed(command: list[str], runs: int, cwd: Path, env: dict[str, str] | None = None,
          before: Callable[[], None] | None = None, warm_up: bool = True) -> list[float]:
    """Wall-clock seconds of `runs` runs of `command`, each a new process, after one warm-up run."""
    if warm_up:
        subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)  # disk cache, .pyc
    times = []
    for _ in range(runs):
        if before:
            before()  # e.g. remove the output, so every run does the real work
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float], digits: int = 3) -> None:
    """Every run, then median, min and max."""
    print(f"{label}: " + ", ".join(f"{t:.{digits}f}" for t in times) + " s")
    print(f"  median {statistics.median(times):.{digits}f} s, min {min(times):.{digits}f} s, "
          f"max {max(times):.{digits}f} s over {len(times)} runs")
