"""Incremental non-site outputs (dcat/reuse.py): after one record changes, the DCAT files, quality scores,
registry.json and CKAN dumps of the unchanged records are taken from the previous build (files by hard
link, the rest by copying their bytes), and the result is the very bytes of a build from nothing; a
previous build that is damaged or made for another address gives nothing (every file written again).

The site step is left out (tests/test_incremental.py builds everything, site included)."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from catalogue import build as build_module
from catalogue.build import default_steps
from catalogue.ckan import files as ckan_files
from catalogue.layout import BuildLayout
from catalogue.quality import reuse as quality_reuse
from catalogue.records.loader import load_registry
from catalogue.records.registry import Registry
from catalogue.records.stamps import write_stamps

_EXTENSIONS = ("ttl", "jsonld", "rdf")


def _outputs(registry: Registry, out: Path, previous: Path | None) -> None:
    """Run the build's non-site steps into `out` (a new folder) as `catalogue build` would after `previous`."""
    out.mkdir()
    for name, step in default_steps(previous=previous):
        if name != "site":
            step(registry, out)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file but the search index (tantivy names its segments at random; test_incremental compares it)."""
    index = BuildLayout(folder).search_index_dir
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and index not in path.parents
    }


def _assert_same(got: Path, expected: Path) -> None:
    found, wanted = _files(got), _files(expected)
    assert sorted(found) == sorted(wanted), set(found) ^ set(wanted)
    different = [name for name in wanted if found[name] != wanted[name]]
    assert not different, different


def _edit(metadata: Path, dataset_id: str, title: str) -> Registry:
    path = metadata / "datasets" / f"{dataset_id}.yaml"
    path.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", path.read_text("utf-8"), count=1), "utf-8")
    write_stamps(load_registry(metadata, check_stamps=False))
    return load_registry(metadata)


class _Counted:
    """Counts the records handed to the per-record work of each step (scoring, package dicts, model dumps)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.scored: list[str] = []
        self.packaged: list[str] = []
        score = quality_reuse.score_registry
        package = ckan_files.package_dict

        def scored(registry: Registry, *args: Any, ids: list[str], **kwargs: Any) -> Any:
            self.scored += ids
            return score(registry, *args, ids=ids, **kwargs)

        def packaged(registry: Registry, dataset: Any) -> Any:
            self.packaged.append(dataset.id)
            return package(registry, dataset)

        monkeypatch.setattr(quality_reuse, "score_registry", scored)
        monkeypatch.setattr(ckan_files, "package_dict", packaged)

    def reset(self) -> None:
        self.scored.clear()
        self.packaged.clear()


@pytest.fixture
def two_builds(registry_copy: Path, tmp_path: Path) -> tuple[Registry, str, str]:
    """A build of the registry in tmp_path/before; then one record edited (returned: the registry after it,
    the changed id and an unchanged one). The first edit makes the catalogue's modified date today's,
    so that the second moves only the record's own."""
    first = next(iter(load_registry(registry_copy, check_stamps=False).datasets))
    _edit(registry_copy, first, "Edited once")
    registry = load_registry(registry_copy)
    _outputs(registry, tmp_path / "before", None)
    registry = _edit(registry_copy, first, "Edited twice")
    other = next(key for key in registry.datasets if key != first)
    return registry, first, other


def _same_file(a: Path, b: Path) -> bool:
    return os.stat(a).st_ino == os.stat(b).st_ino


def test_one_change_reuses_every_other_record_and_writes_the_bytes_of_a_full_build(
    two_builds: tuple[Registry, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry, changed, unchanged = two_builds
    counted = _Counted(monkeypatch)
    before, after = BuildLayout(tmp_path / "before"), BuildLayout(tmp_path / "after")
    _outputs(registry, after.root, before.root)
    assert counted.scored == [changed]
    assert counted.packaged == [changed]
    for ext in _EXTENSIONS:
        assert _same_file(before.dataset_file(unchanged, ext), after.dataset_file(unchanged, ext))
        assert not _same_file(before.dataset_file(changed, ext), after.dataset_file(changed, ext))
    counted.reset()
    _outputs(registry, tmp_path / "full", None)
    assert len(counted.scored) == len(registry.datasets) == len(counted.packaged)
    _assert_same(after.root, tmp_path / "full")
    assert "Edited twice" in after.dataset_file(changed, "ttl").read_text("utf-8")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-10])


def _break_a_line(path: Path) -> None:
    """Same size, but no line of it parses any more."""
    path.write_bytes(path.read_bytes().replace(b'"name":', b'"name" '))


def _other_address(layout: BuildLayout, registry: Registry) -> None:
    """The previous build made for another base URI (its manifests' keys are not this build's)."""
    catalogue = registry.catalogue.model_copy(update={"base_uri": "https://other.example"})
    folder = layout.root
    shutil.rmtree(folder)
    _outputs(dataclasses.replace(registry, catalogue=catalogue), folder, None)


_DAMAGE: dict[str, Callable[[BuildLayout, Registry], None]] = {
    "catalogue file truncated": lambda layout, _: _truncate(layout.catalog("rdf")),
    "DCAT manifest not JSON": lambda layout, _: layout.dcat_reuse.write_text("{not json", "utf-8"),
    "DCAT index of another shape": lambda layout, _: layout.dcat_index.write_text('{"order": 3}', "utf-8"),
    "quality manifest truncated": lambda layout, _: _truncate(layout.quality_manifest),
    "registry.json truncated": lambda layout, _: _truncate(layout.registry_json),
    "datasets.jsonl lines broken": lambda layout, _: _break_a_line(layout.ckan_datasets),
    "registry.json manifest of another format": lambda layout, _: layout.registry_manifest.write_text(
        '{"format": "something else", "size": 1, "spans": {}}', "utf-8"
    ),
    "built for another address": _other_address,
}


@pytest.mark.parametrize("damage", sorted(_DAMAGE))
def test_a_damaged_or_foreign_previous_build_is_not_trusted(
    damage: str, two_builds: tuple[Registry, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry, _, unchanged = two_builds
    before = BuildLayout(tmp_path / "before")
    _DAMAGE[damage](before, registry)
    counted = _Counted(monkeypatch)
    _outputs(registry, tmp_path / "after", before.root)
    _outputs(registry, tmp_path / "full", None)
    _assert_same(tmp_path / "after", tmp_path / "full")
    everything = len(registry.datasets) + 1  # the build from nothing, and the changed record
    if damage.startswith(("catalogue file", "DCAT", "built")):
        after = BuildLayout(tmp_path / "after")
        assert not any(
            _same_file(before.dataset_file(unchanged, ext), after.dataset_file(unchanged, ext)) for ext in _EXTENSIONS
        )
    if damage.startswith(("quality", "built")):
        assert len(counted.scored) == 2 * len(registry.datasets)
    if damage.startswith(("datasets.jsonl", "built")):
        assert len(counted.packaged) == 2 * len(registry.datasets)
    if not damage.startswith(("quality", "built")):
        assert len(counted.scored) == everything  # the other outputs' damage does not stop the scores' reuse


def test_registry_json_is_the_document_orjson_writes_whole(registry: Registry, tmp_path: Path) -> None:
    """The spliced registry.json is byte for byte orjson's dump of the whole (with no datasets too)."""
    import orjson

    for case in (registry, dataclasses.replace(registry, datasets={}, stamps={})):
        folder = tmp_path / str(len(case.datasets))
        folder.mkdir()
        build_module.write_registry_json(case, folder)
        data = {
            "catalogue": case.catalogue.model_dump(mode="json"),
            "agents": {key: agent.model_dump(mode="json") for key, agent in case.agents.items()},
            "datasets": {key: dataset.model_dump(mode="json") for key, dataset in case.datasets.items()},
            "stamps": {key: vars(stamp) for key, stamp in case.stamps.items()},
        }
        expected = orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
        assert BuildLayout(folder).registry_json.read_bytes() == expected


def test_the_output_keys_cover_every_function_the_reused_steps_run(registry: Registry, tmp_path: Path) -> None:
    """The reused outputs' keys hash only `dcat.reuse.CODE_PATHS`, not the whole package: a function those
    steps call from a module outside it could change without their keys changing, and a rebuild would keep
    stale bytes. Run under a profiler (the shipped registry is below parallel.PARALLEL_FROM, so every
    function runs in this process), each `catalogue` function they call must be in there."""
    import sys

    from catalogue.dcat import reuse

    package = Path(reuse.__file__).resolve().parents[1]
    reused = {"registry.json", "metadata quality", "DCAT feeds", "CKAN dumps and search index"}
    called: set[str] = set()

    def note(frame: Any, event: str, _: Any) -> None:
        if event == "call":
            called.add(frame.f_code.co_filename)

    out = tmp_path / "out"
    out.mkdir()
    steps = [(name, step) for name, step in default_steps() if name in reused]
    assert {name for name, _ in steps} == reused
    for _, step in steps:
        sys.setprofile(note)
        try:
            step(registry, out)
        finally:
            sys.setprofile(None)
    ours = {Path(name).resolve() for name in called if Path(name).resolve().is_relative_to(package)}
    assert package / "dcat" / "files.py" in ours
    assert package / "records" / "registry.py" in ours
    covered = [package / name for name in reuse.CODE_PATHS]
    outside = sorted(
        str(path.relative_to(package))
        for path in ours
        if not any(path == place or path.is_relative_to(place) for place in covered)
    )
    assert not outside, f"the reused steps run code their keys do not hash: {outside}"


def test_another_library_version_means_nothing_is_reused(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an upgrade the previous build's bytes were made by other code: every key changes."""
    from catalogue.dcat.reuse import dataset_keys
    from catalogue.records import registry as registry_module

    before = dataset_keys(registry, "DCAT feeds")
    upgraded = [*registry_module.installed(), "rdflib==99.0"]
    monkeypatch.setattr(registry_module, "installed", lambda: upgraded)
    after = dataset_keys(registry, "DCAT feeds")
    assert before.keys() == after.keys()
    assert all(before[key] != after[key] for key in before)
