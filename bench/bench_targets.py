"""Issue 22's targets, for one checkout: plain processes (nothing kept warm), beside pandoc.

    .venv/bin/python -m bench.bench_targets [--checkout DIR] [--runs N] [--no-scale]

- `make all` after a one-word change that all three documents show (an action's text in
  spoor-1.yaml; a new word each run), each a new `make` process;
- `make diff` (HEAD against the working tree, one word changed), the first time after a fresh
  clone (an empty cache and the generator's code not yet compiled to .pyc: a new cache folder and
  a new copy of the code each run), and later diffs (the cache of the earlier diffs kept; a new
  word each run);
- 100x the actions (bench/synth.py): `build` of all three documents with an empty cache, its
  wall-clock time and the peak memory (max RSS) of any of its processes.

The yardstick is pandoc converting the published agenda text (Markdown made from our agenda)
three times, one process each, timed between our runs so both see the same load. `--checkout`
times another checkout (e.g. a worktree of an older commit, with its own `.venv`) with the same
sources and the same pandoc, for before-and-after figures.
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

from bench.timing import ROOT, repo_with_source, user_env

YEAR = 2026
ACTION = ("preventieve jeugdaanpak ter ", "voorkoming")  # an action's text: in all three documents
DIFF_WORD = "een betere samenwerking"
def run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Wall-clock seconds of one command and the peak memory (MB) of any process it started."""
    # A small wrapper process waits for the command: its RUSAGE_CHILDREN maximum is that of the
    # largest process below it (forked children included), never of this benchmark.
    wrapper = ("import resource, subprocess, sys, time; s = time.perf_counter(); "
               "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "w = time.perf_counter() - s; "
               "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024); "
               "sys.stderr.write(r.stdout + r.stderr if r.returncode else ''); sys.exit(r.returncode)")
    done = subprocess.run([sys.executable, "-c", wrapper, *command], cwd=cwd, env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{done.stderr}")
    wall, peak = done.stdout.split()
    return float(wall), int(peak)


def edit(path: Path, after: str, word: str) -> None:
    """Replace the word after `after` in `path` by `word`."""
    text = path.read_text(encoding="utf-8")
    start = text.index(after) + len(after)
    end = start + len(text[start:].split(" ", 1)[0].split("\n", 1)[0])
    path.write_text(text[:start] + word + text[end:], encoding="utf-8")


class Pandoc:
    """pandoc converting the published agenda text three times (one process each)."""

    def __init__(self, tmp: Path) -> None:
        import pypandoc  # type: ignore[import-not-found]

        from bench.bench_pipeline import write_markdown

        self.pandoc = pypandoc.get_pandoc_path()
        built = tmp / "for-pandoc"
        subprocess.run([sys.executable, "-m", "generator", "build", "--year", str(YEAR), "--source",
                        str(ROOT / "source"), "--output", str(built), "agenda"], cwd=ROOT, check=True,
                       capture_output=True, env=user_env(XDG_CACHE_HOME=str(tmp / "pandoc-cache")))
        self.markdown = write_markdown({"agenda": built / f"uitvoeringsagenda-{YEAR}.docx"}, tmp / "md")["agenda"]
        self.runs: list[float] = []

    def once(self) -> None:
        start = time.perf_counter()
        for _ in range(3):
            subprocess.run([self.pandoc, "-f", "markdown", "-t", "docx", "-o", str(self.markdown.with_suffix(".docx")),
                            str(self.markdown)], check=True, capture_output=True)
        self.runs.append(time.perf_counter() - start)


def _line(label: str, runs: list[tuple[float, int]], pandoc: float | None) -> str:
    walls = [w for w, _ in runs]
    median = statistics.median(walls)
    ratio = f", {median / pandoc:.2f} x pandoc" if pandoc else ""
    return (f"{label}: median {median:.3f} s (min {min(walls):.3f}, max {max(walls):.3f}, {len(walls)} runs)"
            f"{ratio}; peak {max(p for _, p in runs)} MB")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=ROOT)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-scale", action="store_true", help="leave out 100x the actions")
    args = parser.parse_args(argv)
    checkout = args.checkout.resolve()
    python = str(checkout / ".venv" / "bin" / "python")
    print(f"checkout {checkout}; load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="riec-bench-targets-") as name:
        tmp = Path(name)
        pandoc = Pandoc(tmp)
        # make all after a one-word change in all three documents.
        source, out = tmp / "source", tmp / "output"
        shutil.copytree(ROOT / "source", source)
        env = user_env(XDG_CACHE_HOME=str(tmp / "cache-all"))
        make = ["make", "--no-print-directory", "all", f"SOURCE={source}", f"OUT={out}"]
        spoor = source / str(YEAR) / "hoofdstukken" / "spoor-1.yaml"
        for i in range(2):  # warm-up: the .venv's stamp, .pyc files, the cache
            edit(spoor, ACTION[0], f"{ACTION[1]}w{i}")
            run(make, checkout, env)
        make_all = []
        for i in range(args.runs):
            edit(spoor, ACTION[0], f"{ACTION[1]}{i}")
            make_all.append(run(make, checkout, env))
            pandoc.once()
        # make diff: a git repository with the real source, one word changed in the working tree.
        repo = tmp / "repo"
        repo_with_source(repo)
        spoor = repo / "source" / str(YEAR) / "hoofdstukken" / "spoor-1.yaml"
        original = spoor.read_text(encoding="utf-8")
        diff = [python, "-m", "generator", "diff", "--year", str(YEAR), "--source", "source", "--output",
                str(tmp / "diff")]
        first, later = [], []
        later_env = user_env(XDG_CACHE_HOME=str(tmp / "cache-diff"), PYTHONPATH=str(checkout))
        spoor.write_text(original.replace(DIFF_WORD, "een warme0 samenwerking"), encoding="utf-8")
        run(diff, repo, later_env)  # warm-up of the later diffs' cache
        for i in range(args.runs):
            spoor.write_text(original.replace(DIFF_WORD, f"een nauwere{i} samenwerking"), encoding="utf-8")
            # A fresh clone: the generator's code without .pyc files (the libraries' were compiled
            # when they were installed), and an empty cache.
            fresh = tmp / f"clone-{i}"
            for folder in ("generator", "templates"):
                shutil.copytree(checkout / folder, fresh / folder, ignore=shutil.ignore_patterns("__pycache__"))
            first.append(run(diff, repo, user_env(XDG_CACHE_HOME=str(tmp / f"cache-fresh-{i}"),
                                                  PYTHONPATH=str(fresh))))
            spoor.write_text(original.replace(DIFF_WORD, f"een hechtere{i} samenwerking"), encoding="utf-8")
            later.append(run(diff, repo, later_env))
            pandoc.once()
        yardstick = statistics.median(pandoc.runs)
        print(f"pandoc, the agenda three times: median {yardstick:.3f} s over {len(pandoc.runs)} runs")
        print(_line("`make all` after a one-word change in all three documents", make_all, yardstick))
        print(_line("`make diff`, one word changed, first time (empty cache)", first, yardstick))
        print(_line("`make diff`, one word changed, later (cache of earlier diffs)", later, yardstick))
        if not args.no_scale:
            from bench.synth import scale_source

            scaled = tmp / "x100"
            made = scale_source(ROOT / "examples" / "source", scaled, YEAR, 100)
            build = [python, "-m", "generator", "build", "--year", str(YEAR), "--source", str(scaled),
                     "--output", str(tmp / "out100"), "agenda", "voortgang", "jaarverslag"]
            big = [run(build, checkout, user_env(XDG_CACHE_HOME=str(tmp / f"cache-100-{i}"),
                                                PYTHONPATH=str(checkout))) for i in range(2)]
            print(_line(f"100x ({made.actions} actions) `build` all 3, empty cache", big, None))
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
