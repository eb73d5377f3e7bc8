"""What each kind of entry in the one cache (generator/cache.py) saves, on the real source.

    .venv/bin/python -m bench.bench_cache [--runs N]

`build` of all three documents, each run a new process writing to a new folder, with the cache
warm (after one build) but one kind of entry removed before every run, beside the whole cache
warm and an empty cache. The difference to "all kinds warm" is what that kind saves. Runs of the
variants alternate, so all see the same load; medians of wall-clock seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.timing import user_env

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = {"every kind warm": (), "without documents": ("documents",),
            "without documents, templates": ("documents", "templates"),
            "without documents, charts": ("documents", "charts"),
            "empty cache": ("documents", "templates", "charts")}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="riec-bench-cache-") as name:
        tmp = Path(name)
        warm = tmp / "warm"
        env = user_env()

        def build(cache: Path, out: Path) -> float:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "generator", "build", "--source", str(ROOT / "source"),
                            "--output", str(out)], cwd=ROOT, env={**env, "XDG_CACHE_HOME": str(cache)},
                           check=True, capture_output=True)
            return time.perf_counter() - start

        build(warm, tmp / "out-warm")
        for i in range(args.runs):
            for variant, removed in VARIANTS.items():
                cache = tmp / f"cache-{i}-{len(removed)}-{'-'.join(removed)}"
                shutil.copytree(warm, cache)
                shutil.rmtree(cache / "riec-documenten" / "made", ignore_errors=True)
                for kind in removed:
                    shutil.rmtree(cache / "riec-documenten" / kind, ignore_errors=True)
                times[variant].append(build(cache, tmp / f"out-{i}-{variant.replace(' ', '_')}"))
    base = statistics.median(times["every kind warm"])
    for variant, runs in times.items():
        median = statistics.median(runs)
        print(f"{variant}: median {median:.3f} s (+{median - base:.3f} s), runs "
              + ", ".join(f"{t:.2f}" for t in runs))
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
