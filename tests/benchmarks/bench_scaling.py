"""Benchmark: how the registry grows, for the "Scaling" page (site/guides/scaling.md).

Run: .venv/bin/python tests/benchmarks/bench_scaling.py [COUNT ...] [--static]
For each count (default 1,000, 10,000 and 50,000 synthetic datasets) it prints one line: the time
and peak memory of a full `catalogue build` (site, DCAT, CKAN dumps and search index, feeds; run as
the command, so the figures are what a producer sees), the output's size, the memory of one
`catalogue serve` worker after it starts and after load, and requests per second under wrk (one
thread, 32 connections, 10 s) for package_show and for a cold package_search mix. With --static it
also times `catalogue build --static` (the static-host output, catalogue/serve/static.py).

The page's figures come from this script; it also prints the commit and the machine so the page can
say where they were measured. Making the synthetic registry is not timed.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


from tests.benchmarks.bench_api import _memory, _search_paths, _wrk
from tests.benchmarks.synthetic import ROOT, make_registry
from tests.conftest import ServerProcess

TEMPLATE = ROOT / "metadata" / "datasets" / "nrm-dtn-annual.yaml"


def _timed_build(metadata: Path, out: Path, *extra: str) -> tuple[float, int]:
    """Run `catalogue build` as a separate process; return (seconds, peak RSS in MB of any of its processes).

    Each build runs under a small wrapper process that reports its own RUSAGE_CHILDREN, so the peak of an
    earlier, larger build does not mask a later one (the maximum is over the build and its fork workers)."""
    probe = (
        "import resource, subprocess, sys, time; started = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    if "--no-site" in extra:  # `catalogue build` has no such option: the same load and steps, in a script
        command = [sys.executable, "-c", NO_SITE, str(metadata), str(out)]
    else:
        command = [sys.executable, "-m", "catalogue", "build", "--metadata", str(metadata), "--out", str(out), *extra]
    result = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr[-4000:]}")
    seconds, peak_kb = result.stdout.split()
    return float(seconds), int(peak_kb) // 1024


NO_SITE = """
import sys
from pathlib import Path
from catalogue.build import build, default_steps
from catalogue.records.loader import load_registry
steps = [(name, step) for name, step in default_steps() if name != "site"]
build(load_registry(Path(sys.argv[1])), Path(sys.argv[2]), steps=steps)
"""


def _commit() -> str:
    """The commit checked out now (the code a build started now runs; the tree may hold uncommitted work)."""
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return found.stdout.strip() or "unknown"


def _size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def _rss_mb(pid: int) -> int:
    return int(_memory(pid).split()[0]) // 1024


def measure(count: int, work: Path, static: bool, no_site: bool) -> None:
    metadata = make_registry(work / f"metadata-{count}", count)
    out = work / f"build-{count}"
    commit = _commit()  # before the build: the code it runs
    seconds, peak = _timed_build(metadata, out, *(["--no-site"] if no_site else []))
    line = [
        f"{count} datasets ({TEMPLATE.stat().st_size // 1024} KB template; commit {commit})",
        f"build{' without the site' if no_site else ''} {seconds:.0f} s (peak {peak} MB)",
        f"output {_size_mb(out):.0f} MB",
    ]
    with ServerProcess("--metadata", str(metadata), "--out", str(out), "--no-build", startup_seconds=900) as server:
        started = _rss_mb(server.proc.pid)
        show = [f"/api/3/action/package_show?id=synthetic-{i:05d}" for i in range(0, count, 7)]
        shows = _wrk(server.url, show, 32, 10, work)
        search = _wrk(server.url, _search_paths(count, 12_000), 32, 10, work)
        line += [
            f"serve RSS {started} MB after start, {_rss_mb(server.proc.pid)} MB after load",
            f"package_show {float(shows['rps']):.0f} req/s (p99 {shows['99%']}, non-2xx {shows['non-2xx']})",
            f"package_search cold {float(search['rps']):.0f} req/s (p99 {search['99%']}, non-2xx {search['non-2xx']})",
        ]
    shutil.rmtree(out)
    if static:
        static_out = work / f"static-{count}"
        seconds, peak = _timed_build(metadata, static_out, "--static")
        line.append(f"build --static {seconds:.0f} s (peak {peak} MB, {_size_mb(static_out):.0f} MB)")
        shutil.rmtree(static_out)
    shutil.rmtree(metadata)
    line.append(f"load average {os.getloadavg()[1]:.1f} over the last 5 min (the machine is shared)")
    print("; ".join(line), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("counts", nargs="*", type=int, default=[1_000, 10_000, 50_000])
    parser.add_argument("--static", action="store_true", help="also time `catalogue build --static`")
    parser.add_argument(
        "--no-site", action="store_true", help="build everything but the site (mkdocs, the longest step) to serve"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; commit {_commit()}; "
        f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.python_implementation()} {platform.python_version()}; "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix="bench-scaling-"))
    try:
        for count in args.counts:
            measure(count, work, args.static, args.no_site)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
