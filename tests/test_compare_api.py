"""GET /api/compare in process: the endpoint over a folder holding only the build's registry.json, in
Starlette as `catalogue serve` mounts it; every answer the CKAN envelope, bad input 409 or 400, never 500.
(tests/e2e/test_compare.py asks a real `catalogue serve`.)"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route

from catalogue.build import write_registry_json
from catalogue.ckan.openapi import openapi_document
from catalogue.compare import http
from catalogue.compare.engine import compare_text
from catalogue.records.registry import Registry


class Client:
    """The endpoint in Starlette, asked through httpx's ASGI transport (app exceptions come back as 500s)."""

    def __init__(self, app: Starlette) -> None:
        self.transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)

    def get(self, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
        async def fetch() -> httpx.Response:
            async with httpx.AsyncClient(transport=self.transport, base_url="http://t") as client:
                return await client.get(url, params=params)

        return asyncio.run(fetch())


@pytest.fixture(scope="module")
def client(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Client:
    build = tmp_path_factory.mktemp("compare-build")
    write_registry_json(registry, build)
    return Client(Starlette(routes=[Route(http.PATH, http.endpoint(build))]))


def test_a_comparison_in_the_envelope_as_the_engine_gives_it(client: Client, registry: Registry) -> None:
    a, b = "nrm-dtn-quarterly:2022:decision", "nrm-dtn-quarterly:2023:decision"
    response = client.get(http.PATH, params={"a": a, "b": b})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["success"] is True
    assert body["help"].endswith("/guides/harvesters/#compare-two-sources-or-periods")
    assert body["result"] == compare_text(registry, a, b).to_dict(registry)
    assert body["result"]["verdict"] == "not comparable"


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("", {"a": ["Missing value"], "b": ["Missing value"]}),
        ("a=nrm-dtn-annual", {"b": ["Missing value"]}),
        ("a=nrm-dtn-annual&b=", {"b": ["Missing value"]}),
        ("a=nrm-dtn-annual&a=nca-nrm-statistics&b=nrm-dtn-annual", {"a": ["given 2 times; give one side"]}),
        ("a=nrm-dtn-quartely&b=nrm-dtn-annual:2023-Q9", None),
        ("a=" + "x" * 201 + "&b=nrm-dtn-annual", {"a": ["a side is at most 200 characters; this one has 201"]}),
        ("a=%00%ff%3Cscript%3E&b=nrm-dtn-annual", None),
    ],
)
def test_bad_sides_are_a_validation_error_naming_each_side(
    client: Client, query: str, fields: dict[str, list[str]] | None
) -> None:
    response = client.get(f"{http.PATH}?{query}")
    assert response.status_code == 409
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    if fields is not None:
        assert {key: value for key, value in body["error"].items() if key not in ("__type", "message")} == fields
    else:
        assert "a" in body["error"]
    assert body["error"]["message"]


def test_the_misspelt_id_gets_a_suggestion(client: Client) -> None:
    body = client.get(http.PATH, params={"a": "nrm-dtn-quartely", "b": "nrm-dtn-annual:2023-Q9"}).json()
    assert body["error"]["a"] == ["no dataset 'nrm-dtn-quartely'; did you mean 'nrm-dtn-quarterly'?"]
    assert "'2023-Q9' is not a period" in body["error"]["b"][0]


def test_an_oversized_query_is_a_400_in_the_envelope(client: Client) -> None:
    response = client.get(f"{http.PATH}?a=nrm-dtn-annual&b=nrm-dtn-annual&pad={'x' * 9000}")
    assert response.status_code == 400
    assert response.json()["error"]["__type"] == "Bad Request"


def test_the_openapi_description_documents_the_endpoint() -> None:
    from openapi_spec_validator import validate

    document = openapi_document("t", "d")
    validate(document)  # type: ignore[arg-type]
    operation = document["paths"]["/api/compare"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"a", "b"}
    assert set(operation["responses"]) == {"200", "400", "409"}
    verdicts = operation["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["result"]
    assert verdicts["properties"]["verdict"]["enum"] == ["comparable", "comparable with care", "not comparable"]
