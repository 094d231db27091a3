"""Benchmark: the CKAN Action API on a synthetic registry, loaded by wrk (Debian's package) on 127.0.0.1.

Run: .venv/bin/python tests/benchmarks/bench_api.py [COUNT] [--registry DIR]
Prints, for package_search (a mix of q, fq and facet queries) and package_show: latency with one
connection (p50, p99), requests per second and latency with 32 connections, and the server's memory;
then requests per second at 1, 2 and 4 workers (`catalogue serve --workers N`; --workers to choose,
--scaling-only to measure only that).
"Hot" mixes repeat a few dozen requests (served from the response cache); "cold" mixes rotate through
more distinct requests than the cache holds, so nearly every request runs the search.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.synthetic import make_registry
from tests.conftest import ServerProcess

WORDS = [
    "referral",
    "victims",
    "exploitation",
    "statistics",
    "duty",
    "notify",
    "annual",
    "summary",
    "home",
    "office",
    "quarterly",
    "decisions",
    "children",
    "reasonable",
    "grounds",
    "national",
    "mechanism",
]
FACETS = '["organization","groups","tags","res_format"]'


def _search_paths(count: int, distinct: int) -> list[str]:
    paths = []
    for i in range(distinct):
        word = WORDS[i % len(WORDS)]
        kind = i % 4
        if kind == 0:
            params = {"q": word, "rows": 10, "start": (i // 4) % 50 * 10}
        elif kind == 1:
            params = {
                "q": f"{word} {WORDS[(i + 3) % len(WORDS)]}",
                "fq": "organization:home-office",
                "facet.field": FACETS,
                "rows": 10,
                "start": (i // 4) % 50,
            }
        elif kind == 2:
            params = {
                "fq": f"metadata_modified:[2024-06-{1 + i % 28:02d}T00:00:00Z TO *]",
                "sort": "id asc",
                "rows": 10,
                "start": (i // 4) % 200 * 10,
            }
        else:
            params = {"q": f'title:"synthetic copy {i % count}"', "facet.field": FACETS, "rows": 5}
        paths.append("/api/3/action/package_search?" + urlencode(params))
    return paths


def _wrk(url: str, paths: list[str], connections: int, seconds: int, work: Path) -> dict[str, str]:
    script = work / "paths.lua"
    lua_paths = ",\n".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    script.write_text(
        "local paths = {\n" + lua_paths + "\n}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )
    result = subprocess.run(
        [
            "wrk",
            "-t1",  # one wrk thread: the other core is the server's
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    figures = {"rps": re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)}  # type: ignore[union-attr]
    for pct in ("50%", "99%"):
        figures[pct] = re.search(rf"{pct}\s+([\d.]+\w+)", out).group(1)  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non-2xx"] = errors.group(1) if errors else "0"
    return figures


def _memory(pid: int) -> str:
    status = Path(f"/proc/{pid}/status").read_text()
    return re.search(r"VmRSS:\s+(\d+ kB)", status).group(1)  # type: ignore[union-attr]


def _tree_memory(pid: int) -> int:
    """RSS in MB of a process and its children (the workers of `serve --workers`)."""
    total = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            total += int(_memory(current).split()[0])
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            continue
    return total // 1024


def _scaling(metadata: Path, build: Path, count: int, workers: list[int], work: Path) -> None:
    """Requests per second with 32 connections at each number of workers (same build, same mixes)."""
    show = [f"/api/3/action/package_show?id=synthetic-{i:05d}" for i in range(0, count, 7)]
    mixes = [("package_show", show), ("package_search cold", _search_paths(count, 12_000))]
    for number in workers:
        with ServerProcess(
            "--metadata",
            str(metadata),
            "--out",
            str(build),
            "--no-build",
            "--workers",
            str(number),
            startup_seconds=600,
        ) as server:
            time.sleep(2 if number > 1 else 0)  # every worker has opened the build
            figures = []
            for name, paths in mixes:
                many = _wrk(server.url, paths, 32, 10, work)
                figures.append(f"{name} {many['rps']} req/s (p99 {many['99%']}, non-2xx {many['non-2xx']})")
            print(f"{number} worker(s): {'; '.join(figures)}; memory {_tree_memory(server.proc.pid)} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", nargs="?", type=int, default=10_000)
    parser.add_argument("--registry", type=Path, help="reuse a synthetic registry made earlier")
    parser.add_argument(
        "--no-site",
        action="store_true",
        help="build everything but the site (the API does not need it, and the site takes longest)",
    )
    parser.add_argument("--workers", default="1,2,4", help="numbers of workers to measure, e.g. 1,2,4")
    parser.add_argument("--scaling-only", action="store_true", help="measure only requests/s by workers")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="bench-api-"))
    metadata = args.registry or make_registry(work / "metadata", args.count)
    started = time.perf_counter()
    if args.no_site:
        from catalogue.build import build, default_steps
        from catalogue.records.loader import load_registry

        steps = [(name, step) for name, step in default_steps() if name != "site"]
        build(
            load_registry(metadata),
            work / "build",
            steps=steps,
            progress=lambda name: print(f"  building {name} ({time.perf_counter() - started:.0f} s)"),
        )
        print(f"build without the site: {time.perf_counter() - started:.0f} s")
    else:
        subprocess.run(
            [sys.executable, "-m", "catalogue", "build", "--metadata", str(metadata), "--out", str(work / "build")],
            check=True,
        )
        print(f"full build (site, DCAT, CKAN, index): {time.perf_counter() - started:.0f} s")
    workers = [int(number) for number in args.workers.split(",")]
    if args.scaling_only:
        _scaling(metadata, work / "build", args.count, workers, work)
        shutil.rmtree(work)
        return
    with ServerProcess(
        "--metadata", str(metadata), "--out", str(work / "build"), "--no-build", startup_seconds=600
    ) as server:
        print(f"server memory after start: {_memory(server.proc.pid)}")
        show = [f"/api/3/action/package_show?id=synthetic-{i:05d}" for i in range(0, args.count, 7)]
        runs = [
            ("package_search hot (40 requests)", _search_paths(args.count, 40)),
            ("package_search cold (12,000 requests)", _search_paths(args.count, 12_000)),
            ("package_show", show),
            (
                "package_search harvester pages (rows=100, 100 requests)",
                [
                    "/api/3/action/package_search?" + urlencode({"rows": 100, "start": i * 100, "sort": "id asc"})
                    for i in range(100)
                ],
            ),
        ]
        for name, paths in runs:
            one = _wrk(server.url, paths, 1, 5, work)
            many = _wrk(server.url, paths, 32, 10, work)
            print(
                f"{name}: 1 connection p50 {one['50%']} p99 {one['99%']} ({one['rps']} req/s); "
                f"32 connections {many['rps']} req/s, p50 {many['50%']} p99 {many['99%']}; "
                f"non-2xx {one['non-2xx']}/{many['non-2xx']}"
            )
        print(f"server memory after load: {_memory(server.proc.pid)}")
    _scaling(metadata, work / "build", args.count, workers, work)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
