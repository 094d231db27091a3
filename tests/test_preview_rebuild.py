"""The live preview's rebuild (catalogue/serve/preview.py) in one long-lived process: each rebuild must let the
one before it go, and must reuse what it built before."""

from __future__ import annotations

import gc
import re
from pathlib import Path

from catalogue.records.registry import Registry
from catalogue.serve.preview import PreviewApp
from tests.conftest import small_registry


def _registries() -> int:
    return sum(1 for thing in gc.get_objects() if isinstance(thing, Registry))


def test_rebuilds_do_not_keep_the_registries_before_them(tmp_path: Path) -> None:
    """A build's registry, plugin and mkdocs config refer to one another (cyclic garbage) and the preview
    process seldom runs a full collection: each rebuild kept the one before alive, a registry each."""
    metadata = small_registry(tmp_path / "metadata")
    record = sorted((metadata / "datasets").glob("*.yaml"))[0]
    app = PreviewApp(metadata, tmp_path / "out", [metadata])
    try:
        app.rebuild()
        baseline = _registries()
        for edit in range(3):
            text = record.read_text("utf-8")
            record.write_text(re.sub(r"(?m)^title: .*$", f"title: Edit {edit}", text, count=1), "utf-8")
            app.rebuild()
            assert not app.error, app.error
        assert _registries() <= baseline
    finally:
        app.close()
