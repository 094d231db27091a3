"""The Action API in-process (same app, no network): odd inputs never make a 500."""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from catalogue.ckan.api import ActionApi

ACTIONS = [
    "status_show",
    "site_read",
    "package_list",
    "package_show",
    "package_search",
    "current_package_list_with_resources",
    "resource_show",
    "organization_list",
    "organization_show",
    "group_list",
    "group_show",
    "tag_list",
    "license_list",
]
PARAMS = [
    "id",
    "q",
    "fq",
    "fq_list",
    "rows",
    "start",
    "sort",
    "facet",
    "facet.field",
    "facet.limit",
    "facet.mincount",
    "limit",
    "offset",
    "page",
    "all_fields",
    "include_datasets",
    "query",
    "organizations",
]
ODD = [
    "",
    "abc",
    "-1",
    "0",
    "1e400",
    "99999999999999999999999",
    "[",
    "[1]",
    '["organization", 3]',
    "null",
    "*:*",
    "\u0000",
    "é\u202e",
    "title:(",
    "[2024 TO",
    "true",
    "NOW-1DAY",
    "score desc, name",
]
ODD_JSON: list[object] = [None, True, -5, 10**30, 1.5, [], {}, ["a", {"b": 1}], {"x": [1]}, "x" * 5000]


@pytest.fixture(scope="module")
def client(served_outputs: Path) -> ActionApi:
    """The Action API app on the shared build (conftest.served_outputs); tests call it as an ASGI server would."""
    return ActionApi(served_outputs)


def _statuses(app: ActionApi, requests: list[tuple[str, str, dict[str, object]]]) -> list[tuple]:
    """(method, action, params, status, the body's first 200 characters) of each request, sent to `app` through
    the ASGI interface itself: httpx's ASGITransport costs ~1 ms a request in URL parsing and a failed `import
    sniffio`, four times the app's own work over the thousands of requests below. GET parameters go in the query
    string (urlencode), POST ones as a JSON body; an exception out of the app is a 500, as a server answers it."""

    async def one(method: str, path: str, query: bytes, body: bytes) -> tuple[int, str]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query,
            "root_path": "",
            "headers": [(b"host", b"testserver"), (b"content-length", str(len(body)).encode())],
            "server": ("testserver", 80),
            "client": ("127.0.0.1", 1234),
        }
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        status, chunks = 0, []

        async def receive() -> dict[str, Any]:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        try:
            await app(scope, receive, send)
        except Exception as error:  # a server turns it into a 500; so does this
            return 500, repr(error)
        return status or 500, b"".join(chunks).decode("utf-8", "replace")

    async def run() -> list[tuple]:
        found = []
        for method, action, params in requests:
            if method == "GET":
                status, text = await one("GET", f"/api/3/action/{action}", urlencode(params).encode(), b"")
            else:
                status, text = await one("POST", f"/api/action/{action}", b"", json.dumps(params).encode())
            found.append((method, action, params, status, text[:200]))
        return found

    return asyncio.run(run())


def test_odd_query_strings_never_500(client: ActionApi) -> None:
    requests = [("GET", action, {param: value}) for action in ACTIONS for param in PARAMS for value in ODD]
    failures = [r for r in _statuses(client, requests) if r[3] >= 500]
    assert failures == []


def test_odd_json_bodies_never_500(client: ActionApi) -> None:
    requests = [("POST", action, {param: value}) for action in ACTIONS for param in PARAMS for value in ODD_JSON]
    failures = [r for r in _statuses(client, requests) if r[3] >= 500]
    assert failures == []


def test_every_response_is_json(client: ActionApi) -> None:
    for _, _, _, status, text in _statuses(
        client, [("GET", "package_search", {"rows": "abc"}), ("GET", "nope", {}), ("GET", "package_show", {"id": "x"})]
    ):
        assert status in (400, 404, 409)
        json.loads(text)


def test_openapi_describes_every_action(client: ActionApi, tmp_path_factory: pytest.TempPathFactory) -> None:
    from catalogue.ckan.api import ActionApi as Api
    from catalogue.ckan.openapi import ACTIONS, openapi_document

    app = client
    assert isinstance(app, Api)
    assert set(app.actions) == set(ACTIONS)
    document = openapi_document("t", "d")
    assert {f"/api/3/action/{name}" for name in app.actions} <= set(document["paths"])


def test_built_openapi_is_valid(served_outputs: Path) -> None:
    from openapi_spec_validator import validate

    validate(json.loads((served_outputs / "openapi.json").read_text()))


def test_the_api_has_the_catalogues_title_and_description_for_status_show(client: ActionApi, registry: Any) -> None:
    """From ckan/site.json, which the server reads instead of parsing registry.json (470 MB at 10,000 records)."""
    [(_, _, _, status, _)] = _statuses(client, [("GET", "status_show", {})])
    assert status == 200
    answer = client.data
    assert (answer.site_title, answer.site_description) == (registry.catalogue.title, registry.catalogue.description)


def test_a_build_without_its_site_file_is_not_served_as_current(served_outputs: Path, tmp_path: Path) -> None:
    import shutil

    from catalogue.layout import BuildLayout

    copy = tmp_path / "build"
    shutil.copytree(served_outputs, copy)
    assert BuildLayout(copy).is_current() is None
    BuildLayout(copy).ckan_site.unlink()
    assert "no ckan/site.json" in (BuildLayout(copy).is_current() or "")
