"""Time `make agenda`'s real work as a cold process: the CLI building the agenda.

Run: `.venv/bin/python bench/bench_agenda.py [runs]`. Prints every run and the median.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "generator", "build", "agenda", "--output", out]
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)  # warm-up (disk cache)
        times = []
        for _ in range(runs):
            # A changed output forces the real work each time: remove the previous document.
            for f in Path(out).glob("*.docx"):
                f.unlink()
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    print("build agenda (cold process): " + ", ".join(f"{t:.3f}" for t in times) + " s")
    print(f"median {statistics.median(times):.3f} s, min {min(times):.3f} s, max {max(times):.3f} s "
          f"over {runs} runs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
