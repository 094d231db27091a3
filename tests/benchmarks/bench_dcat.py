"""Benchmark: DCAT build time for a synthetic registry, and the time to serve one catalogue page.

Run: .venv/bin/python tests/benchmarks/bench_dcat.py [COUNT] [--richest] [--registry DIR] [--out-dir DIR]
(default 10,000 datasets, copies of every shipped record in turn, so they look like ours: about 190
triples a dataset; --richest copies only nrm-dtn-annual, one of the richest records, 275 triples;
--registry reuses a synthetic registry made earlier; --out-dir builds under DIR, e.g. /dev/shm
to leave the disk out of the figure)
Prints the seconds and CPU seconds of the DCAT build (the three catalogue files and every
dataset's three files), and the latency of catalogue pages from a real server under wrk
(Debian's package) on 127.0.0.1.

On an ext4 file system without a journal (this VM's), creating files soon after many were
deleted is slow: for a few minutes the kernel skips recently deleted inodes one by one
(`recently_deleted` in fs/ext4/ialloc.c). A run straight after another run's clean-up shows it as
seconds of kernel time; wait a few minutes, or build on a fresh folder, for a steady figure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from catalogue.build import build, default_steps
from catalogue.dcat import files as dcat_files
from catalogue.records.loader import load_registry
from catalogue.records.registry import Registry
from tests.benchmarks.synthetic import make_registry
from tests.conftest import ServerProcess


def main(count: int, registry_dir: Path | None, out_dir: Path | None, mixed: bool = True) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-dcat-", dir=out_dir))
    started = time.perf_counter()
    if registry_dir is None:
        metadata = make_registry(work / "metadata", count, mixed=mixed)
        print(f"synthetic registry of {count} datasets written in {time.perf_counter() - started:.1f} s")
    else:
        metadata = registry_dir
    started = time.perf_counter()
    registry = load_registry(metadata)
    print(f"load and validate: {time.perf_counter() - started:.1f} s")
    timings: dict[str, float] = {}
    out = work / "build"
    cpu: list[os.times_result] = []

    def write_dcat(registry: Registry, folder: Path) -> None:
        cpu.append(os.times())
        dcat_files.write_dcat(registry, folder, timings=timings)
        cpu.append(os.times())

    # everything but the site (not needed to serve the feeds, and measured by bench_site.py)
    steps = [(name, write_dcat if name == "DCAT feeds" else step) for name, step in default_steps() if name != "site"]
    build(registry, out, steps=steps)
    before, after = cpu
    triples = int(timings.pop("triples"))
    for name, seconds in timings.items():
        print(f"  {name}: {seconds:.2f} s")
    print(
        f"DCAT build total: {sum(timings.values()):.2f} s for {triples:,} dataset triples "
        f"({triples / count:.0f} a dataset)"
    )
    print(
        f"  CPU: {after.user - before.user + after.children_user - before.children_user:.1f} s user, "
        f"{after.system - before.system + after.children_system - before.children_system:.1f} s kernel "
        f"(on {os.cpu_count()} cores)"
    )
    print(f"catalog.ttl {(out / 'catalog.ttl').stat().st_size / 1e6:.1f} MB")

    from catalogue.dcat.pages import DcatCatalogue, PageRequest

    pages = DcatCatalogue(out)
    for ext in ("ttl", "jsonld", "rdf"):
        started = time.perf_counter()
        for page in range(1, 11):
            pages._render(PageRequest(ext, page, "2024-06-10", "http://127.0.0.1/catalog." + ext))
        print(
            f"uncached catalogue page ({ext}, 100 datasets, filtered): "
            f"{(time.perf_counter() - started) / 10 * 1000:.1f} ms"
        )

    if shutil.which("wrk") is None:
        print("wrk not installed (apt-get install wrk); skipping the serving benchmark")
        return
    with ServerProcess("--metadata", str(metadata), "--out", str(out), "--no-build") as server:
        for path in ["/catalog.ttl?page=2", "/catalog.jsonld?page=3", "/dataset/synthetic-00042.ttl"]:
            url = server.url + path
            subprocess.run(["curl", "-s", "-o", "/dev/null", url], check=False)  # first request fills the cache
            result = subprocess.run(["wrk", "-t1", "-c1", "-d5s", "--latency", url], capture_output=True, text=True)
            lines = [
                line.strip()
                for line in result.stdout.splitlines()
                if line.strip().startswith(("Latency", "50%", "99%", "Requests/sec"))
            ]
            print(f"{path}: " + " | ".join(lines))
    shutil.rmtree(work)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("--registry", type=Path, help="reuse a synthetic registry made earlier")
    parser.add_argument("--out-dir", type=Path, help="build under this folder (default: the system temp folder)")
    parser.add_argument(
        "--richest",
        action="store_true",
        help="copies of nrm-dtn-annual only (one of the richest records), not of every shipped record",
    )
    args = parser.parse_args()
    main(args.count, args.registry, args.out_dir, mixed=not args.richest)
