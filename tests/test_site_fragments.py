"""The generated pages' per-record parts (catalogue/site/fragments.py): a part is taken from the previous build
only under its exact key, comes back escaped as it was rendered, and a damaged store is a part rendered again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalogue.records.registry import Registry
from catalogue.site.fragments import FORMAT, Fragments, by_record, keeping, read_index
from catalogue.site.render import environment

TEMPLATE = "{% for d in datasets %}{% cached d, note %}<p>{{ d.title }}: {{ note }}</p>{% endcached %}{% endfor %}"


def _render(datasets: list[Any], note: str, fragments: Fragments | None) -> str:
    template = environment().from_string(TEMPLATE)
    if fragments is None:
        return template.render(datasets=datasets, note=note)
    with keeping(fragments):
        return template.render(datasets=datasets, note=note)


def _build(tmp_path: Path, name: str, registry: Registry, previous: tuple[Path, dict[str, Any]] | None) -> Fragments:
    hashes = {key: stamp.content_hash for key, stamp in registry.stamps.items()}
    fragments = Fragments("salt", hashes, previous)
    fragments.open(tmp_path / name)
    return fragments


def test_a_part_is_reused_only_under_its_own_key(registry: Registry, tmp_path: Path) -> None:
    datasets = list(registry.datasets.values())[:5]
    datasets[0] = datasets[0].model_copy(update={"title": "<script>alert(1)</script>"})
    datasets[1] = datasets[1].model_copy(update={"title": "a lone surrogate \ud800 and \u00e9"})
    plain = _render(datasets, "a & b", None)
    assert "&lt;script&gt;" in plain
    assert "a &amp; b" in plain

    first = _build(tmp_path, "one", registry, None)
    assert _render(datasets, "a & b", first) == plain
    first.close()
    assert first.rendered == 5
    assert first.reused == 0

    second = _build(tmp_path, "two", registry, (tmp_path / "one", first.index))
    assert _render(datasets, "a & b", second) == plain  # from the stored file, escaped as it was rendered
    assert second.reused == 5
    assert second.rendered == 0
    assert _render(datasets, "other", second) == _render(datasets, "other", None)  # another value: rendered
    second.close()
    assert second.rendered == 5


def test_a_record_whose_content_changed_is_rendered_again(registry: Registry, tmp_path: Path) -> None:
    datasets = list(registry.datasets.values())[:3]
    first = _build(tmp_path, "one", registry, None)
    _render(datasets, "", first)
    first.close()
    changed = registry.stamps | {datasets[1].id: registry.stamps[datasets[0].id]}  # another hash for the record
    again = Fragments(
        "salt", {key: stamp.content_hash for key, stamp in changed.items()}, (tmp_path / "one", first.index)
    )
    edited = [datasets[0], datasets[1].model_copy(update={"title": "Edited"}), datasets[2]]
    assert _render(edited, "", again) == _render(edited, "", None)
    assert (again.reused, again.rendered) == (2, 1)
    unknown = Fragments("salt", {}, (tmp_path / "one", first.index))  # no content hash: never from the store
    assert _render(datasets, "", unknown) == _render(datasets, "", None)
    assert unknown.reused == 0


@pytest.mark.parametrize(
    "entry",
    [[-1, 5], [0, 10**9], ["0", 5], [0], None, {"a": 1}, [0, -2], "as written"],
    ids=lambda entry: json.dumps(entry),
)
def test_a_damaged_store_entry_is_a_part_rendered_again(registry: Registry, tmp_path: Path, entry: Any) -> None:
    datasets = list(registry.datasets.values())[:1]
    first = _build(tmp_path, "one", registry, None)
    _render(datasets, "", first)
    first.close()
    (tmp_path / "one").write_bytes(b"\xff\xfe" + (tmp_path / "one").read_bytes()[2:])  # not UTF-8 at the start
    index = {key: value if entry == "as written" else entry for key, value in first.index.items()}
    again = Fragments("salt", {k: s.content_hash for k, s in registry.stamps.items()}, (tmp_path / "one", index))
    assert _render(datasets, "", again) == _render(datasets, "", None)
    assert again.reused == 0


def test_the_index_is_read_only_for_the_same_salt_and_format() -> None:
    manifest = {"fragments": {"format": FORMAT, "salt": "s", "index": {"k": [0, 1]}}}
    assert read_index(manifest, "s") == {"k": [0, 1]}
    assert read_index(manifest, "other") == {}
    assert read_index({"fragments": {"format": "old", "salt": "s", "index": {}}}, "s") == {}
    assert read_index({"fragments": []}, "s") == {}


def test_by_record_groups_consecutive_rows_in_order(registry: Registry) -> None:
    a, b = list(registry.datasets.values())[:2]
    rows = [(a, 1), (a, 2), (b, 3), (a, 4)]
    assert [(d.id, rest) for d, rest in by_record(rows)] == [(a.id, [1, 2]), (b.id, [3]), (a.id, [4])]
    assert [(d.id, rest) for d, rest in by_record([(a, 1, "x"), (a, 2, "y")])] == [(a.id, [(1, "x"), (2, "y")])]
