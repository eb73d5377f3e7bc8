"""The per-document work after the imports, stage by stage: where a cold build's rendering time goes.

    python -m bench.bench_render                 # the real source
    python -m bench.bench_render --scale 10      # a synthetic source with 10x the actions (bench/synth.py)

Each stage is timed in CPU seconds of this process (less disturbed by other work on the machine
than wall-clock time), the least of `--runs` rounds; the imports, loading the source and the first
round (which fills the cache of compiled templates and charts, a cache of this run's own) are
not counted. Rendered documents are not taken from it: every round renders. The peak memory is
the process's. The accessibility check runs as the pipeline runs it: on each document in memory,
before it is saved (before issue 22: on the saved .docx, opened again). Python's garbage collector
runs with the thresholds every command of the generator sets (`cli.GC_THRESHOLDS`), as users run it.
"""

from __future__ import annotations

import argparse
import functools
import gc
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.synth import scale_source
from generator import cli, pipeline
from generator.cache import Cache
from generator.errors import Problems
from generator.publish import accessibility
from generator.render import documents, template

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2026
# (module, function name, label): each is timed where the pipeline looks it up (if it has it).
STAGES = [
    (documents, "mark_context", "field marks in the context"),
    (template.Template, "render", "docxtpl: Jinja and the body's XML"),
    (template, "check_text_kept", "every printed text kept"),
    (template, "fit_tables", "column widths"),
    (template, "bookmark_xml", "bookmarks (part of docxtpl's line above)"),
    (documents, "bookmark_document", "bookmarks"),
    (documents, "add_bookmarks", "bookmarks"),  # before the render-speed branch: on the saved .docx
    (template.Template, "save", "python-docx: save"),
    (documents, "normalise_docx", "zip normalised"),
    (accessibility, "check_document", "accessibility check (in memory)"),
]


def _timed(spent: dict[str, float], label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - start
    return timed


def one_round(source: Path, store: Cache) -> dict[str, float]:
    """CPU seconds per stage for rendering and checking every document once."""
    spent: dict[str, float] = {}
    present = [(owner, name, label) for owner, name, label in STAGES if hasattr(owner, name)]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in present]
    for (owner, name, label), (_, _, function) in zip(present, originals, strict=True):
        setattr(owner, name, _timed(spent, label, function))
    try:
        validated, reports = pipeline.load_all(source, YEAR)
        start = time.process_time()
        kinds, fictitious = list(pipeline.DOCUMENTS), documents.is_fictitious(source)
        # Rendered documents are not kept: a store with the compiled templates and charts only.
        shutil.rmtree(Path(store.folder or ".") / "documents", ignore_errors=True)
        documents.render_checked(validated, reports, kinds, pipeline.TEMPLATES_DIR, fictitious, Problems(),
                                 store, inspect=accessibility.check_document)
        spent["all of the above, and the rest"] = time.process_time() - start
    finally:
        for owner, name, function in originals:
            setattr(owner, name, function)
    return spent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT / "source")
    parser.add_argument("--scale", type=int, default=1, help="synthetic source with N times the actions")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    gc.set_threshold(*cli.GC_THRESHOLDS)
    with tempfile.TemporaryDirectory() as tmp:
        store = Cache(Path(tmp) / "cache")
        source = args.source
        if args.scale > 1:
            base = ROOT / "examples" / "source"
            source = Path(tmp) / f"x{args.scale}"
            scaled = scale_source(base, source, YEAR, args.scale)
            print(f"{args.scale}x synthetic source: {scaled.actions} actions, {scaled.budget_lines} budget lines")
        one_round(source, store)  # warm-up: fills the cache, as any run after the first finds it
        best: dict[str, float] = {}
        for _ in range(args.runs):
            for label, seconds in one_round(source, store).items():
                best[label] = min(best.get(label, seconds), seconds)
    print(f"CPU seconds, least of {args.runs} rounds, all three documents ({source}):")
    for label, seconds in best.items():
        print(f"  {label:40s} {seconds:7.3f}")
    print(f"peak memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
