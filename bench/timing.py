"""Shared helpers of the small bench scripts: time a command as cold processes, print the figures."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path


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
