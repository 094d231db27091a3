"""The served app in-process, for what must hold on every answer: security headers, and a 4xx (never
a 500) for the hostile requests that once made one."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from catalogue.serve.app import create_app


@pytest.fixture(scope="module")
def client(served_outputs: Path) -> Iterator[httpx.AsyncClient]:
    """The server's app on the shared build (conftest.served_outputs)."""
    app = create_app(served_outputs)
    yield httpx.AsyncClient(transport=httpx.ASGITransport(app=app, raise_app_exceptions=False), base_url="http://t")
    app.close()


def _get(client: httpx.AsyncClient, method: str, url: str) -> httpx.Response:
    return asyncio.run(client.request(method, url))


@pytest.mark.parametrize(
    "url",
    [
        "/catalog.ttl",
        "/dataset/nrm-dtn-quarterly.jsonld",
        "/api/3/action/package_list",
        "/no-such-page",
        "/catalog.ttl?page=0",
    ],
)
def test_every_answer_carries_the_security_headers(client: httpx.AsyncClient, url: str) -> None:
    response = _get(client, "GET", url)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    "url",
    [
        "/catalog.ttl?page=%C2%B2",
        "/catalog.ttl?page=" + "1" * 4301,
        "/catalog.ttl?modified_since=9999-12-31T23:59:59-14:00",
        "/catalog.jsonld?modified_since=0000-01-01",
    ],
)
def test_hostile_paging_parameters_are_400(client: httpx.AsyncClient, url: str) -> None:
    assert _get(client, "GET", url).status_code == 400


def test_a_method_the_api_does_not_take_says_which_it_does(client: httpx.AsyncClient) -> None:
    response = _get(client, "DELETE", "/api/3/action/package_list")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST, OPTIONS"
