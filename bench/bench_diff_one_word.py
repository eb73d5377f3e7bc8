"""Time `make diff` for a one-word change in the real source: HEAD against the working tree.

Run: `.venv/bin/python bench/bench_diff_one_word.py [runs]`. Each run is a cold process
(`python -m generator diff`) in a fresh git repository holding the real 2026 source, with one word
of one action changed in the working tree (a different word each run, so only HEAD's documents can
be reused from an earlier `make diff`), then the same command again with nothing new. Prints every
run and the median. The machine's load makes the figures noisy; compare medians.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import GIT_ENV, repo_with_source, report, timed  # noqa: E402


def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        repo_with_source(repo)
        spoor1 = repo / "source" / "2026" / "hoofdstukken" / "spoor-1.yaml"
        original = spoor1.read_text(encoding="utf-8")
        out = Path(tmp) / "out"
        command = [sys.executable, "-m", "generator", "diff", "--output", str(out)]
        # Once before, as a reviewer has: HEAD gets rendered (and kept); nothing changed yet.
        report("`make diff` with nothing changed, caches empty", timed(command, 1, repo, env=GIT_ENV, warm_up=False))
        words = ["nauwere", "hechtere", "sterkere", "bredere", "snellere", "duidelijkere", "vastere", "ruimere"]
        new_word, reused = [], []
        for i in range(runs):
            # A different word each run: the working tree and its redlines are new, HEAD is reused.
            spoor1.write_text(original.replace("een betere samenwerking", f"een {words[i % len(words)]}{i} "
                                               "samenwerking"), encoding="utf-8")
            new_word += timed(command, 1, repo, env=GIT_ENV, warm_up=False)
            reused += timed(command, 1, repo, env=GIT_ENV, warm_up=False)  # the same again: everything reused
        report("`make diff`, one word changed (new each run)", new_word)
        report("`make diff` again, same change (everything reused)", reused)

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
