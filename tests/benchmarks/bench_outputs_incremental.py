"""Benchmark: each non-site build step, from nothing and after one record changes (reusing the previous build).

Run: .venv/bin/python tests/benchmarks/bench_outputs_incremental.py [--count 10000] [--registry DIR]
It makes a synthetic registry of COUNT datasets (synthetic.py; not timed), loads it (not timed), runs the
build's steps other than the site into a new folder ("full"), gives one record a new title and stamps it,
loads again and runs the same steps into a second folder with the first as the previous build ("one
record"), as `catalogue build` does. The site step is another engineer's (bench_site.py, bench_incremental.py).
The record's quality scores are computed by whichever step asks first: "metadata quality" here (in a
real build, the site step).
Single runs on whatever else the machine is doing: it prints the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.synthetic import change_one, make_registry


def _steps(registry: object, out: Path, previous: Path | None) -> dict[str, float]:
    from catalogue.build import MARKER_TEXT, default_steps
    from catalogue.layout import BuildLayout

    out.mkdir()
    BuildLayout(out).marker.write_text(MARKER_TEXT, encoding="utf-8")
    timings = {}
    for name, step in default_steps(previous=previous):
        if name == "site":
            continue
        started = time.perf_counter()
        step(registry, out)  # type: ignore[arg-type]
        timings[name] = time.perf_counter() - started
    return timings


def _compare(got: Path, expected: Path) -> list[str]:
    """The files that differ between two builds (the search index's, whose segment names are random, left out)."""
    names = {
        str(path.relative_to(folder))
        for folder in (got, expected)
        for path in folder.rglob("*")
        if path.is_file() and "index" not in path.relative_to(folder).parts[:2]
    }
    return sorted(
        name
        for name in names
        if not (got / name).is_file()
        or not (expected / name).is_file()
        or (got / name).read_bytes() != (expected / name).read_bytes()
    )


def main() -> None:
    from catalogue.records.loader import load_registry

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="synthetic datasets (default 10,000)")
    parser.add_argument("--registry", type=Path, help="a synthetic registry made before (it is changed)")
    parser.add_argument("--check", action="store_true", help="also build from nothing and compare every file")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-outputs-"))
    metadata = args.registry or make_registry(work / "metadata", args.count)
    cache = work / "records.pickle"
    datasets = len(list((metadata / "datasets").glob("*.yaml")))
    print(f"{datasets:,} datasets; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}", flush=True)
    full = _steps(load_registry(metadata, cache=cache), work / "full", None)
    changed = change_one(metadata)
    again = _steps(load_registry(metadata, cache=cache), work / "again", work / "full")
    print(f"{'step':<36} {'full':>8} {'one record':>11}   ({changed} changed)")
    for name in full:
        print(f"{name:<36} {full[name]:7.2f}s {again[name]:10.2f}s")
    print(f"{'total':<36} {sum(full.values()):7.2f}s {sum(again.values()):10.2f}s")
    if args.check:
        _steps(load_registry(metadata, cache=cache), work / "check", None)
        different = _compare(work / "again", work / "check")
        print(f"compared with a build from nothing: {different or 'every file the same'}")
    print(f"load average now {os.getloadavg()[0]:.1f}; files in {work}")


if __name__ == "__main__":
    main()
