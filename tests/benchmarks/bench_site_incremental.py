"""Benchmark: the site step alone, a full build and the rebuild after one record changes, with a profile.

Run: .venv/bin/python tests/benchmarks/bench_site_incremental.py [--count 1000] [--registry DIR] [--profile N]
It makes a synthetic registry of COUNT datasets (synthetic.py; not timed; --registry reuses one made
before, which is then changed), then, in this process (so cProfile sees it):
  full site       write_site into a new folder, no previous build
  one record      after one record's title changes (and its stamp), write_site again with the first
                  build as the previous one: the incremental site step
and, with --profile N, the N functions of the one-record step with the most cumulative time, so the
split between mkdocs' own work (Markdown, the search plugin, the sitemap, writing) and ours shows.
bench_incremental.py times the whole `catalogue build`; this one says where the site step spends it.
Single runs on whatever else the machine is doing: say how loaded it was when quoting them.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from catalogue.records.loader import load_registry
from catalogue.site.build import SiteBuild, write_site
from tests.benchmarks.synthetic import change_one, make_registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000, help="synthetic datasets (default 1,000)")
    parser.add_argument("--registry", type=Path, help="a synthetic registry made before (it is changed)")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions of the rebuild")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-site-incremental-"))
    metadata = args.registry or make_registry(work / "metadata", args.count)
    registry = load_registry(metadata, check_stamps=False)
    print(f"{len(registry.datasets):,} datasets; load average {os.getloadavg()[0]:.1f}", flush=True)

    first = work / "first"
    started = time.perf_counter()
    write_site(SiteBuild(registry), first)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"full site       {time.perf_counter() - started:7.2f} s  peak RSS so far {peak:,} MB", flush=True)

    changed = change_one(metadata)
    registry = load_registry(metadata, check_stamps=False)
    second = work / "second"
    profile = cProfile.Profile()  # only with --profile: it slows the step down about twice
    started = time.perf_counter()
    if args.profile:
        profile.enable()
    write_site(SiteBuild(registry, previous=first), second)
    profile.disable()
    seconds = time.perf_counter() - started
    pages = list((second / "dataset").glob("*/index.html"))
    reused = sum(1 for page in pages if page.stat().st_nlink > 1)  # hard-linked from the first build
    print(f"one record      {seconds:7.2f} s  ({changed} changed; {reused:,} of {len(pages):,} dataset pages reused)")
    if args.profile:
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(args.profile)
    print(f"load average now {os.getloadavg()[0]:.1f}; files in {work}")


if __name__ == "__main__":
    main()
