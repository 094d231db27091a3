"""Soak: a real `catalogue serve` on a synthetic registry under a mixed load for minutes, memory sampled.

Run: .venv/bin/python tests/benchmarks/soak.py [--count 1000] [--minutes 5] [--registry DIR]
wrk (Debian's package) sends, on 127.0.0.1 only, a rotation through many distinct requests: API
package_search (words, filters, facets, pages) and package_show, DCAT catalogue pages with varied
`modified_since` and page numbers, dataset DCAT files, and site pages. The rotation is far longer than
the response caches hold, so the caches fill and evict the whole time. The server's RSS is sampled
every few seconds; the script prints start, peak and end RSS and requests per second. Memory should
stay flat: it should level off once the byte-bounded caches are full, not grow with the run.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench_api import WORDS, _memory
from tests.benchmarks.synthetic import make_registry
from tests.conftest import ServerProcess

SAMPLE_SECONDS = 5
CONNECTIONS = 16


def _paths(count: int, rng: random.Random) -> list[str]:
    """A shuffled rotation of about 20,000 distinct GET requests across the API, the DCAT feeds and the site."""
    paths: list[str] = []
    for _ in range(8_000):
        params = {"q": " ".join(rng.sample(WORDS, rng.randint(1, 3))), "rows": rng.choice([10, 20, 100])}
        if rng.random() < 0.5:
            params["fq"] = rng.choice(["organization:home-office", "groups:nrm-and-duty-to-notify", "res_format:CSV"])
        if rng.random() < 0.3:
            params["facet.field"] = '["organization","groups","tags"]'
        params["start"] = rng.choice([0, 10, 50])
        paths.append("/api/3/action/package_search?" + urlencode(params))
    for _ in range(3_000):
        paths.append(f"/api/3/action/package_show?id=synthetic-{rng.randrange(count):05d}")
    for _ in range(6_000):
        day = f"2024-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
        since = day if rng.random() < 0.5 else f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
        extension = rng.choice(["ttl", "jsonld", "rdf"])
        paths.append(f"/catalog.{extension}?" + urlencode({"modified_since": since, "page": rng.randint(1, 3)}))
    for _ in range(1_000):
        paths.append(f"/dataset/synthetic-{rng.randrange(count):05d}.{rng.choice(['ttl', 'jsonld', 'rdf'])}")
    for _ in range(2_000):
        page = rng.choice(["/", "/finder/", "/guides/harvesters/", f"/dataset/synthetic-{rng.randrange(count):05d}/"])
        paths.append(page)
    rng.shuffle(paths)
    return paths


def _wrk(url: str, paths: list[str], seconds: int, work: Path) -> str:
    script = work / "soak.lua"
    lua_paths = ",\n".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    script.write_text(
        "local paths = {\n" + lua_paths + "\n}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), url]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _kb(text: str) -> int:
    return int(text.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000, help="synthetic datasets (default 1,000)")
    parser.add_argument("--minutes", type=float, default=5.0, help="how long the load runs (default 5)")
    parser.add_argument("--registry", type=Path, help="reuse a synthetic registry made earlier")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="soak-"))
    try:
        metadata = args.registry or make_registry(work / "metadata", args.count, mixed=True)
        seconds = max(1, round(args.minutes * 60))
        with ServerProcess("--metadata", str(metadata), "--out", str(work / "build"), startup_seconds=900) as server:
            pid = server.proc.pid
            samples = [(0.0, _kb(_memory(pid)))]
            result: dict[str, str] = {}
            load = threading.Thread(
                target=lambda: result.update(out=_wrk(server.url, _paths(args.count, random.Random(14)), seconds, work))
            )
            started = time.monotonic()
            load.start()
            while load.is_alive():
                load.join(SAMPLE_SECONDS)
                samples.append((time.monotonic() - started, _kb(_memory(pid))))
                print(f"  {samples[-1][0]:6.0f} s  RSS {samples[-1][1] / 1024:7.1f} MB", flush=True)
        out = result.get("out", "")
        rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
        total = re.search(r"(\d+) requests in", out)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        socket_errors = re.search(r"Socket errors: (.*)", out)
        rss = [kb for _, kb in samples]
        half = rss[len(rss) // 2 :]
        print(f"soak: {args.count} datasets, {seconds} s, {CONNECTIONS} connections")
        print(f"requests: {total.group(1) if total else '?'}, {rps.group(1) if rps else '?'} requests/s")
        failed = socket_errors.group(1) if socket_errors else "none"
        print(f"non-2xx/3xx: {errors.group(1) if errors else 0}; socket errors: {failed}")
        print(
            f"RSS: start {rss[0] / 1024:.1f} MB, peak {max(rss) / 1024:.1f} MB, end {rss[-1] / 1024:.1f} MB; "
            f"second half of the run {min(half) / 1024:.1f}-{max(half) / 1024:.1f} MB"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
