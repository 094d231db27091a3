"""`GET /api/compare?a=ID[:PERIOD[:BREAKDOWN]]&b=...`: the comparison as JSON in CKAN's envelope.

Why here and not in the Action API: the CKAN package may not import another output, and this is not a
CKAN action; catalogue/serve mounts this endpoint beside the site. The records come from the build's
registry.json (what the build validated), read once, on the first request, so a server that never
compares pays nothing. Every answer is the envelope: `{help, success: true, result}`, or
`{help, success: false, error: {__type, message}}` with 409 for a side that names nothing known (each
wrong side's message under its name, as CKAN's Validation Error gives fields) and 400 for a query that
is not one. Nothing a client sends can make it answer 500.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from catalogue.compare.engine import compare_text
from catalogue.compare.sides import MAX_SIDE, SideErrors
from catalogue.layout import BuildLayout
from catalogue.records.model import Agent, CatalogueInfo, Dataset
from catalogue.records.registry import Registry

PATH = "/api/compare"
HELP_PATH = "/guides/harvesters/#compare-two-sources-or-periods"
MAX_QUERY = 8192  # bytes: two sides of MAX_SIDE characters, even of 4-byte characters percent-encoded, fit


def registry_from_build(build: Path) -> Registry:
    """The registry the build validated, read back from its registry.json (validated again by the model)."""
    data = json.loads(BuildLayout(build).registry_json.read_text("utf-8"))
    return Registry(
        root=str(build),
        catalogue=CatalogueInfo.model_validate(data["catalogue"]),
        agents={key: Agent.model_validate(value) for key, value in data["agents"].items()},
        datasets={key: Dataset.model_validate(value) for key, value in data["datasets"].items()},
    )


def answer(registry: Registry, query: list[tuple[str, str]], help_url: str) -> tuple[int, dict[str, Any]]:
    """The status and envelope for a query's (name, value) pairs; the pure part of the endpoint."""

    def error(status: int, kind: str, message: str, fields: dict[str, list[str]] | None = None) -> tuple[int, Any]:
        body: dict[str, Any] = {**(fields or {}), "__type": kind, "message": message}
        return status, {"help": help_url, "success": False, "error": body}

    given: dict[str, list[str]] = {}
    for name, value in query:
        given.setdefault(name, []).append(value)
    problems = {}
    for name in ("a", "b"):
        values = given.get(name, [])
        if not values or not values[0].strip():
            problems[name] = ["Missing value"]
        elif len(values) > 1:
            problems[name] = [f"given {len(values)} times; give one side"]
        elif len(values[0]) > MAX_SIDE:
            problems[name] = [f"a side is at most {MAX_SIDE} characters; this one has {len(values[0])}"]
    if problems:
        return error(409, "Validation Error", _message(problems), problems)
    try:
        comparison = compare_text(registry, given["a"][0], given["b"][0])
    except SideErrors as exc:
        fields = {name: [message] for name, message in exc.problems.items()}
        return error(409, "Validation Error", _message(fields), fields)
    return 200, {"help": help_url, "success": True, "result": comparison.to_dict(registry)}


def _message(fields: dict[str, list[str]]) -> str:
    return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in fields.items())


def endpoint(build: Path) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint for `build`: reads the registry on first use (Starlette answers HEAD as GET)."""
    loaded: list[Registry] = []

    async def compare(request: Request) -> Response:
        help_url = f"{request.base_url}{HELP_PATH.lstrip('/')}"
        raw = request.scope.get("query_string", b"")
        if len(raw) > MAX_QUERY:
            status, body = (
                400,
                {
                    "help": help_url,
                    "success": False,
                    "error": {"__type": "Bad Request", "message": f"the query is over {MAX_QUERY} bytes"},
                },
            )
        else:
            if not loaded:
                loaded.append(registry_from_build(build))
            status, body = answer(loaded[0], list(request.query_params.multi_items()), help_url)
        return Response(orjson.dumps(body), status, media_type="application/json")

    return compare
