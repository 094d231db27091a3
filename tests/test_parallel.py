"""catalogue/parallel.py: the batches come back in order, and the collector's freeze outlives the workers."""

from __future__ import annotations

import gc

from catalogue import parallel


def _double(batch: list[int]) -> list[int]:
    return [item * 2 for item in batch]


def test_a_build_s_freeze_survives_the_workers_it_starts() -> None:
    """The workers' own freeze is nested in the build's: leaving it must not release the build's objects
    (gc.unfreeze releases everything frozen), or the collector walks the registry again for the rest of it."""
    assert gc.get_freeze_count() == 0
    kept = [object() for _ in range(1000)]
    with parallel.frozen():
        frozen_by_the_build = gc.get_freeze_count()
        assert frozen_by_the_build >= len(kept)
        items = list(range(500))
        with parallel.batch_results(_double, items, workers=2, batches_per_worker=2, parallel_from=10) as results:
            doubled = [item for batch in results for item in batch]
        assert doubled == [item * 2 for item in items]
        assert gc.get_freeze_count() >= frozen_by_the_build
    assert gc.get_freeze_count() == 0


def test_the_workers_freeze_is_released_when_nothing_else_froze() -> None:
    items = list(range(300))
    with parallel.batch_results(_double, items, workers=2, batches_per_worker=2, parallel_from=10) as results:
        assert sum(len(batch) for batch in results) == 300
    assert gc.get_freeze_count() == 0
