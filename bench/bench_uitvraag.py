"""Time the uitvraag on the real source: all partner workbooks out, and all of them back in.

Run: `.venv/bin/python bench/bench_uitvraag.py [runs]`. Prints every run and the median, in-process
(the work itself) and as a cold process (what the secretary waits for, Python start and imports
included). Targets (issue 13): all workbooks <= 2 s; importing all of them <= 2 s. On a shared machine
the wall-clock figures are noisy; the CPU time is printed too.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import report, timed  # noqa: E402
from generator import pipeline  # noqa: E402

PEILDATUM = dt.date(2026, 6, 30)


def _fill(folder: Path, inbox: Path) -> int:
    """Every workbook answered (op schema), saved where the secretary saves returned workbooks."""
    from openpyxl import load_workbook

    inbox.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted(folder.glob("*.xlsx")):
        if path.name == "overzicht.xlsx":
            continue
        wb = load_workbook(path)
        ws = wb["Acties"]
        for r in range(2, ws.max_row + 1):
            ws.cell(r, 8).value = "op schema"
        wb.save(inbox / path.name)
        count += 1
    return count


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        shutil.copytree(ROOT / "source", source)
        out = Path(tmp) / "out"
        make_times, verwerk_times, make_cpu, verwerk_cpu = [], [], [], []
        for _ in range(runs):
            shutil.rmtree(out, ignore_errors=True)
            start, cpu = time.perf_counter(), time.process_time()
            sent = pipeline.uitvraag_maak(source, 2026, PEILDATUM, out)
            make_times.append(time.perf_counter() - start)
            make_cpu.append(time.process_time() - cpu)
        inbox = pipeline.uitvraag_folder(source, 2026, PEILDATUM)
        count = _fill(sent.folder, inbox)
        target = source / "2026" / "voortgang" / f"{PEILDATUM.isoformat()}.yaml"
        for _ in range(runs):
            target.unlink(missing_ok=True)
            start, cpu = time.perf_counter(), time.process_time()
            pipeline.uitvraag_verwerk(source, 2026, PEILDATUM)
            verwerk_times.append(time.perf_counter() - start)
            verwerk_cpu.append(time.process_time() - cpu)
        print(f"Real source: {len(sent.workbooks)} workbooks, {count} returned.")
        report("uitvraag maak, in-process (target <= 2 s)", make_times)
        report("uitvraag verwerk of all workbooks, in-process (target <= 2 s)", verwerk_times)
        # CPU time: what the work costs when the machine is not shared (wall time includes waiting).
        report("uitvraag maak, in-process CPU time", make_cpu)
        report("uitvraag verwerk, in-process CPU time", verwerk_cpu)
        python = str(ROOT / ".venv" / "bin" / "python")
        cold = timed([python, "-m", "generator", "uitvraag", "maak", "--peildatum", PEILDATUM.isoformat(),
                      "--source", str(source), "--output", str(out)], runs, ROOT,
                     before=lambda: shutil.rmtree(out, ignore_errors=True))
        report("uitvraag maak, cold process", cold)
        cold = timed([python, "-m", "generator", "uitvraag", "verwerk", "--peildatum", PEILDATUM.isoformat(),
                      "--source", str(source)], runs, ROOT, before=lambda: target.unlink(missing_ok=True))
        report("uitvraag verwerk, cold process", cold)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
