"""Benchmark: build time and output size of the site for synthetic registries of 1,000 and 10,000 datasets.

Run: .venv/bin/python tests/benchmarks/bench_site.py [COUNT ...] [--registry DIR]
Prints the seconds mkdocs-material takes for the whole site (every generated page) and the size of
what it writes. Dataset pages are kept out of the navigation (DESIGN.md: otherwise every page embeds
every other and the build grows with the square of the page count).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from catalogue.records.loader import load_registry
from catalogue.site.build import SiteBuild, write_site
from tests.benchmarks.synthetic import make_registry
from tests.conftest import METADATA


def measure(metadata: Path, label: str) -> None:
    registry = load_registry(metadata, check_stamps=False)
    out = Path(tempfile.mkdtemp(prefix="bench-site-")) / "site"
    out.mkdir()
    started = time.perf_counter()
    write_site(SiteBuild(registry), out)
    seconds = time.perf_counter() - started
    size = sum(path.stat().st_size for path in out.rglob("*") if path.is_file())
    pages = sum(1 for _ in out.rglob("index.html"))
    print(f"{label}: {len(registry.datasets)} datasets, {pages} pages, {seconds:.1f} s, {size / 1e6:.1f} MB")
    shutil.rmtree(out.parent)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("counts", nargs="*", type=int, default=[1_000, 10_000])
    parser.add_argument(
        "--registry",
        type=Path,
        action="append",
        default=[],
        help="reuse synthetic registries made earlier (one per count)",
    )
    args = parser.parse_args()
    measure(METADATA, "shipped records")
    for i, count in enumerate(args.counts):
        if i < len(args.registry):
            metadata = args.registry[i]
        else:
            metadata = make_registry(Path(tempfile.mkdtemp(prefix="bench-site-reg-")) / "metadata", count)
        measure(metadata, f"synthetic {count}")


if __name__ == "__main__":
    main()
