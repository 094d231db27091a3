"""kill -9 at random points of `catalogue build`, again and again: the output folder is always exactly the
last build that completed (or absent before the first), the fork workers die with the build, and the
next build leaves no `.out.*` work folder behind (catalogue/build.py, catalogue/parallel.py)."""

from __future__ import annotations

import hashlib
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catalogue.layout import record_cache
from tests.benchmarks.synthetic import make_registry
from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

DATASETS = 300  # above parallel.PARALLEL_FROM, so the site and DCAT steps fork workers
KILLS = 8
SEED = 14


def _tree_hash(folder: Path) -> str | None:
    """A hash of every file's path and bytes under `folder`, or None if it does not exist."""
    if not folder.exists():
        return None
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _children(pid: int) -> set[int]:
    """Every living descendant of `pid` (from /proc; Linux)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _written_by(out: Path, pid: int) -> bool:
    """Whether the build in `out` is the one process `pid` wrote (its marker names the writing process)."""
    try:
        return (out / ".catalogue-build").read_text("utf-8").split("\n", 1)[0] == str(pid)
    except OSError:
        return False


def _build(registry: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "catalogue", "build", "--metadata", str(registry), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_at_random_points_leaves_the_last_complete_build(tmp_path: Path) -> None:
    registry = make_registry(tmp_path / "registry", DATASETS)
    out = tmp_path / "out"
    chance = random.Random(SEED)
    last_complete: str | None = None
    outcomes = []
    for attempt in range(KILLS):
        build = _build(registry, out)
        # the first build is killed as soon as its workers are up; the others at a random moment
        deadline = time.monotonic() + (60 if attempt == 0 else chance.uniform(1.0, 20.0))
        workers: set[int] = set()
        while time.monotonic() < deadline and build.poll() is None and not (attempt == 0 and workers):
            workers |= _children(build.pid)
            time.sleep(0.02)
        if build.poll() is None:
            build.send_signal(signal.SIGKILL)
            build.wait()
            outcomes.append(f"killed with {len(workers)} workers")
            time.sleep(0.3)  # workers without a death signal lived on for 0.7-3 s
            assert not [pid for pid in workers if _alive(pid)], "fork workers outlived the killed build"
            if _written_by(out, build.pid):  # killed after its swap, before it exited: its build is in place whole
                outcomes[-1] += " after its swap"
                last_complete = _tree_hash(out)
        else:
            assert build.returncode == 0
            outcomes.append("completed")
            last_complete = _tree_hash(out)
            assert last_complete is not None
        assert _tree_hash(out) == last_complete, f"after {outcomes}: the output is not the last complete build"

    final = _build(registry, out)
    assert final.wait(timeout=300) == 0
    assert _tree_hash(out) is not None
    # beside the output only the record cache (layout.record_cache), holding only the last build's records
    cache = record_cache(out)
    assert cache.parent.parent == tmp_path
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([cache.parent.name, "out", "registry"]), (
        "a killed build's litter stayed"
    )
    names = sorted(path.name for path in cache.parent.iterdir())
    assert names, "no record cache written"
    assert all(re.fullmatch(rf"{re.escape(cache.name)}\.\d\d", name) for name in names), (
        f"a killed cache write's litter stayed: {names}"
    )
    assert not _children(final.pid)
    assert outcomes[0] != "completed", outcomes  # the first build was killed with its workers running
    assert not outcomes[0].endswith(" 0 workers"), outcomes
