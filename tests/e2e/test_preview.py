"""`catalogue serve --watch`: rebuilds on change, keeps the last good build when a record breaks."""

from __future__ import annotations

import shutil
import signal
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


def _preview_folders(tmp: Path) -> list[Path]:
    return sorted(tmp.glob("catalogue-preview-*"))


def test_a_failing_build_is_reported_and_the_watching_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that fails for a reason other than the records (here: a file where the next build's folder
    goes) is reported in the page's banner state and the terminal, without a traceback; the next change
    builds again (the watcher used to die silently on the first such failure)."""
    metadata = tmp_path / "metadata"
    shutil.copytree(METADATA, metadata)
    record = metadata / "datasets" / "nrm-dtn-annual.yaml"
    original = record.read_text()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    with ServerProcess("--watch", "--metadata", str(metadata), "--out", str(tmp_path / "out")) as server:
        state_url = f"{server.url}/__preview/state"
        [builds] = _preview_folders(tmp)
        (builds / "build-2").write_text("in the way")
        record.write_text(original.replace('end of year summary"', 'end of year summary (first edit)"', 1))
        failed = _wait_for(state_url, lambda s: s["error"] != "")
        assert failed["generation"] == 1
        assert failed["error"].startswith("The build failed in preparing its folder: BuildRefused:"), failed
        assert "is a file" in failed["error"]
        assert "Traceback" not in failed["error"]
        assert httpx.get(f"{server.url}/dataset/nrm-dtn-annual/").status_code == 200

        (builds / "build-2").unlink()
        record.write_text(original.replace('end of year summary"', 'end of year summary (second edit)"', 1))
        _wait_for(state_url, lambda s: s["generation"] == 2 and s["error"] == "")
        assert "(second edit)" in httpx.get(f"{server.url}/dataset/nrm-dtn-annual/").text
        server.proc.terminate()
        output, _ = server.proc.communicate(timeout=30)
    assert "The build failed in preparing its folder: BuildRefused:" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
def test_the_preview_folder_is_removed_when_the_preview_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: signal.Signals
) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    with ServerProcess("--watch", "--out", str(tmp_path / "out")) as server:
        [builds] = _preview_folders(tmp)
        assert (builds / "build-1").is_dir()
        server.proc.send_signal(stop)
        server.proc.wait(timeout=30)
    assert _preview_folders(tmp) == []
