"""`catalogue import` from a real `catalogue serve`: our own CKAN feed gives back records equal to ours."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from catalogue.load import load_registry
from tests.conftest import METADATA, ServerProcess

pytestmark = pytest.mark.e2e


def test_importing_our_ckan_feed_gives_back_our_records(tmp_path: Path) -> None:
    with ServerProcess("--metadata", str(METADATA), "--out", str(tmp_path / "build")) as server:
        staging = tmp_path / "staging"
        result = subprocess.run([sys.executable, "-m", "catalogue", "import", server.url, "--metadata", str(METADATA),
                                 "--staging", str(staging)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    original = load_registry(METADATA)
    assert "0 new" in result.stdout and f"0 differ from the registry, {len(original.datasets)} the same" in result.stdout
    copy = tmp_path / "metadata"
    shutil.copytree(METADATA, copy)
    for path in (copy / "datasets").glob("*.yaml"):
        path.unlink()
    for path in staging.glob("*.yaml"):
        shutil.copy(path, copy / "datasets" / path.name)
    imported = load_registry(copy)
    assert imported.datasets == original.datasets


def test_import_writes_only_new_records_into_the_registry(tmp_path: Path) -> None:
    registry = tmp_path / "metadata"
    shutil.copytree(METADATA, registry)
    removed = registry / "datasets" / "nca-nrm-statistics.yaml"
    removed.unlink()
    edited = registry / "datasets" / "nrm-dtn-annual.yaml"
    before = edited.read_text().replace('end of year summary"', 'end of year summary (local)"', 1)
    edited.write_text(before)
    with ServerProcess("--metadata", str(METADATA), "--out", str(tmp_path / "build")) as server:
        result = subprocess.run([sys.executable, "-m", "catalogue", "import", server.url, "--metadata", str(registry),
                                 "--staging", str(tmp_path / "staging"), "--into", str(registry)],
                                capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "1 new" in result.stdout and "1 written" in result.stdout
    assert removed.exists() and edited.read_text() == before
    assert "(local)" in result.stdout  # the diff of the record that differs


def test_import_from_nowhere_fails_clearly(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "catalogue", "import", "http://127.0.0.1:9", "--staging",
                             str(tmp_path / "s")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "no answer" in result.stderr and "Traceback" not in result.stderr
