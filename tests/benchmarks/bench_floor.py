"""Benchmark: the least time and memory any build of a registry could take on this machine.

Run: .venv/bin/python tests/benchmarks/bench_floor.py [--count 10000] [--registry DIR --build DIR]
It makes a synthetic registry of COUNT datasets and builds it (not timed; or reuses --registry and
--build, a full build of that registry, both then changed), then prints lower bounds that no code
of ours can beat, beside what #21 asked at 10,000 records:
  registry in memory  how much a process grows loading and validating every record (a build holds the
                      validated registry: the one-way flow, records -> loader -> model -> outputs)
  YAML alone          CPU per record of composing the YAML with libyaml (the fastest reader PyYAML has;
                      see yamlnodes.py), times the records, over the cores: a cold load cannot be shorter
  disk                sequential write rate of the build's file system (1 GiB, fsync'd)
  full build          the bytes a full build publishes (not its private dotfiles), over that rate
  one record          after one record's title changes (synthetic.change_one) and a rebuild: the bytes of
                      the files whose content changed (compared with a hard-linked copy of the build before),
                      over that rate - a rebuild that writes the same bytes as a full build writes at least
                      these; and which files they are
Single runs: say how loaded the machine was when quoting them.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.synthetic import ROOT, change_one, make_registry

_MB = 2**20


def _build(metadata: Path, out: Path) -> None:
    command = [sys.executable, "-m", "catalogue", "build", "--metadata", str(metadata), "--out", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"catalogue build failed:\n{done.stderr[-3000:]}")


def _registry_memory(metadata: Path) -> float:
    """MB a fresh process grows by loading the registry (in a child, so this one stays small)."""
    probe = (
        "import resource, sys; from catalogue.records.loader import load_registry; "
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss; load_registry(sys.argv[1]); "
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)"
    )
    # the peak of this process alone: workers, if the load starts them, are not counted
    done = subprocess.run([sys.executable, "-c", probe, str(metadata)], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"loading failed:\n{done.stderr[-3000:]}")
    return float(done.stdout.split()[-1])


def _yaml_seconds_per_record(metadata: Path, sample: int = 300) -> float:
    """CPU seconds libyaml takes to compose one record, on average over a sample of the records."""
    from catalogue.records.yamlnodes import compose

    paths = sorted((metadata / "datasets").glob("*.yaml"))[:sample]
    texts = [path.read_bytes() for path in paths]
    started = time.process_time()
    for text in texts:
        compose(text)
    return (time.process_time() - started) / max(len(texts), 1)


def _write_rate(folder: Path) -> float:
    """MB/s of writing 1 GiB to a file in `folder` and syncing it."""
    block = os.urandom(_MB)
    path = folder / ".bench-floor-write"
    started = time.perf_counter()
    with open(path, "wb") as file:
        for _ in range(1024):
            file.write(block)
        file.flush()
        os.fsync(file.fileno())
    seconds = time.perf_counter() - started
    path.unlink()
    return 1024 / seconds


def _outputs(root: Path) -> list[Path]:
    """The files a build publishes: not its private dotfiles (manifests and parts kept for the next
    build), which a build that reused nothing would not need."""
    return [
        path
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink() and not path.relative_to(root).parts[0].startswith(".")
    ]


def _tree_bytes(root: Path) -> int:
    return sum(path.stat().st_size for path in _outputs(root))


def _changed_files(before: Path, after: Path) -> list[tuple[int, str]]:
    """(size, path) of each output in `after` that is new or whose bytes differ from `before`'s."""
    changed = []
    for path in _outputs(after):
        relative = path.relative_to(after)
        old = before / relative
        same_inode = old.exists() and old.stat().st_ino == path.stat().st_ino
        if same_inode or (old.is_file() and filecmp.cmp(old, path, shallow=False)):
            continue
        changed.append((path.stat().st_size, str(relative)))
    return sorted(changed, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="synthetic datasets (default 10,000)")
    parser.add_argument("--registry", type=Path, help="a synthetic registry made before (it is changed)")
    parser.add_argument("--build", type=Path, help="a full build of --registry (it is rebuilt)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-floor-"))
    metadata = args.registry or make_registry(work / "metadata", args.count)
    out = args.build or work / "out"
    if not (out / ".catalogue-build").exists():
        _build(metadata, out)
    count = len(list((metadata / "datasets").glob("*.yaml")))
    cores = os.cpu_count() or 1
    print(f"{count:,} datasets; {cores} cores; load average {os.getloadavg()[0]:.1f}", flush=True)

    memory = _registry_memory(metadata)
    print(f"registry in memory  {memory:8,.0f} MB   (asked: a full build's peak under 1,000 MB)", flush=True)
    per_record = _yaml_seconds_per_record(metadata)
    print(
        f"YAML alone          {per_record * 1000:8.2f} ms a record: {per_record * count / cores:.1f} s on {cores} "
        "cores at the least (asked: a cold load under 5 s)",
        flush=True,
    )
    rate = _write_rate(out.parent)
    print(f"disk                {rate:8,.0f} MB/s written and synced", flush=True)
    total = _tree_bytes(out) / _MB
    print(
        f"full build          {total:8,.0f} MB written: {total / rate:.1f} s at the least (asked: under 30 s)",
        flush=True,
    )

    before = work / "before"
    shutil.copytree(out, before, copy_function=os.link)  # hard links: the build writes new files, never into old ones
    changed_id = change_one(metadata)
    _build(metadata, out)
    changed = _changed_files(before, out)
    size = sum(size for size, _ in changed) / _MB
    print(
        f"one record          {size:8,.0f} MB in {len(changed):,} files change when {changed_id}'s title does: "
        f"{size / rate:.1f} s at the least (asked: under 1 s)",
        flush=True,
    )
    for size, name in changed[:12]:
        print(f"    {size / _MB:10,.1f} MB  {name}")
    shutil.rmtree(before)
    print(f"peak of this script {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024:,} MB; files in {work}")


if __name__ == "__main__":
    main()
