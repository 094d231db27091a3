"""`catalogue linkcheck` against a local server on 127.0.0.1 that answers well and badly (no other host)."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
import yaml

from tests.conftest import DATA, free_port

pytestmark = pytest.mark.e2e


async def _app(scope, receive, send):  # type: ignore[no-untyped-def]
    """Answers by path: /ok 200, /moved -> /moved2 -> /ok, /missing 404, /error 500, /slow 5 s, /head-refused."""
    path, method = scope["path"], scope["method"]
    if path == "/slow":
        await asyncio.sleep(5)
    status, headers = {
        "/ok": (200, []),
        "/missing": (404, []),
        "/error": (500, []),
        "/slow": (200, []),
        "/moved": (301, [(b"location", b"/moved2")]),
        "/moved2": (301, [(b"location", b"/ok")]),
        "/head-refused": (405 if method == "HEAD" else 200, []),
    }.get(path, (404, []))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"x"})


@pytest.fixture(scope="module")
def local_site() -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(_app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    # a port that accepts connections and never answers
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    yield f"http://127.0.0.1:{port}|http://127.0.0.1:{silent.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    silent.close()


def test_linkcheck_reports_each_kind_of_answer(local_site: str, tmp_path: Path) -> None:
    base, silent = local_site.split("|")
    metadata = tmp_path / "metadata"
    shutil.copytree(DATA / "registry", metadata)
    for path in (metadata / "agents").glob("*.yaml"):
        agent = yaml.safe_load(path.read_text())
        agent["homepage"] = f"{base}/ok"
        path.write_text(yaml.safe_dump(agent))
    record = yaml.safe_load((DATA / "minimal-dataset.yaml").read_text())
    record["landing_page"] = f"{base}/moved"
    record["access"]["url"] = f"{base}/head-refused"
    record["sources"] = {
        name: {"title": name, "url": url, "accessed": "2026-11-25"}
        for name, url in [
            ("main", f"{base}/ok"),
            ("missing", f"{base}/missing"),
            ("error", f"{base}/error"),
            ("slow", f"{base}/slow"),
            ("silent", f"{silent}/never"),
        ]
    }
    record["contact_point"] = {"name": "x", "url": f"{base}/ok"}
    (metadata / "datasets" / "minimal.yaml").write_text(yaml.safe_dump(record, sort_keys=False))
    report = tmp_path / "links.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "catalogue",
            "linkcheck",
            "--metadata",
            str(metadata),
            "--report",
            str(report),
            "--timeout",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    found = {Path(r["url"]).name: r for r in json.loads(report.read_text())}
    assert found["ok"]["ok"]
    assert found["ok"]["status"] == 200
    assert found["moved"]["ok"]
    assert len(found["moved"]["redirects"]) == 2
    assert found["moved"]["final_url"].endswith("/ok")
    assert found["head-refused"]["ok"]
    assert found["head-refused"]["status"] == 200
    assert not found["missing"]["ok"]
    assert found["missing"]["status"] == 404
    assert not found["error"]["ok"]
    assert found["error"]["status"] == 500
    assert not found["slow"]["ok"]
    assert found["slow"]["error"] == "timed out"
    assert not found["never"]["ok"]
    assert found["never"]["error"] == "timed out"
    assert "minimal: sources.missing" in found["missing"]["used_in"]
    assert "redirected 2x" in result.stdout
    assert "BROKEN 404" in result.stdout
