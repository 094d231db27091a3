"""Benchmark: a full build, loading and validating the records, and the rebuild after one record changes.

Run: .venv/bin/python tests/benchmarks/bench_incremental.py [--count 10000] [--mixed] [--load-only] [--registry DIR]
It makes a synthetic registry of COUNT datasets (synthetic.py; not timed; copies of nrm-dtn-annual, 31 KB,
or with --mixed of every shipped record in turn, 11 KB on average; --registry reuses one made before,
which is then changed), then prints:
  load+validate   load_registry from the YAML, no cache (in this process), with the CPU seconds it and
                  its worker processes used (wall time alone says little on a shared machine)
  cached load     the same with the record cache of the load before (records/cached.py), and the
                  cache file's size
With --load-only it stops there; otherwise:
  full build      `catalogue build` into a new folder (the command, as a producer runs it), with the
                  peak RSS of any of its processes
  one record      after one record's title changes (and `catalogue stamp`), `catalogue build` again
                  into the same folder: the incremental rebuild, with its peak RSS
Single runs on whatever else the machine is doing: say how loaded it was when quoting them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.synthetic import ROOT, change_one, make_registry

# runs the command in a child and reports the child's wall time and its peak RSS (and its workers')
_PROBE = (
    "import resource, subprocess, sys, time; started = time.perf_counter(); "
    "code = subprocess.run(sys.argv[1:]).returncode; "
    "print(f'{time.perf_counter() - started:.2f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}'); "
    "sys.exit(code)"
)


def _timed_build(metadata: Path, out: Path) -> tuple[float, int]:
    command = [sys.executable, "-m", "catalogue", "build", "--metadata", str(metadata), "--out", str(out)]
    done = subprocess.run([sys.executable, "-c", _PROBE, *command], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"catalogue build failed:\n{done.stderr[-3000:]}")
    seconds, peak = done.stdout.split()[-2:]
    return float(seconds), int(peak)


def _timed_load(metadata: Path, cache: Path | None) -> str:
    from catalogue.records.loader import load_registry

    before, started = os.times(), time.perf_counter()
    load_registry(metadata, cache=cache)
    wall, after = time.perf_counter() - started, os.times()
    own = after.user + after.system - before.user - before.system
    workers = after.children_user + after.children_system - before.children_user - before.children_system
    return f"{wall:7.2f} s  (CPU {own:.2f} s here + {workers:.2f} s in workers; load average {os.getloadavg()[0]:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="synthetic datasets (default 10,000)")
    parser.add_argument("--registry", type=Path, help="a synthetic registry made before (it is changed)")
    parser.add_argument("--mixed", action="store_true", help="copy every shipped record in turn, not one")
    parser.add_argument("--load-only", action="store_true", help="time the loads only, not the builds")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    metadata = args.registry or make_registry(work / "metadata", args.count, mixed=args.mixed)
    files = list((metadata / "datasets").glob("*.yaml"))
    size = sum(path.stat().st_size for path in files) / max(len(files), 1) / 1024
    print(f"{len(files):,} datasets of {size:.1f} KB on average; {os.cpu_count()} cores", flush=True)

    print(f"load+validate   {_timed_load(metadata, None)}", flush=True)
    cache = work / "records.pickle"
    _timed_load(metadata, cache)  # writes the cache
    size = sum(path.stat().st_size for path in work.glob("records.pickle.*")) / 2**20
    print(f"cached load     {_timed_load(metadata, cache)}; cache {size:.0f} MB", flush=True)
    if args.load_only:
        print(f"files in {work}")
        return

    out = work / "out"
    seconds, peak = _timed_build(metadata, out)
    print(f"full build      {seconds:7.2f} s  peak {peak:,} MB", flush=True)
    changed = change_one(metadata)
    seconds, peak = _timed_build(metadata, out)
    print(f"one record      {seconds:7.2f} s  peak {peak:,} MB  ({changed} changed)", flush=True)
    print(f"load average now {os.getloadavg()[0]:.1f}; files in {work}")


if __name__ == "__main__":
    main()
