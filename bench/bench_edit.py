"""Time what an editor waits for: `make check`, and `make all` after a one-word change.

Run: `.venv/bin/python bench/bench_edit.py [--runs N] [--baseline DIR]`. Each run changes one
word of `spoor-1.yaml` in a copy of the real source (alternating between two words, so every run
has real work), then runs `make check` and `make all` on that copy as the secretary would, as new
processes. Prints wall-clock and CPU seconds (user + system of make and its children) per run and
their medians. With `--baseline DIR` (another checkout of this project, e.g. made by
`git worktree add` or `git archive`), the same runs alternate between DIR and this checkout, so
both see the same load on a shared machine, and the ratio of the medians is printed. Also runs
pandoc on three Markdown documents as the issue's yardstick (when `make bench` installed it).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("geëvalueerd", "beoordeeld")  # a word of spoor-1.yaml and its stand-in
# The benchmark's own on-disk cache (set in main), warmed by the warm-up runs: never the user's,
# which other builds on a shared machine may fill or empty while we measure.
ENV: dict[str, str] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one command (a new process and its children)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env.update(ENV)
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{done.stdout}{done.stderr}")
    return wall, _children_cpu() - cpu


def edit(source: Path, i: int) -> None:
    """Change one word of spoor-1.yaml (back and forth), so `make all` must rebuild."""
    path = source / "2026" / "hoofdstukken" / "spoor-1.yaml"
    old, new = WORDS if i % 2 == 0 else WORDS[::-1]
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class Project:
    """One checkout with its own copy of the source and output folder."""

    def __init__(self, root: Path, tmp: Path, name: str) -> None:
        self.root, self.name = root, name
        self.source, self.out = tmp / name / "source", tmp / name / "output"
        shutil.copytree(ROOT / "source", self.source)
        self.check: list[tuple[float, float]] = []
        self.all: list[tuple[float, float]] = []

    def make(self, target: str) -> tuple[float, float]:
        return run(["make", "--no-print-directory", target, f"SOURCE={self.source}", f"OUT={self.out}"], self.root)

    def once(self, i: int, record: bool) -> None:
        edit(self.source, i)
        check, build = self.make("check"), self.make("all")
        if record:
            self.check.append(check)
            self.all.append(build)


def _median(pairs: list[tuple[float, float]], k: int) -> float:
    return statistics.median(p[k] for p in pairs)


def _line(label: str, pairs: list[tuple[float, float]]) -> str:
    walls = ", ".join(f"{w:.2f}" for w, _ in pairs)
    return (f"{label}: median {_median(pairs, 0):.3f} s wall, {_median(pairs, 1):.3f} s CPU "
            f"(wall per run: {walls})")


def pandoc_three(tmp: Path, runs: int) -> list[tuple[float, float]] | None:
    """pandoc converting three Markdown documents (one process each), the issue's yardstick."""
    try:
        import pypandoc  # type: ignore[import-not-found]
        pandoc = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None
    from generator import pipeline

    built = tmp / "for-pandoc"
    pipeline.build(ROOT / "source", 2026, built, list(pipeline.DOCUMENTS))
    from bench.bench_pipeline import write_markdown

    docx = {n: pipeline.document_path(n, 2026, built) for n in pipeline.DOCUMENTS}
    md = write_markdown(docx, tmp / "markdown")
    out = []
    for _ in range(runs):
        cpu, start = _children_cpu(), time.perf_counter()
        for path in md.values():
            subprocess.run([pandoc, "-f", "markdown", "-t", "docx", "-o", str(path.with_suffix(".docx")), str(path)],
                           check=True, capture_output=True)
        out.append((time.perf_counter() - start, _children_cpu() - cpu))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with (alternating runs)")
    args = parser.parse_args(argv)
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="riec-bench-edit-") as name:
        tmp = Path(name)
        ENV["XDG_CACHE_HOME"] = str(tmp / "cache")
        projects = [Project(ROOT, tmp, "this")]
        if args.baseline:
            projects.insert(0, Project(args.baseline.resolve(), tmp, "baseline"))
        for project in projects:
            project.make("all")  # output up to date, caches and .pyc warm
            project.once(0, record=False)  # warm-up
        for i in range(1, args.runs + 1):
            for project in projects if i % 2 else projects[::-1]:
                project.once(i, record=True)
        for project in projects:
            print(_line(f"[{project.name}] make check", project.check))
            print(_line(f"[{project.name}] make all after a one-word change", project.all))
        if args.baseline:
            base, this = projects
            for what in ("check", "all"):
                a, b = getattr(base, what), getattr(this, what)
                print(f"make {what}: this / baseline = {_median(b, 0) / _median(a, 0):.2f} (wall), "
                      f"{_median(b, 1) / _median(a, 1):.2f} (CPU)")
        pandoc = pandoc_three(tmp, args.runs)
        if pandoc:
            print(_line("pandoc, 3 documents (one process each)", pandoc))
        else:
            print("pandoc is not installed (`make bench` installs it): yardstick skipped")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
