"""Time the editors' watch loop: from a save to the printed result of `check --watch` (`make check-live`).

Run: `.venv/bin/python -m bench.bench_watch [--runs N]`. Starts `python -m generator check --watch` as
a process on a copy of the real source (with the benchmark's own cache), waits until it watches, then
makes one-word saves in `spoor-1.yaml`, each a word no earlier save wrote (so no document it changes is
in the cache of rendered documents: it has to be rendered): first one warm-up save, then N saves of a
word of a chapter's introduction (only the agenda shows it) and N saves of a word of an action's text
(all three documents show it), alternating. For each save it measures, from just before the file is
written to the moment the line arrives on the loop's output:
  - the source's result (the line "Source: 0 errors, ..."), printed after the validation;
  - the whole result, as `make check` prints it (its summary line, after every document is rendered);
and the CPU seconds the loop's process (and the processes it waited for) spent on that run.
Prints every run and the medians; the issue's target is at most 0.3 s from save to result.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.bench_edit import ACTION, INTRO, edit
from bench.timing import user_env

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.3


class Loop:
    """`python -m generator check --watch` on SOURCE; every line of its output with the time it arrived."""

    def __init__(self, source: Path, cache: Path) -> None:
        env = user_env(PYTHONUNBUFFERED="1", XDG_CACHE_HOME=str(cache))
        self.process = subprocess.Popen([sys.executable, "-m", "generator", "check", "--watch", "--source",
                                         str(source)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))

    def until(self, start: str, timeout: float = 300) -> tuple[float, str]:
        """The first line (from now) that starts with `start`, and when it arrived."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                at, line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise SystemExit(f"no line starting with {start!r} within {timeout} s") from None
            if line.startswith(("Error", "Internal error")) or "Traceback" in line:
                raise SystemExit(f"the check failed: {line}")
            if line.startswith(start):
                return at, line

    def cpu(self) -> float:
        """CPU seconds of the loop's process and of the processes it has waited for."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=60)


def save(loop: Loop, source: Path, where: tuple[str, str], word: str) -> tuple[float, float, float]:
    """One save, and the seconds until the source's result, until the whole result, and the CPU seconds."""
    cpu = loop.cpu()
    saved = time.perf_counter()
    edit(source, where, word)
    checked = loop.until("Source: ")[0]
    done = loop.until("0 errors")[0]  # the summary that `make check` prints last
    loop.until("Checked in ")
    return checked - saved, done - saved, loop.cpu() - cpu


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.3f}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="saves of each kind (default 5)")
    args = parser.parse_args(argv)
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    tmp = Path(tempfile.mkdtemp(prefix="riec-bench-watch-"))
    try:
        source = tmp / "source"
        shutil.copytree(ROOT / "source", source)
        loop = Loop(source, tmp / "cache")
        started = time.perf_counter()
        loop.until("Watching ")
        print(f"first check and watching after {time.perf_counter() - started:.2f} s")
        tag = f"w{os.getpid()}"
        save(loop, source, ACTION, f"{tag}warm")
        figures: dict[str, list[tuple[float, float, float]]] = {"intro": [], "action": []}
        for i in range(args.runs):
            for kind, where in (("intro", INTRO), ("action", ACTION)) if i % 2 == 0 else (("action", ACTION),
                                                                                           ("intro", INTRO)):
                figure = save(loop, source, where, f"{tag}{kind}{i}")
                figures[kind].append(figure)
                print(f"  {kind} {i + 1}: source's result {figure[0]:.3f} s, whole result {figure[1]:.3f} s, "
                      f"CPU {figure[2]:.3f} s", flush=True)
        status = loop.stop()
        if status != 0:
            raise SystemExit(f"check --watch ended with exit status {status} after Ctrl-C")
        labels = {"intro": "a word only the agenda shows", "action": "a word all three documents show"}
        for kind, runs in figures.items():
            source_s, whole_s, cpu_s = ([r[i] for r in runs] for i in range(3))
            print(f"{labels[kind]} ({len(runs)} saves): median source's result {_median(source_s)} s, "
                  f"whole result {_median(whole_s)} s (min {min(whole_s):.3f}, max {max(whole_s):.3f}), "
                  f"CPU {_median(cpu_s)} s; target {TARGET} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
