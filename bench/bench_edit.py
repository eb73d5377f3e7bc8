"""Time what an editor waits for: `make check`, and `make all` after a one-word change.

Run: `.venv/bin/python bench/bench_edit.py [--runs N] [--baseline DIR]`. Each run changes one
word of `spoor-1.yaml` in a copy of the real source, then runs `make check` and `make all` on
that copy as the secretary would, as new processes. Every change writes a word that no earlier
run wrote, so the generator's cache of rendered documents never holds the changed document:
it has to render it. Three kinds of run, each with its own change:
  - `make check`, then `make all` (the editor checks first): a word of a chapter's introduction,
    which only the agenda shows;
  - `make all` alone after the same kind of change;
  - `make all` alone after a word of an action's text, which all three documents show.
Prints wall-clock and CPU seconds (user + system of make and its children) per run and their
medians. With `--baseline DIR` (another checkout of this project, e.g. made by `git worktree
add` or `git archive`), the same runs alternate between DIR and this checkout, so both see the
same load on a shared machine, and the ratio of the medians is printed. Also runs pandoc on
three Markdown documents as the issue's yardstick (when `make bench` installed it).
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

from bench.timing import user_env

ROOT = Path(__file__).resolve().parent.parent
# A word of a chapter's introduction (only in the agenda), and of an action's text (in all three).
INTRO = ("In 2025 hebben we ", "geëvalueerd")
ACTION = ("preventieve jeugdaanpak ter ", "voorkoming")
# The benchmark's own on-disk cache (set in main), warmed by the warm-up runs: never the user's,
# which other builds on a shared machine may fill or empty while we measure.
ENV: dict[str, str] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str], cwd: Path, extra: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one command (a new process and its children)."""
    env = user_env(**{**ENV, **extra})
    cpu, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{done.stdout}{done.stderr}")
    return wall, _children_cpu() - cpu


def edit(source: Path, where: tuple[str, str], word: str) -> None:
    """Change the word after `where[0]` in spoor-1.yaml to `word` (one no earlier run wrote)."""
    path = source / "2026" / "hoofdstukken" / "spoor-1.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(where[0]) + len(where[0])
    end = start + len(text[start:].split(" ", 1)[0].split("\n", 1)[0])
    path.write_text(text[:start] + word + text[end:], encoding="utf-8")


class Project:
    """One checkout with its own copy of the source and output folder."""

    def __init__(self, root: Path, tmp: Path, name: str, tag: str, env: dict[str, str] | None = None) -> None:
        # tag: in every word this project writes, so that no project's run finds a document that
        # another project's run rendered in the shared cache
        self.root, self.name, self.tag, self.env = root, name, tag, env or {}
        self.source, self.out = tmp / tag / "source", tmp / tag / "output"
        shutil.copytree(ROOT / "source", self.source)
        self.check: list[tuple[float, float]] = []
        self.all: list[tuple[float, float]] = []
        self.all_alone: list[tuple[float, float]] = []
        self.all_three: list[tuple[float, float]] = []

    def make(self, target: str) -> tuple[float, float]:
        return run(["make", "--no-print-directory", target, f"SOURCE={self.source}", f"OUT={self.out}"], self.root,
                   self.env)

    def once(self, i: int, record: bool) -> None:
        edit(self.source, INTRO, f"{INTRO[1]}{i}a{self.tag}")
        check, build = self.make("check"), self.make("all")
        edit(self.source, INTRO, f"{INTRO[1]}{i}b{self.tag}")
        alone = self.make("all")
        edit(self.source, ACTION, f"{ACTION[1]}{i}{self.tag}")
        three = self.make("all")
        if record:
            self.check.append(check)
            self.all.append(build)
            self.all_alone.append(alone)
            self.all_three.append(three)


LABELS = {"check": "make check", "all": "make all after it",
          "all_alone": "make all after a one-word change (agenda only), no check before",
          "all_three": "make all after a one-word change in all three documents"}


def _median(pairs: list[tuple[float, float]], k: int) -> float:
    return statistics.median(p[k] for p in pairs)


def _line(label: str, pairs: list[tuple[float, float]]) -> str:
    walls = ", ".join(f"{w:.2f}" for w, _ in pairs)
    return (f"{label}: median {_median(pairs, 0):.3f} s wall, {_median(pairs, 1):.3f} s CPU "
            f"(wall per run: {walls})")


class Pandoc:
    """pandoc converting three Markdown documents (one process each), the issue's yardstick."""

    def __init__(self, tmp: Path) -> None:
        import pypandoc  # type: ignore[import-not-found]

        from bench.bench_pipeline import write_markdown
        from generator import pipeline

        self.pandoc = pypandoc.get_pandoc_path()
        built = tmp / "for-pandoc"
        pipeline.build(ROOT / "source", 2026, built, list(pipeline.DOCUMENTS))
        docx = {n: pipeline.document_path(n, 2026, built) for n in pipeline.DOCUMENTS}
        self.markdown = list(write_markdown(docx, tmp / "markdown").values())
        self.runs: list[tuple[float, float]] = []

    def once(self) -> None:
        cpu, start = _children_cpu(), time.perf_counter()
        for path in self.markdown:
            subprocess.run([self.pandoc, "-f", "markdown", "-t", "docx", "-o", str(path.with_suffix(".docx")),
                            str(path)], check=True, capture_output=True)
        self.runs.append((time.perf_counter() - start, _children_cpu() - cpu))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with (alternating runs)")
    args = parser.parse_args(argv)
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="riec-bench-edit-") as name:
        tmp = Path(name)
        ENV["XDG_CACHE_HOME"] = str(tmp / "cache")
        projects = [Project(ROOT, tmp, "this", "p")]
        if args.baseline:
            projects.insert(0, Project(args.baseline.resolve(), tmp, "baseline", "b"))
        for project in projects:
            project.make("all")  # output up to date, caches and .pyc warm
            project.once(0, record=False)  # warm-up
        try:
            pandoc: Pandoc | None = Pandoc(tmp)
        except (ImportError, OSError):
            pandoc = None
        for i in range(1, args.runs + 1):  # pandoc's runs between ours, so all see the same load
            for project in projects if i % 2 else projects[::-1]:
                project.once(i, record=True)
            if pandoc:
                pandoc.once()
        for project in projects:
            for what, label in LABELS.items():
                print(_line(f"[{project.name}] {label}", getattr(project, what)))
        print("(CPU seconds are those of make and its children)")
        if args.baseline:
            base, this = projects[:2]
            for what, label in LABELS.items():
                a, b = getattr(base, what), getattr(this, what)
                print(f"{label}: this / baseline = {_median(b, 0) / _median(a, 0):.2f} (wall), "
                      f"{_median(b, 1) / _median(a, 1):.2f} (CPU)")
        if pandoc:
            print(_line("pandoc, 3 documents (one process each)", pandoc.runs))
            for what, label in LABELS.items():
                print(f"{label} / pandoc's 3 documents: " + ", ".join(
                    f"[{p.name}] {_median(getattr(p, what), 0) / _median(pandoc.runs, 0):.2f}" for p in projects)
                    + " (wall)")
        else:
            print("pandoc is not installed (`make bench` installs it): yardstick skipped")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
