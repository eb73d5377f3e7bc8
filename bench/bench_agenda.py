"""Time `make agenda`'s real work as a cold process: the CLI building the agenda.

Run: `.venv/bin/python bench/bench_agenda.py [runs]`. Prints every run and the median.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import report, timed  # noqa: E402


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "generator", "build", "agenda", "--output", out]

        def remove_documents() -> None:
            # A changed output forces the real work each time: remove the previous document.
            for f in Path(out).glob("*.docx"):
                f.unlink()

        times = timed(command, runs, ROOT, before=remove_documents)
    report("build agenda (cold process)", times)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
