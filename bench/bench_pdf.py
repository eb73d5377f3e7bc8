"""Time `make pdf`'s conversion: every document to PDF in one LibreOffice start, as a cold process.

Run: `.venv/bin/python bench/bench_pdf.py [runs]` (needs LibreOffice and python3-uno). Prints every
run and the median. Each run starts LibreOffice with a fresh private profile, as `make pdf` does.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import report, timed  # noqa: E402


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, "-m", "generator", "build", "--output", out], cwd=ROOT, check=True,
                       capture_output=True)
        documents = sorted(p.name for p in Path(out).glob("*.docx"))
        command = [sys.executable, "-m", "generator", "pdf", "--output", out]
        times = timed(command, runs, ROOT)
        pages = [subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
                 for pdf in sorted(Path(out, "pdf").glob("*.pdf"))]
        counts = [next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")) for info in pages]
    report(f"pdf of {len(documents)} document(s) ({', '.join(documents)}; pages {', '.join(counts)})", times,
           digits=2)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
