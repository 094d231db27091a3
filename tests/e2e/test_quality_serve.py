"""End-to-end: the metadata quality score as a real `catalogue serve` gives it, the report and the page box
agreeing with `catalogue quality --format json`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import METADATA, ROOT, ServerProcess

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("quality") / "build"
    with ServerProcess("--metadata", str(METADATA), "--out", str(out)) as running:
        yield running


def test_the_report_the_command_and_the_page_agree(server: ServerProcess, tmp_path: Path) -> None:
    response = httpx.get(f"{server.url}/quality.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    served = response.json()["datasets"]
    assert len(served) == len(list((METADATA / "datasets").glob("*.yaml")))
    command = subprocess.run(
        [sys.executable, "-m", "catalogue", "quality", "--format", "json", "--links", str(tmp_path / "none.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    by_command = json.loads(command.stdout)["datasets"]
    assert {key: item["total"] for key, item in by_command.items()} == {
        key: item["total"] for key, item in served.items()
    }
    total = served["nrm-dtn-quarterly"]["total"]
    page = httpx.get(f"{server.url}/dataset/nrm-dtn-quarterly/").text
    assert f"{total} of 405 ({served['nrm-dtn-quarterly']['rating']})" in page
    assert 'id="metadata-quality"' in page
