"""The atomic build (catalogue/build.py): a step that fails after an earlier build leaves that build's
output as it was; a build that succeeds replaces the old output whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogue.build import MARKER_TEXT, Step, build, default_steps, write_registry_json
from catalogue.records.registry import Registry


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file the steps wrote (the build's own marker, which names the writing process, left out)."""
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    assert files.pop(".catalogue-build", b"").endswith(MARKER_TEXT.encode())
    return files


def _write_marker(text: str) -> Step:
    def step(registry: Registry, out: Path) -> None:
        (out / "marker.txt").write_text(text, encoding="utf-8")

    return step


def _fail_after_writing(registry: Registry, out: Path) -> None:
    (out / "marker.txt").write_text("half-written", encoding="utf-8")
    (out / "partial").mkdir()
    (out / "partial" / "file.txt").write_text("never to be seen", encoding="utf-8")
    raise RuntimeError("step failed half way")


def test_a_failing_step_leaves_the_previous_output_untouched(registry: Registry, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(registry, out, steps=[("registry.json", write_registry_json), ("marker", _write_marker("first"))])
    before = _snapshot(out)
    assert set(before) == {"registry.json", "marker.txt"}
    assert json.loads(before["registry.json"])["datasets"].keys() == registry.datasets.keys()

    seen: list[str] = []
    with pytest.raises(RuntimeError, match="step failed half way"):
        build(
            registry,
            out,
            steps=[("registry.json", write_registry_json), ("breaks", _fail_after_writing)],
            progress=seen.append,
        )
    assert seen == ["registry.json", "breaks"]  # the failing step ran, after one that succeeded
    assert _snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary or .old folder left beside it


def test_a_successful_rebuild_replaces_the_old_output_whole(registry: Registry, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(registry, out, steps=[("marker", _write_marker("first")), ("registry.json", write_registry_json)])
    (out / "stale.txt").write_text("left by someone's earlier build", encoding="utf-8")
    build(registry, out, steps=[("marker", _write_marker("second"))])
    assert _snapshot(out) == {"marker.txt": b"second"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert oct(out.stat().st_mode & 0o777) == "0o755"


def test_the_default_steps_build_the_site_first() -> None:
    names = [name for name, _ in default_steps()]
    assert names[0] == "site"  # mkdocs empties the folder it builds into, so nothing may come before it
    assert names == [
        "site",
        "registry.json",
        "metadata quality",
        "DCAT feeds",
        "CKAN dumps and search index",
        "change feed and release calendar",
    ]
