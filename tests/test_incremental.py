"""Incremental builds: a build that reuses the previous one (its dataset pages, site/reuse.py; its validated
records, records/cached.py) writes the same bytes as a build from nothing, after a record changes, after
one is deleted and after one is added. Every output file is compared; the search index's segment files
are compared with their random names replaced (tantivy names a segment by a fresh UUID, and lists its
files in no fixed order).

The builds are of a small registry (conftest.small_registry: a dozen records that name one another, one that
names none, and their agents), not the shipped one: what is compared is the same, at a third of a build's time,
and the two tests that damage a build start from a copy of one full build and compare with it."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from catalogue.build import build
from catalogue.layout import BuildLayout, record_cache
from catalogue.records.loader import load_registry
from catalogue.records.registry import Registry
from catalogue.records.stamps import write_stamps
from tests.conftest import small_registry

_SEGMENT = re.compile(rb"[0-9a-f]{32}")
_UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of a build by path, the marker (which names the writing process) left out, the page
    manifest without its files' times, and the search index's segment names replaced by their position."""
    found: dict[str, bytes] = {}
    index = BuildLayout(folder).search_index_dir
    segments = sorted(
        {p.name.split(".")[0] for p in index.iterdir() if _SEGMENT.fullmatch(p.name.split(".")[0].encode())}
    )
    names = {name.encode(): f"segment-{i}".encode() for i, name in enumerate(segments)}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name == ".catalogue-build":
            continue
        relative, data = str(path.relative_to(folder)), path.read_bytes()
        if path == BuildLayout(folder).page_manifest:  # the files' times it records are the build's own
            manifest = json.loads(data)
            data = json.dumps({key: value[:2] for key, value in manifest["pages"].items()}).encode()
        if path.parent == index:
            stem = path.name.split(".")[0].encode()
            relative = relative.replace(stem.decode(), names.get(stem, stem).decode())
            data = _UUID.sub(lambda m: m.group(0).replace(b"-", b""), data)
            data = _SEGMENT.sub(lambda m: names.get(m.group(0), m.group(0)), data)
            if path.name == ".managed.json":  # tantivy's list of its files, in no fixed order
                data = json.dumps(sorted(json.loads(data))).encode()
        found[relative] = data
    return found


def _restamped(metadata: Path, cache: Path) -> Registry:
    """The registry at `metadata` after `catalogue stamp`, loaded as `catalogue build` loads it."""
    write_stamps(load_registry(metadata, check_stamps=False))
    return load_registry(metadata, cache=cache)


def _assert_same(incremental: Path, full: Path) -> None:
    got, expected = _files(incremental), _files(full)
    assert sorted(got) == sorted(expected), set(got) ^ set(expected)
    different = [path for path in expected if got[path] != expected[path]]
    assert not different, f"{len(different)} files differ, e.g. {different[:5]}"


def _copy_build(source: Path, out: Path) -> None:
    """Make `out` a copy of the build `source` to build into again: the same bytes, sizes and modification
    times (copy2), so its page manifest holds as it does for the build itself, and a test starts from a
    previous build without making one."""
    shutil.copytree(source, out, symlinks=True)


def _reused(before: Path, after: Path, dataset_id: str) -> bool:
    """Whether `after`'s page for `dataset_id` is the very file of `before` (linked, not rendered again)."""
    page = "index.html"
    old = BuildLayout(before).dataset_page_dir(dataset_id) / page
    return os.stat(old).st_ino == os.stat(BuildLayout(after).dataset_page_dir(dataset_id) / page).st_ino


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small registry, stamped (read-only: a test that edits records copies it)."""
    metadata = small_registry(tmp_path_factory.mktemp("small") / "metadata")
    write_stamps(load_registry(metadata, check_stamps=False))
    return metadata


@pytest.fixture(scope="module")
def small_full(small: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build from nothing of the unchanged small registry (read-only), for the tests that damage a build."""
    out = tmp_path_factory.mktemp("small-full") / "full"
    build(load_registry(small), out, incremental=False)
    return out


def test_an_incremental_build_writes_the_bytes_of_a_full_build(small: Path, tmp_path: Path) -> None:
    registry_copy = tmp_path / "metadata"
    shutil.copytree(small, registry_copy)
    out = tmp_path / "out"
    cache = record_cache(out)
    registry = _restamped(registry_copy, cache)
    changed = next(key for key, d in registry.datasets.items() if d.related)
    related = {other for _, other, _ in registry.relations_of(changed)}
    unrelated = next(key for key in registry.datasets if key != changed and key not in related)
    path = registry_copy / "datasets" / f"{changed}.yaml"

    # an edit before the first build, so that the catalogue's modified date (every page's footer shows it)
    # is already today's and the edit below leaves it alone, whatever day the records were last changed
    path.write_text(re.sub(r"(?m)^title: .*$", "title: Edited title", path.read_text("utf-8")), encoding="utf-8")
    registry = _restamped(registry_copy, cache)
    build(registry, out)

    # one record changes: one related to others, so their pages change too
    path.write_text(re.sub(r"(?m)^title: .*$", "title: Revised title", path.read_text("utf-8")), encoding="utf-8")
    registry = _restamped(registry_copy, cache)
    assert registry.datasets[changed].title.startswith("Revised")
    keep = tmp_path / "before"
    os.link(BuildLayout(out).dataset_page_dir(unrelated) / "index.html", keep)
    build(registry, out)
    build(registry, tmp_path / "full", incremental=False)
    _assert_same(out, tmp_path / "full")
    assert os.stat(keep).st_ino == os.stat(BuildLayout(out).dataset_page_dir(unrelated) / "index.html").st_ino
    assert os.stat(keep).st_ino != os.stat(BuildLayout(out).dataset_page_dir(changed) / "index.html").st_ino

    # a record is added: a copy of one with relations, so the records it names gain an inverse relation
    added = registry_copy / "datasets" / "added-copy.yaml"
    text = (registry_copy / "datasets" / f"{changed}.yaml").read_text("utf-8")
    added.write_text(re.sub(r"(?m)^id: .*$", "id: added-copy", text), encoding="utf-8")
    registry = _restamped(registry_copy, cache)
    assert registry.relations_of("added-copy")
    build(registry, out)
    build(registry, tmp_path / "full2", incremental=False)
    _assert_same(out, tmp_path / "full2")

    # and deleted again: those records lose it
    added.unlink()
    registry = _restamped(registry_copy, cache)
    assert "added-copy" not in registry.datasets
    build(registry, out)
    build(registry, tmp_path / "full3", incremental=False)
    _assert_same(out, tmp_path / "full3")
    assert not BuildLayout(out).dataset_page_dir("added-copy").exists()


def test_a_build_reuses_nothing_from_a_damaged_manifest(small: Path, small_full: Path, tmp_path: Path) -> None:
    """A manifest that is not the build's (truncated, or naming keys that do not match) reuses no page."""
    out = tmp_path / "out"
    registry = load_registry(small, cache=record_cache(out))
    _copy_build(small_full, out)
    manifest = BuildLayout(out).page_manifest
    manifest.write_bytes(manifest.read_bytes()[:1000])
    some = next(iter(registry.datasets))
    keep = tmp_path / "before"
    os.link(BuildLayout(out).dataset_page_dir(some) / "index.html", keep)
    build(registry, out)
    assert os.stat(keep).st_ino != os.stat(BuildLayout(out).dataset_page_dir(some) / "index.html").st_ino
    _assert_same(out, small_full)


def test_a_page_rewritten_after_the_build_is_rendered_again(small: Path, small_full: Path, tmp_path: Path) -> None:
    """A step that rewrites pages in place (`build --static` adds links) leaves pages the manifest's key still
    matches; their size and time no longer do, so the next build renders them again."""
    out = tmp_path / "out"
    registry = load_registry(small, cache=record_cache(out))
    _copy_build(small_full, out)
    some, other = list(registry.datasets)[:2]
    page = BuildLayout(out).dataset_page_dir(some) / "index.html"
    page.write_text(page.read_text("utf-8").replace("</body>", "<p>static copy</p></body>"), encoding="utf-8")
    keep = tmp_path / "other"
    os.link(BuildLayout(out).dataset_page_dir(other) / "index.html", keep)
    build(registry, out)
    _assert_same(out, small_full)
    # the pages left alone are reused: the copy is a previous build as the build itself would be
    assert os.stat(keep).st_ino == os.stat(BuildLayout(out).dataset_page_dir(other) / "index.html").st_ino
