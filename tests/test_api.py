"""The Action API in-process (same app, no network): odd inputs never make a 500."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from catalogue.build import build
from catalogue.ckan.api import ActionApi
from catalogue.records.registry import Registry
from tests.conftest import build_steps

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
def client(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> httpx.AsyncClient:
    out = tmp_path_factory.mktemp("api") / "build"
    build(registry, out, steps=build_steps("registry.json", "CKAN dumps and search index"))
    app = ActionApi(Path(out))
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://testserver"
    )


def _statuses(client: httpx.AsyncClient, requests: list[tuple[str, str, dict[str, object]]]) -> list[tuple]:
    async def run() -> list[tuple]:
        found = []
        for method, action, params in requests:
            if method == "GET":
                response = await client.get(f"/api/3/action/{action}", params=params)  # type: ignore[arg-type]
            else:
                response = await client.post(f"/api/action/{action}", content=json.dumps(params))
            found.append((method, action, params, response.status_code, response.text[:200]))
        return found

    return asyncio.run(run())


def test_odd_query_strings_never_500(client: httpx.AsyncClient) -> None:
    requests = [("GET", action, {param: value}) for action in ACTIONS for param in PARAMS for value in ODD]
    failures = [r for r in _statuses(client, requests) if r[3] >= 500]
    assert failures == []


def test_odd_json_bodies_never_500(client: httpx.AsyncClient) -> None:
    requests = [("POST", action, {param: value}) for action in ACTIONS for param in PARAMS for value in ODD_JSON]
    failures = [r for r in _statuses(client, requests) if r[3] >= 500]
    assert failures == []


def test_every_response_is_json(client: httpx.AsyncClient) -> None:
    for _, _, _, status, text in _statuses(
        client, [("GET", "package_search", {"rows": "abc"}), ("GET", "nope", {}), ("GET", "package_show", {"id": "x"})]
    ):
        assert status in (400, 404, 409)
        json.loads(text)


def test_openapi_describes_every_action(client: httpx.AsyncClient, tmp_path_factory: pytest.TempPathFactory) -> None:
    from catalogue.ckan.api import ActionApi as Api
    from catalogue.ckan.openapi import ACTIONS, openapi_document

    app = client._transport.app  # type: ignore[attr-defined]
    assert isinstance(app, Api)
    assert set(app.actions) == set(ACTIONS)
    document = openapi_document("t", "d")
    assert {f"/api/3/action/{name}" for name in app.actions} <= set(document["paths"])


def test_built_openapi_is_valid(registry: Registry, tmp_path: Path) -> None:
    from openapi_spec_validator import validate

    build(registry, tmp_path / "out", steps=build_steps("CKAN dumps and search index"))
    validate(json.loads((tmp_path / "out" / "openapi.json").read_text()))
