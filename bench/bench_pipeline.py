"""`make bench`: speed and scale of the whole pipeline, side by side with pandoc.

Every figure is a whole cold process (`python -m generator ...`, `make all`, `pandoc`), timed
after one warm-up run: median, min and max, and the peak memory (max RSS) of the process.
Prints a table and writes bench/results.md. Run: `.venv/bin/python -m bench.bench_pipeline [--runs N]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from bench.synth import scale_source
from bench.timing import user_env
from generator.pipeline import DOCUMENTS

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.md"
PY = sys.executable
REAL_SOURCE = ROOT / "source"
EXAMPLE_SOURCE = ROOT / "examples" / "source"
YEAR = 2026
SCALES = (1, 10, 100)

Command = Sequence[str]

# The timed processes run as in a user's shell (bench/timing.py: user_env); the benchmark's own
# cache is added in main.
ENV = user_env()


class BenchError(Exception):
    """A benchmarked command failed: the figures would mean nothing."""


@dataclass
class Timing:
    """The runs of one benchmarked step: wall-clock seconds and peak memory (MB) per run."""

    label: str
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mb)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    def row(self) -> str:
        return (f"| {self.label} | {self.median:.3f} | {min(self.seconds):.3f} | {max(self.seconds):.3f} "
                f"| {self.cpu_median:.3f} | {len(self.seconds)} | {self.peak:.0f} |")


@dataclass(frozen=True)
class Run:
    """One finished process: wall-clock and CPU seconds, peak memory, its output."""

    seconds: float
    cpu: float
    peak_mb: float
    output: str


def run_process(command: Command, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Run:
    """Run one command as a cold process and measure it."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(command), cwd=cwd, env=env or ENV, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(command)} failed (exit {proc.returncode}):\n{text[-3000:]}")
    # ru_maxrss is in KiB on Linux; CPU time is user + system of the process and its children.
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text)


def measure(label: str, commands: Sequence[Command], runs: int, prepare: Callable[[], None] | None = None,
            env: dict[str, str] | None = None, note: str = "") -> Timing:
    """Time `commands` run one after the other, `runs` times after one warm-up; `prepare` is not timed."""
    timing = Timing(label, note=note)
    for i in range(runs + 1):
        if prepare:
            prepare()
        done = [run_process(command, env=env) for command in commands]
        if i:  # run 0 is the warm-up (disk cache, .pyc files, compiled templates)
            timing.seconds.append(sum(r.seconds for r in done))
            timing.cpu.append(sum(r.cpu for r in done))
            timing.peak_mb.append(max(r.peak_mb for r in done))
    print(f"  {label}: median {timing.median:.3f} s (min {min(timing.seconds):.3f}, "
          f"max {max(timing.seconds):.3f}, {runs} runs), CPU {timing.cpu_median:.3f} s, "
          f"peak {timing.peak:.0f} MB", flush=True)
    return timing


def _forget_rendered() -> None:
    """Remove the rendered documents (with their accessibility findings) from our cache, so a run renders."""
    shutil.rmtree(Path(ENV["XDG_CACHE_HOME"]) / "riec-documenten" / "documents", ignore_errors=True)


def _emptier(folder: Path, rendered_too: bool = True) -> Callable[[], None]:
    """Remove the previous documents, and the rendered ones in our cache: every run renders and writes them."""
    def prepare() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        if rendered_too:
            _forget_rendered()
    return prepare


def generator(*args: str | Path) -> list[str]:
    return [PY, "-m", "generator", *map(str, args)]


# --- pandoc ----------------------------------------------------------------------------

_SPECIAL_START = re.compile(r"^([0-9]+[.)]|[-+*#>|])(\s|$)")


def markdown_of(lines: list[str]) -> str:
    """Our document's text lines (generator.review.docxtext) as Markdown: headings, lists, pipe tables."""
    out: list[str] = []
    table: list[list[str]] = []

    def flush_table() -> None:
        if not table:
            return
        width = max(len(r) for r in table)
        rows = [r + [""] * (width - len(r)) for r in table]
        out.append("")
        out.append("| " + " | ".join(rows[0]) + " |")
        out.append("|" + " --- |" * width)
        out.extend("| " + " | ".join(r) + " |" for r in rows[1:])
        out.append("")
        table.clear()

    previous = ""
    for line in lines:
        if line.startswith("| ") and line.endswith(" |"):
            table.append([c.strip() for c in line[2:-2].split(" | ")])
            continue
        flush_table()
        stripped = line.lstrip(" ")
        if stripped.startswith("• ") or line.startswith("1. "):
            depth = (len(line) - len(stripped)) // 2
            item = "- " + stripped[2:] if stripped.startswith("• ") else line
            if previous != "list":
                out.append("")
            out.append("    " * depth + item)
            previous = "list"
            continue
        out.append("")
        out.append(line if line.startswith("#") else _SPECIAL_START.sub(r"\\\1\2", line))
        previous = "heading" if line.startswith("#") else "text"
    flush_table()
    return "\n".join(out).strip() + "\n"


def write_markdown(documents: dict[str, Path], folder: Path) -> dict[str, Path]:
    """One .md file per document, derived from our generated .docx (written once, not timed)."""
    from generator.review.docxtext import docx_lines

    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, path in documents.items():
        md = folder / (path.stem + ".md")
        md.write_text(markdown_of(docx_lines(path.read_bytes())), encoding="utf-8")
        out[name] = md
    return out


def pandoc_path() -> str | None:
    try:
        import pypandoc  # type: ignore[import-not-found]
    except ImportError:
        return None
    return str(pypandoc.get_pandoc_path())


# --- environment -----------------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> list[str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = found.group(1) if found else cpu
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "generator", "templates", "source"],
                           cwd=ROOT, capture_output=True, text=True).stdout.strip()
    pandoc = pandoc_path()
    pandoc_version = (subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
                      if pandoc else "not installed")
    return [
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Commit: {commit}{' (with uncommitted changes)' if dirty else ''}",
        f"- Machine: `{' '.join(platform.uname())}`",
        f"- CPU: {cpu}, {os.cpu_count()} cores",
        f"- Python {platform.python_version()}; docxtpl {_version('docxtpl')}, python-docx {_version('python-docx')}, "
        f"pydantic {_version('pydantic')}, PyYAML {_version('PyYAML')} "
        f"(libyaml {'yes' if _libyaml() else 'no'}), Jinja2 {_version('Jinja2')}",
        f"- pandoc: {pandoc_version} (pypandoc_binary {_version('pypandoc_binary')})",
    ]


def _libyaml() -> bool:
    import yaml

    return bool(getattr(yaml, "__with_libyaml__", False))


# --- the benchmark ---------------------------------------------------------------------


@dataclass
class Target:
    """One target of the issue: met or missed, with the measured figure."""

    text: str
    met: bool
    figure: str

    def row(self) -> str:
        return f"| {self.text} | {'met' if self.met else '**missed**'} | {self.figure} |"


def scale_base() -> Path:
    """The source the synthetic ones are made from: the example data (with progress) if present."""
    return EXAMPLE_SOURCE if (EXAMPLE_SOURCE / str(YEAR)).is_dir() else REAL_SOURCE


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages: other work on the machine inflates wall-clock times."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def wait_for_quiet(limit: float, seconds: int) -> None:
    """Wait (at most `seconds`) until the 1-minute load average is below `limit`."""
    deadline = time.monotonic() + seconds
    while os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        print(f"  waiting for a quieter machine (load average {load_average()})", flush=True)
        time.sleep(15)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (after 1 warm-up)")
    parser.add_argument("--scale-runs", type=int, default=3, help="timed runs at 100x")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the Markdown report")
    parser.add_argument("--wait-quiet", type=int, default=0, metavar="SECONDS",
                        help="first wait up to SECONDS for the load average to drop below 1")
    args = parser.parse_args(argv)
    if args.wait_quiet:
        wait_for_quiet(1.0, args.wait_quiet)
    load_before = load_average()
    runs = max(args.runs, 1)
    started = time.perf_counter()
    names = list(DOCUMENTS)
    tmp = Path(tempfile.mkdtemp(prefix="riec-bench-"))
    try:
        report = _run(names, runs, max(args.scale_runs, 1), tmp)
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report.append(f"\nThe whole benchmark took {time.perf_counter() - started:.0f} s. Load average (1, 5, 15 min) "
                  f"at the start: {load_before}; at the end: {load_average()}. Wall-clock figures include waiting "
                  "for the CPU when other work runs on the machine; CPU seconds do not.")
    text = "\n".join(report) + "\n"
    args.results.write_text(text + _kept_section(args.results), encoding="utf-8")
    print(text)
    print(f"written to {args.results}")
    return 0


# A section of results.md written by hand (figures of bench_edit.py before and after a change),
# kept when the file is written again.
KEPT_HEADING = "\n## Before and after: "


def _kept_section(results: Path) -> str:
    try:
        old = results.read_text(encoding="utf-8")
    except OSError:
        return ""
    at = old.find(KEPT_HEADING)
    return old[at:] if at >= 0 else ""


def _run(names: list[str], runs: int, scale_runs: int, tmp: Path) -> list[str]:
    source, year = REAL_SOURCE, str(YEAR)
    common = ["--source", str(source), "--year", year]
    timings: list[Timing] = []
    # Our on-disk cache (compiled templates, template checks, charts) lives in the benchmark's own
    # folder: warmed by each warm-up run like .pyc files, and never the user's.
    ENV["XDG_CACHE_HOME"] = str(tmp / "cache")
    print(f"Documents: {', '.join(names)}; {runs} runs per figure after 1 warm-up", flush=True)

    help_t = measure("`--help` of the CLI", [generator("--help")], runs)
    check_t = measure("`check` (real 2026 source)", [generator("check", *common)], runs, prepare=_forget_rendered)
    check_cached_t = measure("`check`, documents from the cache (nothing they show changed)",
                             [generator("check", *common)], runs)
    timings += [help_t, check_t, check_cached_t]
    out = tmp / "out"
    per_doc: dict[str, Timing] = {}
    for name in names:
        per_doc[name] = measure(f"`build {name}`", [generator("build", name, *common, "--output", out)], runs,
                                prepare=_emptier(out))
    timings += per_doc.values()
    all_t = measure(f"`build` all {len(names)} document(s), one process",
                    [generator("build", *common, "--output", out)], runs, prepare=_emptier(out))
    all_cached_t = measure(f"`build` all {len(names)}, documents from the cache (nothing they show changed)",
                           [generator("build", *common, "--output", out)], runs,
                           prepare=_emptier(out, rendered_too=False))
    timings.append(all_cached_t)
    empty_cache = tmp / "empty-cache"

    def empty_all() -> None:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(empty_cache, ignore_errors=True)

    cold_t = measure(f"`build` all {len(names)}, empty cache (first build after a template or chart change)",
                     [generator("build", *common, "--output", out)], runs, prepare=empty_all,
                     env={**ENV, "XDG_CACHE_HOME": str(empty_cache)})
    timings += [all_t, cold_t]

    # make all, nothing changed: the generator must see nothing to do (it compares input hashes).
    run_process(["make", "all"], env=ENV)  # brings output/ up to date
    nothing = run_process(["make", "all"], env=ENV).output.count("(up to date)") == len(names)
    make_t = measure("`make all`, nothing changed", [["make", "all"]], runs, env=ENV,
                     note="every document '(up to date)'" if nothing else "make did work!")
    timings.append(make_t)

    # pandoc on Markdown of the same documents (derived from ours, written once, not timed).
    pandoc = pandoc_path()
    pandoc_doc: dict[str, Timing] = {}
    pandoc_all: Timing | None = None
    if pandoc:
        built = tmp / "for-pandoc"
        run_process(generator("build", *common, "--output", built))
        docx = {n: built / DOCUMENTS[n].filename.format(year=year) for n in names}
        md = write_markdown(docx, tmp / "markdown")
        pd_out = tmp / "pandoc-out"
        pd_out.mkdir()

        def pandoc_cmd(name: str) -> list[str]:
            return [pandoc, "-f", "markdown", "-t", "docx", "-o", str(pd_out / (md[name].stem + ".docx")),
                    str(md[name])]

        for name in names:
            pandoc_doc[name] = measure(f"pandoc {md[name].name} -> .docx", [pandoc_cmd(name)], runs)
        pandoc_all = measure(f"pandoc, all {len(names)} document(s), one process each",
                             [pandoc_cmd(n) for n in names], runs)
        timings += [*pandoc_doc.values(), pandoc_all]
    else:
        print("  pandoc is not installed (run `make bench`, which installs it): skipped", flush=True)

    # Scale: synthetic sources with N times the actions, partners and budget lines.
    base = scale_base()
    scale_t: dict[int, Timing] = {}
    sizes: dict[int, str] = {}
    for factor in SCALES:
        target = tmp / f"source-x{factor}"
        scaled = scale_source(base, target, YEAR, factor)
        sizes[factor] = f"{scaled.actions} actions, {scaled.partners} partners, {scaled.budget_lines} budget lines"
        checked = run_process(generator("check", "--source", target, "--year", year)).output
        if " 0 errors" not in " " + checked.strip().splitlines()[-1]:
            raise BenchError(f"the {factor}x synthetic source does not validate:\n{checked[-2000:]}")
        scale_out = tmp / f"out-x{factor}"
        scale_t[factor] = measure(
            f"`build` all, {factor}x ({sizes[factor]})",
            [generator("build", "--source", target, "--year", year, "--output", scale_out)],
            scale_runs if factor == max(SCALES) else runs, prepare=_emptier(scale_out))
        shutil.rmtree(target, ignore_errors=True)
    timings += scale_t.values()

    return _report(names, timings, help_t, all_t, cold_t, make_t, nothing, per_doc, pandoc_doc, pandoc_all,
                   scale_t, sizes, base, runs, scale_runs)


def _report(names: list[str], timings: list[Timing], help_t: Timing, all_t: Timing, cold_t: Timing, make_t: Timing,
            nothing: bool, per_doc: dict[str, Timing], pandoc_doc: dict[str, Timing], pandoc_all: Timing | None,
            scale_t: dict[int, Timing], sizes: dict[int, str], base: Path, runs: int,
            scale_runs: int) -> list[str]:
    lines = ["# Benchmark: speed and scale of the pipeline", "",
             "Written by `make bench` (bench/bench_pipeline.py). Every figure is a whole cold process that "
             f"imports everything itself, timed after one warm-up run ({runs} timed runs; {scale_runs} at "
             f"{max(SCALES)}x); seconds of wall "
             "clock; CPU = user + system seconds of the process; peak = the largest resident memory (max RSS) of the "
             "process in any run. After the warm-up the disk cache, Python's .pyc files and our own on-disk cache "
             "(generator/cache.py: compiled templates, template checks, charts whose data did not change) are "
             "warm, as on any later run; the 'empty cache' line empties ours before every run. The rendered "
             "documents it also keeps are removed before every run (so every line renders), except in the lines "
             "'documents from the cache'.", "",
             *machine(), f"- Documents: {', '.join(names)}", ""]
    lines += ["## Timings", "", "| what | median s | min s | max s | CPU s (median) | runs | peak MB |",
              "| --- | --: | --: | --: | --: | --: | --: |"]
    lines += [t.row() for t in timings]
    notes = [f"- {t.label}: {t.note}" for t in timings if t.note]
    lines += ["", *notes] if notes else []

    lines += ["", "## Side by side with pandoc", ""]
    if pandoc_all:
        lines += ["pandoc converts Markdown of the same documents (made from ours: headings, lists, pipe tables) "
                  "to .docx. Ratio = our time / pandoc's time (below 1: we are faster).", "",
                  "| document | ours s | pandoc s | ratio |", "| --- | --: | --: | --: |"]
        for name in names:
            lines.append(f"| {name} | {per_doc[name].median:.3f} | {pandoc_doc[name].median:.3f} "
                         f"| {per_doc[name].median / pandoc_doc[name].median:.2f} |")
        lines.append(f"| all {len(names)} (ours: one process; pandoc: one process each) | {all_t.median:.3f} "
                     f"| {pandoc_all.median:.3f} | {all_t.median / pandoc_all.median:.2f} |")
        lines.append(f"| all {len(names)}, our cache empty | {cold_t.median:.3f} "
                     f"| {pandoc_all.median:.3f} | {cold_t.median / pandoc_all.median:.2f} |")
    else:
        lines.append("pandoc is not installed: not compared (run `make bench`, which installs it).")

    one = scale_t[1].median
    lines += ["", "## Scale", "", f"Synthetic sources made from `{base.relative_to(ROOT)}` by bench/synth.py "
              "(they pass `check`; the same reconciliation warnings as the original).", "",
              "| factor | size | median s | ratio to 1x | peak MB |", "| --: | --- | --: | --: | --: |"]
    for factor, t in scale_t.items():
        lines.append(f"| {factor}x | {sizes[factor]} | {t.median:.3f} | {t.median / one:.1f} | {t.peak:.0f} |")
    top, mid = max(SCALES), SCALES[1]
    big = scale_t[top].median
    # Linear growth: the extra cost per 1x of data stays the same from 10x to 100x as from 1x to 10x.
    step_low = (scale_t[mid].median - one) / (mid - 1)
    step_high = (big - scale_t[mid].median) / (top - mid)
    growth = step_high / step_low if step_low > 0 else float("inf")
    lines += ["", f"Cost per extra 1x of data: {step_low * 1000:.1f} ms between 1x and {mid}x, "
              f"{step_high * 1000:.1f} ms between {mid}x and {top}x (ratio {growth:.2f}; 1 = exactly linear, "
              "well above 1 = faster than linear)."]

    targets = [
        Target("`--help` under 0.15 s", help_t.median < 0.15, f"{help_t.median:.3f} s"),
        Target(f"all {len(names)} documents, real source, well under 1 s", all_t.median < 1.0,
               f"{all_t.median:.3f} s"),
        Target(f"all {len(names)} documents, real source, well under 1 s, our cache empty", cold_t.median < 1.0,
               f"{cold_t.median:.3f} s"),
        Target("`make all` with nothing changed under 0.1 s (make sees nothing to do)",
               make_t.median < 0.1 and nothing, f"{make_t.median:.3f} s; " + make_t.note),
        Target(f"{top}x the actions under 10 s", big < 10, f"{big:.2f} s"),
        Target("time grows no faster than linearly", growth <= 1.25 and big / one <= top,
               f"{top}x/1x = {big / one:.1f} (≤ {top}); marginal cost ratio {growth:.2f} (≤ 1.25)"),
        Target(f"peak memory under 300 MB at {top}x", scale_t[top].peak < 300, f"{scale_t[top].peak:.0f} MB"),
    ]
    if pandoc_all:
        ratio = all_t.median / pandoc_all.median
        cold_ratio = cold_t.median / pandoc_all.median
        targets[3:3] = [
            Target("all documents at most half of pandoc's time", ratio <= 0.5,
                   f"{all_t.median:.3f} s vs {pandoc_all.median:.3f} s = {ratio:.2f}"),
            Target("all documents at most half of pandoc's time, our cache empty", cold_ratio <= 0.5,
                   f"{cold_t.median:.3f} s vs {pandoc_all.median:.3f} s = {cold_ratio:.2f}"),
        ]
    else:
        targets.insert(3, Target("all documents at most half of pandoc's time", False, "pandoc not installed"))
    lines += ["", "## Targets", "", "| target | result | figure |", "| --- | --- | --- |", *[t.row() for t in targets]]
    return lines


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
