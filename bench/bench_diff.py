"""Time the reviewers' diff: the redline engine alone, and `diff` between two revisions as a cold process.

Run: `.venv/bin/python bench/bench_diff.py [runs]`. Uses the five-change fixture of the tests on the
real 2026 source. Prints every run and the median.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import GIT_ENV, repo_with_source, report, timed  # noqa: E402
from generator import pipeline  # noqa: E402
from generator.cache import NO_CACHE  # noqa: E402
from generator.review.diff import compare_sources  # noqa: E402
from generator.review.diff.redline import redline  # noqa: E402
from generator.review.gitrev import Version  # noqa: E402
from tests.diffcase import change_source  # noqa: E402


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        git = repo_with_source(repo)
        old = Path(tmp) / "old"
        shutil.copytree(repo / "source", old)
        change_source(repo / "source")
        subprocess.run([*git, "commit", "-q", "-am", "v2"], check=True, env=GIT_ENV)

        docs = []
        for source in (old, repo / "source"):
            validated, reports = pipeline.load_all(source, 2026)
            docs.append(pipeline.render_documents(validated, reports, ["agenda"], pipeline.TEMPLATES_DIR, False,
                                                      NO_CACHE))
        a, b = (d["uitvoeringsagenda-2026.docx"] for d in docs)
        redline(a, b)  # warm-up: the engine is unpacked once into the user's cache
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            redline(a, b)
            times.append(time.perf_counter() - start)
        report("redline of the agenda (Docxodus engine, one document)", times)

        start = time.perf_counter()
        compare_sources(Version("a", old, pipeline.TEMPLATES_DIR),
                             Version("b", repo / "source", pipeline.TEMPLATES_DIR), 2026)
        print(f"compare_sources in-process (validate, render and diff both, redline): "
              f"{time.perf_counter() - start:.3f} s")

        out = Path(tmp) / "out"
        command = [sys.executable, "-m", "generator", "diff", "HEAD~1", "HEAD", "--output", str(out)]
        times = timed(command, runs, repo, env=GIT_ENV, before=lambda: shutil.rmtree(out, ignore_errors=True),
                      warm_up=False)
        report("`python -m generator diff HEAD~1 HEAD` (cold process)", times)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
