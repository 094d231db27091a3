"""`catalogue serve --watch`: rebuilds on change, keeps the last good build when a record breaks."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import METADATA, ServerProcess

pytestmark = pytest.mark.e2e


def _wait_for(url: str, check: Any, seconds: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = httpx.get(url).json()
        if check(state):
            return dict(state)
        time.sleep(0.3)
    raise AssertionError(f"preview state never matched; last: {state}")


def test_watch_rebuilds_and_survives_a_broken_record(tmp_path: Path) -> None:
    metadata = tmp_path / "metadata"
    shutil.copytree(METADATA, metadata)
    record = metadata / "datasets" / "nrm-dtn-annual.yaml"
    original = record.read_text()
    with ServerProcess("--watch", "--metadata", str(metadata), "--out", str(tmp_path / "out")) as server:
        state_url = f"{server.url}/__preview/state"
        first = httpx.get(state_url).json()
        assert first == {"generation": 1, "error": ""}
        page = httpx.get(f"{server.url}/dataset/nrm-dtn-annual/").text
        assert "javascripts/preview.js" in page

        record.write_text(original.replace('end of year summary"', 'end of year summary (preview edit)"', 1))
        _wait_for(state_url, lambda s: s["generation"] == 2)
        assert "(preview edit)" in httpx.get(f"{server.url}/dataset/nrm-dtn-annual/").text
        assert "(preview edit)" in httpx.get(f"{server.url}/api/3/action/package_show?id=nrm-dtn-annual").text

        record.write_text(original.replace("frequency: annual", "frequency: yearly"))
        broken = _wait_for(state_url, lambda s: s["error"] != "")
        assert "nrm-dtn-annual.yaml" in broken["error"]
        assert "'yearly' is not a known frequency" in broken["error"]
        assert broken["generation"] == 2
        still = httpx.get(f"{server.url}/dataset/nrm-dtn-annual/")
        assert still.status_code == 200
        assert "(preview edit)" in still.text

        record.write_text(original)
        _wait_for(state_url, lambda s: s["generation"] == 3 and s["error"] == "")
