"""End-to-end: HTTP caching on a real `catalogue serve` (catalogue/serve/caching.py), and `--workers`.

Every kind of answer carries a strong validator and Last-Modified, a matching If-None-Match or
If-Modified-Since gets 304 without a body, Cache-Control fits the kind, and HEAD has GET's headers.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx
import pytest

from catalogue.serve.caching import API, IMMUTABLE, NO_STORE, REVALIDATE
from tests.conftest import ROOT, ServerProcess

pytestmark = pytest.mark.e2e
DATASET = "nrm-dtn-quarterly"
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("caching") / "build"


@pytest.fixture(scope="module")
def server(out: Path) -> Iterator[ServerProcess]:
    with ServerProcess("--out", str(out)) as running:
        yield running


def _asset(server: ServerProcess) -> str:
    page = httpx.get(f"{server.url}/", headers=IDENTITY).text
    found = re.search(r'src="(?:\./)?(assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"', page)
    assert found, "the theme's hashed bundle is linked from the home page"
    return "/" + found.group(1)


# (path, extra request headers, the Cache-Control the answer must carry)
KINDS = [
    ("/", {}, REVALIDATE),  # a site page
    (f"/dataset/{DATASET}/", {}, REVALIDATE),
    ("/changes.atom", {}, REVALIDATE),
    ("/releases.ics", {}, REVALIDATE),
    ("/ckan/datasets.jsonl", {}, REVALIDATE),
    ("/download/catalog.ttl", {}, REVALIDATE),
    (f"/dataset/{DATASET}.ttl", {}, REVALIDATE),
    (f"/dataset/{DATASET}", {"Accept": "application/ld+json"}, REVALIDATE),
    ("/catalog.ttl", {}, REVALIDATE),  # a DCAT page, computed per request
    ("/catalog.jsonld?page=1&modified_since=2020-01-01", {}, REVALIDATE),
    ("/catalog", {"Accept": "application/rdf+xml"}, REVALIDATE),
    (f"/api/3/action/package_show?id={DATASET}", {}, API),
    ("/api/action/package_list", {}, API),
]


@pytest.mark.parametrize(("path", "headers", "control"), KINDS, ids=[k[0] + str(k[1]) for k in KINDS])
def test_validators_304_and_cache_control(
    server: ServerProcess, path: str, headers: dict[str, str], control: str
) -> None:
    url = server.url + path
    first = httpx.get(url, headers={**headers, **IDENTITY})
    assert first.status_code == 200, first.text[:300]
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag), f"a strong tag: {etag}"
    parsedate_to_datetime(modified)
    assert first.headers["cache-control"] == control
    assert httpx.get(url, headers={**headers, **IDENTITY}).headers["etag"] == etag, "the same bytes, the same tag"

    again = httpx.get(url, headers={**headers, **IDENTITY, "If-None-Match": f'"nope", {etag}'})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    assert again.headers["cache-control"] == control
    stale = httpx.get(url, headers={**headers, **IDENTITY, "If-None-Match": '"0123"'})
    assert (stale.status_code, stale.content) == (200, first.content)

    since = httpx.get(url, headers={**headers, **IDENTITY, "If-Modified-Since": modified})
    assert (since.status_code, since.content) == (304, b"")
    before = httpx.get(url, headers={**headers, **IDENTITY, "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert before.status_code == 200
    garbled = httpx.get(url, headers={**headers, **IDENTITY, "If-Modified-Since": "yesterday-ish"})
    assert garbled.status_code == 200, "an unreadable date is ignored, never a 500"

    head = httpx.head(url, headers={**headers, **IDENTITY})
    assert (head.status_code, head.content) == (200, b"")
    for name in ("etag", "last-modified", "cache-control", "content-type"):
        assert head.headers[name] == first.headers[name], name
    if "content-length" in head.headers:
        assert int(head.headers["content-length"]) == len(first.content)


def test_hashed_assets_are_immutable(server: ServerProcess) -> None:
    url = server.url + _asset(server)
    answer = httpx.get(url, headers=IDENTITY)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == IMMUTABLE
    assert httpx.get(url, headers={**IDENTITY, "If-None-Match": answer.headers["etag"]}).status_code == 304
    # our own scripts have no hash in their names: they may change at the next build
    own = httpx.get(f"{server.url}/javascripts/finder.js", headers=IDENTITY)
    assert (own.status_code, own.headers["cache-control"]) == (200, REVALIDATE)


def test_a_compressed_answer_has_a_tag_of_its_own(server: ServerProcess) -> None:
    for path in ("/", "/catalog.ttl", f"/dataset/{DATASET}.ttl"):
        plain = httpx.get(server.url + path, headers=IDENTITY).headers["etag"]
        zipped = httpx.get(server.url + path, headers={"Accept-Encoding": "gzip"})
        if zipped.headers.get("content-encoding") != "gzip":
            pytest.skip("the server does not compress (no gzip middleware)")
        tag = zipped.headers["etag"]
        assert tag != plain, path
        assert re.fullmatch(r'"[0-9a-f]{32}-gzip"', tag), tag
        again = httpx.get(server.url + path, headers={"Accept-Encoding": "gzip", "If-None-Match": tag})
        assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag), path


def test_errors_and_posts_are_not_kept(server: ServerProcess) -> None:
    missing = httpx.get(f"{server.url}/no-such-page/")
    assert (missing.status_code, missing.headers["cache-control"]) == (404, NO_STORE)
    bad = httpx.get(f"{server.url}/catalog.ttl?page=0")
    assert (bad.status_code, bad.headers["cache-control"]) == (400, NO_STORE)
    posted = httpx.post(f"{server.url}/api/3/action/package_list", json={})
    assert (posted.status_code, posted.headers["cache-control"]) == (200, NO_STORE)
    assert httpx.get(f"{server.url}/nginx/server.conf").status_code == 404, "the nginx configuration is not served"
    assert httpx.get(f"{server.url}/dcat/index.json").status_code == 404
    assert httpx.get(f"{server.url}/.catalogue-build").status_code == 404


def test_head_everywhere(server: ServerProcess) -> None:
    for path in ("/", "/finder/", "/openapi.json", "/registry.json", "/catalog.ttl", "/api/3/action/status_show"):
        head = httpx.head(server.url + path, headers=IDENTITY)
        get = httpx.get(server.url + path, headers=IDENTITY)
        assert (head.status_code, head.content) == (200, b""), path
        assert head.headers["etag"] == get.headers["etag"], path


def test_tags_survive_a_rebuild_with_the_same_records(server: ServerProcess, out: Path) -> None:
    """The tag is a hash of the bytes, so a rebuild (every file rewritten) leaves clients' copies current."""
    paths = ["/", f"/dataset/{DATASET}/", f"/dataset/{DATASET}.ttl", "/changes.atom"]
    before = {path: httpx.get(server.url + path, headers=IDENTITY).headers for path in paths}
    built = subprocess.run(
        [sys.executable, "-m", "catalogue", "build", "--out", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr
    for path in paths:
        after = httpx.get(server.url + path, headers={**IDENTITY, "If-None-Match": before[path]["etag"]})
        assert after.status_code == 304, path


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def test_workers_share_the_port(tmp_path: Path) -> None:
    with ServerProcess("--out", str(tmp_path / "build"), "--workers", "2") as running:
        commands = [Path(f"/proc/{child}/cmdline").read_bytes() for child in _children(running.proc.pid)]
        workers = [command for command in commands if b"spawn_main" in command]  # uvicorn's worker processes
        assert len(workers) == 2, commands
        tags = set()
        for _ in range(12):
            with httpx.Client(headers=IDENTITY) as client:  # a new connection each time
                answer = client.get(f"{running.url}/dataset/{DATASET}.ttl")
                assert answer.status_code == 200
                tags.add(answer.headers["etag"])
        assert len(tags) == 1, "every worker gives the same file the same tag"


def test_workers_and_watch_do_not_mix() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "catalogue", "serve", "--watch", "--workers", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "--watch serves from one process" in result.stderr
    assert "Traceback" not in result.stderr


def test_workers_die_with_the_supervisor(tmp_path: Path) -> None:
    """kill -9 of `serve --workers` leaves no worker holding the port."""
    import os
    import signal
    import time

    with ServerProcess("--out", str(tmp_path / "build"), "--workers", "2") as running:
        workers = [c for c in _children(running.proc.pid) if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
        assert len(workers) == 2
        os.kill(running.proc.pid, signal.SIGKILL)
        running.proc.wait(timeout=10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
            time.sleep(0.05)
        alive = [pid for pid in workers if Path(f"/proc/{pid}").exists() and b"zombie" not in _state(pid)]
        assert not alive, "workers outlived their supervisor"
        with pytest.raises(httpx.TransportError):
            httpx.get(running.url + "/", timeout=2)


def _state(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/status").read_bytes()
    except OSError:
        return b"zombie"


def test_the_live_preview_is_always_revalidated(tmp_path: Path) -> None:
    """serve --watch changes at every save: no answer may be kept without asking (a page's edited script
    stayed stale for the five minutes a served build allows)."""
    with ServerProcess("--out", str(tmp_path / "build"), "--watch") as running:
        for path in ("/", "/javascripts/finder.js", "/catalog.ttl", "/api/3/action/package_list"):
            answer = httpx.get(running.url + path, headers=IDENTITY)
            assert answer.headers["cache-control"] == "no-cache", path
            again = httpx.get(running.url + path, headers={**IDENTITY, "If-None-Match": answer.headers["etag"]})
            assert again.status_code == 304, path


def test_compare_is_an_api_answer(server: ServerProcess) -> None:
    url = f"{server.url}/api/compare?a=nrm-dtn-quarterly&b=nrm-dtn-annual"
    get = httpx.get(url, headers=IDENTITY)
    assert (get.status_code, get.headers["cache-control"]) == (200, API)
    head = httpx.head(url, headers=IDENTITY)
    assert (head.status_code, head.content, head.headers["etag"]) == (200, b"", get.headers["etag"])
    assert httpx.get(url, headers={**IDENTITY, "If-None-Match": get.headers["etag"]}).status_code == 304
