"""Time `make all` (agenda, voortgangsrapportage and jaarverslag) from a clean output folder.

Run: `.venv/bin/python bench/bench_all.py [runs]`. Uses the fictitious example source, whose
reports are complete (charts, every table filled), so the work is the largest. Also times the
three documents built by one CLI process. Prints every run and the median.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import report, timed  # noqa: E402


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        make = ["make", "--no-print-directory", "all", "SOURCE=examples/source", f"OUT={out}"]
        report("make all, 3 documents from examples/source (one build process)",
               timed(make, runs, ROOT, before=lambda: shutil.rmtree(out, ignore_errors=True)))
        cli = [sys.executable, "-m", "generator", "build", "--source", "examples/source", "--output", str(out)]
        report("build (all three in one cold process)",
               timed(cli, runs, ROOT, before=lambda: shutil.rmtree(out, ignore_errors=True)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
