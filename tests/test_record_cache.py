"""The cache of validated records (catalogue/records/cached.py): unchanged files are not parsed again, a changed
one is, the registry is the same as a load without the cache, and a damaged, foreign or hostile cache file is
only a cache miss (no traceback, nothing run), after which the file is written afresh."""

from __future__ import annotations

import os
import pickle
import re
from pathlib import Path
from typing import Any

import pytest

from catalogue.records import checks, loader
from catalogue.records.cached import FORMAT, SHARDS, code_version, shard_of
from catalogue.records.errors import RecordErrors
from catalogue.records.loader import load_registry
from catalogue.records.registry import Registry


@pytest.fixture
def composed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the YAML files the loader parses (the real parser still runs)."""
    calls: list[int] = []
    real = loader.compose

    def counting(data: bytes) -> Any:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(loader, "compose", counting)
    return calls


def _same(first: Registry, second: Registry) -> None:
    assert first.catalogue == second.catalogue
    assert first.agents == second.agents
    assert first.datasets == second.datasets
    assert first.stamps == second.stamps


def test_unchanged_records_are_not_parsed_again(registry_copy: Path, tmp_path: Path, composed: list[int]) -> None:
    cache = tmp_path / "cache" / "records.pickle"
    fresh = load_registry(registry_copy, cache=cache)
    files = len(composed)
    shards = sorted(cache.parent.glob("records.pickle.*"))
    assert len(shards) > SHARDS // 2  # the records spread over the files
    assert files == len(fresh.datasets) + len(fresh.agents) + 1
    composed.clear()
    _same(load_registry(registry_copy, cache=cache), fresh)
    assert composed == []

    changed = next(iter(fresh.datasets))
    path = registry_copy / "datasets" / f"{changed}.yaml"
    path.write_text(re.sub(r"(?m)^title: .*$", "title: Cache test", path.read_text("utf-8")), encoding="utf-8")
    with pytest.raises(RecordErrors) as stale:  # the stamp no longer matches: reported at the record's line
        load_registry(registry_copy, cache=cache)
    with pytest.raises(RecordErrors) as plain:
        load_registry(registry_copy)
    assert stale.value.to_text() == plain.value.to_text()
    composed.clear()
    written = [shard.stat().st_mtime_ns for shard in shards]
    again = load_registry(registry_copy, cache=cache, check_stamps=False)
    assert composed == [path.stat().st_size]
    assert again.datasets[changed].title == "Cache test"
    rewritten = [
        shard.name for shard, before in zip(shards, written, strict=True) if shard.stat().st_mtime_ns != before
    ]
    assert rewritten == [f"records.pickle.{shard_of(f'datasets/{changed}.yaml'):02d}"]  # only the changed record's
    composed.clear()
    assert load_registry(registry_copy, cache=cache, check_stamps=False).datasets == again.datasets
    assert composed == []  # the rewritten file holds the changed record


@pytest.mark.parametrize(
    "damage",
    ["truncated", "garbage", "hostile", "other-format", "other-code", "wrong-shapes"],
)
def test_a_damaged_or_foreign_cache_is_a_full_load(
    registry_copy: Path, tmp_path: Path, composed: list[int], damage: str
) -> None:
    cache = tmp_path / "records.pickle"
    fresh = load_registry(registry_copy, cache=cache)
    files = len(composed)
    shards = sorted(tmp_path.glob("records.pickle.*"))
    assert len(shards) > SHARDS // 2  # the shipped records fall in most of them
    good = shards[0].read_bytes()
    marker = tmp_path / "ran"
    payload = {
        "truncated": good[: len(good) // 2],
        "garbage": os.urandom(4096),
        # a pickle that would run a shell command if it were loaded with pickle.load
        "hostile": b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR.",
        "other-format": pickle.dumps({"format": "something else", "code": code_version(), "records": {}}),
        "other-code": pickle.dumps({"format": FORMAT, "code": "0" * 64, "records": {}}),
        "wrong-shapes": pickle.dumps({"format": FORMAT, "code": code_version(), "records": {"datasets/x.yaml": 1}}),
    }[damage]
    for shard in shards:
        shard.write_bytes(payload)
    composed.clear()
    _same(load_registry(registry_copy, cache=cache), fresh)
    assert len(composed) == files  # every file read again
    assert not marker.exists()
    composed.clear()
    _same(load_registry(registry_copy, cache=cache), fresh)  # and the file was written afresh
    assert composed == []


def test_a_preview_load_hashes_only_the_records_it_parses(
    registry_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loads without stamp checks (the live preview, `catalogue stamp`) give each record a provisional stamp
    from its content hash: the cache's hash for an unchanged record, not one computed again at every rebuild."""
    cache = tmp_path / "cache" / "records.pickle"
    first = load_registry(registry_copy, check_stamps=False, cache=cache)
    hashed: list[str] = []
    real = checks.content_hash  # where Parsed.dataset_hash computes one the load does not have
    monkeypatch.setattr(checks, "content_hash", lambda dataset: hashed.append(dataset.id) or real(dataset))
    changed = next(iter(first.datasets))
    path = registry_copy / "datasets" / f"{changed}.yaml"
    path.write_text(re.sub(r"(?m)^title: .*$", "title: Preview test", path.read_text("utf-8")), encoding="utf-8")
    again = load_registry(registry_copy, check_stamps=False, cache=cache)
    assert hashed == [changed]
    assert again.stamps[changed] != first.stamps[changed]
    assert {key: again.stamps[key] for key in again.stamps if key != changed} == {
        key: first.stamps[key] for key in first.stamps if key != changed
    }
