"""Benchmark: how long `catalogue serve --watch` takes to show a producer's edit.

Run: .venv/bin/python tests/benchmarks/bench_preview.py [--count N] [--edits 5]
It copies the shipped registry (or, with --count, makes a synthetic one of N datasets; synthetic.py),
then, in this process as the preview does (catalogue/serve/preview.py), builds it once and rebuilds
after each of EDITS title changes to one record, printing each rebuild's wall time and their median.
The first build is not what a producer waits for after an edit; the rebuilds are. No stamps are
written: the preview gives a changed record a provisional one, as `serve --watch` does.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.synthetic import ROOT, make_registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, help="synthetic datasets instead of the shipped registry")
    parser.add_argument("--edits", type=int, default=5, help="title changes to time (default 5)")
    args = parser.parse_args()
    from catalogue.serve.preview import PreviewApp

    work = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    metadata = work / "metadata"
    if args.count:
        make_registry(metadata, args.count)
    else:
        shutil.copytree(ROOT / "metadata", metadata)
    record = sorted((metadata / "datasets").glob("*.yaml"))[0]
    count = len(list((metadata / "datasets").glob("*.yaml")))
    print(f"{count:,} datasets; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}", flush=True)

    app = PreviewApp(metadata, work / "out", [metadata])
    try:
        started = time.perf_counter()
        app.rebuild()
        print(f"first build     {time.perf_counter() - started:7.2f} s", flush=True)
        times = []
        for edit in range(1, args.edits + 1):
            text = record.read_text("utf-8")
            record.write_text(re.sub(r"(?m)^title: .*$", f"title: Edited title {edit}", text, count=1), "utf-8")
            started = time.perf_counter()
            app.rebuild()
            times.append(time.perf_counter() - started)
            if app.error:
                raise SystemExit(f"the rebuild failed: {app.error}")
            print(f"edit {edit}          {times[-1]:7.2f} s  ({record.stem})", flush=True)
        print(f"median rebuild  {statistics.median(times):7.2f} s after an edit; files in {work}")
    finally:
        app.close()


if __name__ == "__main__":
    main()
