"""Time `make all` (agenda, voortgangsrapportage and jaarverslag) from a clean output folder.

Run: `.venv/bin/python bench/bench_all.py [runs]`. Uses the fictitious example source, whose
reports are complete (charts, every table filled), so the work is the largest. Also times the
three documents built by one CLI process. Prints every run and the median.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _time(command: list[str], out: Path, runs: int) -> list[float]:
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)  # warm-up (disk cache)
    times = []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)  # a missing output forces the real work
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def _report(label: str, times: list[float]) -> None:
    print(f"{label}: " + ", ".join(f"{t:.3f}" for t in times) + " s")
    print(f"  median {statistics.median(times):.3f} s, min {min(times):.3f} s, max {max(times):.3f} s "
          f"over {len(times)} runs")


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        make = ["make", "--no-print-directory", "all", "SOURCE=examples/source", f"OUT={out}"]
        _report("make all, 3 documents from examples/source (one build process)", _time(make, out, runs))
        cli = [sys.executable, "-m", "generator", "build", "--source", "examples/source", "--output", str(out)]
        _report("build (all three in one cold process)", _time(cli, out, runs))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
