"""Run a function over many items in batches, in forked worker processes when there are enough of them.

The site's dataset pages and the DCAT files are both per-record work over a registry already in
memory. Forking shares that memory with the workers for free, so only the batches of items and the
results cross between processes; below a threshold the pool costs more than it saves and the
batches run here, one after another. Imports nothing from `catalogue`, so any package can use it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARALLEL_FROM = 200  # below this many items, worker processes cost more than they save (measured on both callers)

# The function the forked workers run. Set in the parent just before the fork, so the workers inherit
# it (a closure over a registry, a mkdocs environment ...) and only batches and results are pickled.
_TASK: Callable[[Any], Any] | None = None


_frozen_depth = 0  # how many `frozen()` blocks are open: only the outermost unfreezes


@contextmanager
def frozen() -> Iterator[None]:
    """Keep every object that exists now out of the cyclic collector's passes until the block ends.

    A build holds the registry throughout; the collector otherwise walks all of it again at every full
    pass the build's own allocations set off (at 1,000 records a live preview's rebuild took 7.3 s, 5.5 s
    with the registry kept out). Blocks nest: `gc.unfreeze()` releases everything frozen, so only the
    outermost block calls it (the workers' block below once undid the build's, half-way through it)."""
    global _frozen_depth
    gc.freeze()
    _frozen_depth += 1
    try:
        yield
    finally:
        _frozen_depth -= 1
        if _frozen_depth == 0:
            gc.unfreeze()


def worker_count(*, most: int, extra: int = 0) -> int:
    """Return one worker per core plus `extra`, at most `most`."""
    return min((os.cpu_count() or 1) + extra, most)


def _die_with_parent(parent: int) -> None:
    """Make this worker end when the build that forked it ends, even by kill -9 (when the pool cannot
    stop it): Linux sends it SIGKILL on the parent's death (prctl PR_SET_PDEATHSIG). A parent gone
    before that was set shows as a new parent process id."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _run_task(batch: Any) -> Any:
    assert _TASK is not None, "parallel: a worker ran without a task"
    return _TASK(batch)


@contextmanager
def batch_results(
    function: Callable[[list[Item]], Result],
    items: Sequence[Item],
    *,
    workers: int,
    batches_per_worker: int,
    smallest_batch: int = 50,
    parallel_from: int = PARALLEL_FROM,
    fewest_workers: int = 2,
) -> Iterator[Iterator[Result]]:
    """Yield an iterator over `function(batch)` for consecutive batches of `items`, in order.

    The batches run in `workers` forked processes, unless there are fewer than `parallel_from` items
    or fewer than `fewest_workers` workers, when they run in this process as the iterator is read.
    `batches_per_worker` sets the batch size (smaller batches balance the load, larger ones cost
    less to hand over); a batch holds at least `smallest_batch` items. Read the results inside the
    `with` block: leaving it stops the workers. `function` need not be picklable (the workers inherit it).
    """
    global _TASK
    size = max(smallest_batch, len(items) // (workers * batches_per_worker))
    batches = [list(items[i : i + size]) for i in range(0, len(items), size)]
    if len(items) < parallel_from or workers < fewest_workers:
        yield map(function, batches)
        return
    previous, _TASK = _TASK, function
    try:
        # the workers' collections then skip the parent's objects (and leave their pages shared)
        with frozen():
            context = multiprocessing.get_context("fork")
            with context.Pool(workers, initializer=_die_with_parent, initargs=(os.getpid(),)) as pool:
                yield pool.imap(_run_task, batches)
    finally:
        _TASK = previous
