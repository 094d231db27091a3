"""package_search in-process on a small fixed registry: each query gives exactly the datasets it should.

The registry is tests/data/registry (catalogue and three agents) plus six records made here from
tests/data/minimal-dataset.yaml, so the expected ids below never move when real records are added.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from typing import Any

import httpx
import pytest
import yaml

from catalogue.build import build
from catalogue.ckan.api import ActionApi
from catalogue.records.loader import load_registry
from catalogue.records.registry import content_hash
from tests.conftest import DATA, build_steps


def _distribution(fmt: str, media_type: str) -> dict[str, Any]:
    return {
        "title": f"Tables ({fmt})",
        "format": fmt,
        "media_type": media_type,
        "access_url": f"https://data.test/tables.{fmt.lower()}",
        "licence": "ogl-3",
        "sources": ["main"],
    }


HTML = _distribution("HTML", "text/html")
CSV = _distribution("CSV", "text/csv")
PDF = _distribution("PDF", "application/pdf")

# id: (changes to the minimal record, modified stamp)
RECORDS: dict[str, tuple[dict[str, Any], str]] = {
    "referrals-quarterly": (
        {
            "title": "Referrals of potential victims (quarterly)",
            "description": "Counts of referral decisions. Every source is an undercount of modern slavery.",
            "keywords": ["NRM", "referral"],
            "themes": ["nrm-and-duty-to-notify", "children"],
            "distributions": [HTML, CSV],
        },
        "2024-06-10T09:00:00.000000",
    ),
    "referrals-annual": (
        {
            "title": "End of year summary",
            "description": "The year's figures in one release.",
            "keywords": ["NRM"],
            "distributions": [HTML],
        },
        "2024-06-20T09:00:00.000000",
    ),
    "crime-figures": (
        {
            "title": "Recorded offences",
            "description": "Offences recorded by the police.",
            "keywords": ["crime"],
            "themes": ["crime-and-justice"],
            "distributions": [CSV],
        },
        "2024-05-01T09:00:00.000000",
    ),
    "ons-prevalence": (
        {
            "publisher": "ons",
            "title": "Prevalence estimates",
            "description": "Estimates that set the referral figures against survey data.",
            "keywords": ["prevalence"],
            "themes": ["prevalence-estimates"],
            "distributions": [PDF],
        },
        "2024-07-15T09:00:00.000000",
    ),
    "ons-children": (
        {
            "publisher": "ons",
            "title": "Child victims",
            "description": "What is known about children.",
            "keywords": ["children"],
            "themes": ["children"],
        },
        "2024-06-30T23:59:59.000000",
    ),
    "project-notes": (
        {
            "publisher": "msr-project",
            "title": "Notes on the sources",
            "description": "How the registry reads each source.",
            "keywords": ["NRM"],
            "themes": ["oversight-and-reports"],
            "distributions": [PDF],
        },
        "2024-08-01T00:00:00.000000",
    ),
}
ALL = sorted(RECORDS)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> httpx.AsyncClient:
    work = tmp_path_factory.mktemp("search")
    metadata = work / "metadata"
    shutil.copytree(DATA / "registry", metadata)
    minimal = yaml.safe_load((DATA / "minimal-dataset.yaml").read_text(encoding="utf-8"))
    for key, (changes, _) in RECORDS.items():
        record = {**minimal, **changes, "id": key}
        (metadata / "datasets" / f"{key}.yaml").write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
    unstamped = load_registry(metadata, check_stamps=False)
    stamps = {
        key: {"created": "2024-01-01T00:00:00.000000", "modified": RECORDS[key][1], "hash": content_hash(dataset)}
        for key, dataset in unstamped.datasets.items()
    }
    (metadata / "stamps.json").write_text(json.dumps(stamps, indent=1), encoding="utf-8")
    registry = load_registry(metadata)
    assert sorted(registry.datasets) == ALL
    out = work / "build"
    build(registry, out, steps=build_steps("registry.json", "CKAN dumps and search index"))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=ActionApi(out)), base_url="http://testserver")


def _search(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    async def run() -> httpx.Response:
        return await client.get("/api/3/action/package_search", params=params)

    response = asyncio.run(run())
    assert response.status_code == 200, response.text
    return dict(response.json()["result"])


QUERIES: list[tuple[dict[str, str], list[str]]] = [
    ({}, ALL),
    ({"q": "*:*"}, ALL),
    ({"q": "undercount"}, ["referrals-quarterly"]),
    ({"q": "referral"}, ["ons-prevalence", "referrals-quarterly"]),
    ({"q": "referral AND NOT organization:home-office"}, ["ons-prevalence"]),
    ({"q": "referral", "fq": "-organization:home-office"}, ["ons-prevalence"]),
    ({"q": '"end of year summary"'}, ["referrals-annual"]),
    ({"q": "title:offences"}, ["crime-figures"]),
    ({"fq": "organization:home-office"}, ["crime-figures", "referrals-annual", "referrals-quarterly"]),
    ({"fq": "-organization:home-office"}, ["ons-children", "ons-prevalence", "project-notes"]),
    ({"fq": "organization:ons OR organization:msr-project"}, ["ons-children", "ons-prevalence", "project-notes"]),
    ({"fq": "groups:children"}, ["ons-children", "referrals-quarterly"]),
    ({"fq": "+groups:children"}, ["ons-children", "referrals-quarterly"]),
    ({"fq": "tags:NRM"}, ["project-notes", "referrals-annual", "referrals-quarterly"]),
    ({"fq": "tags:NRM res_format:HTML"}, ["referrals-annual", "referrals-quarterly"]),
    ({"fq": "tags:NRM AND NOT res_format:HTML"}, ["project-notes"]),
    ({"fq": "res_format:CSV"}, ["crime-figures", "referrals-quarterly"]),
    ({"fq": "res_format:PDF organization:ons"}, ["ons-prevalence"]),
    (
        {"fq": "metadata_modified:[2024-06-01T00:00:00Z TO 2024-06-30T23:59:59Z]"},
        ["ons-children", "referrals-annual", "referrals-quarterly"],
    ),
    ({"fq": "metadata_modified:[2024-07-01T00:00:00Z TO *]"}, ["ons-prevalence", "project-notes"]),
    ({"fq": "metadata_modified:[* TO 2024-05-31T00:00:00Z]"}, ["crime-figures"]),
    ({"fq": "metadata_modified:[2030-01-01T00:00:00Z TO *]"}, []),
    (
        {"fq": "organization:ons OR organization:msr-project metadata_modified:[2024-07-01T00:00:00Z TO *]"},
        ["ons-prevalence", "project-notes"],
    ),
    ({"q": "nosuchword"}, []),
]


@pytest.mark.parametrize(("params", "expected"), QUERIES, ids=[json.dumps(p) for p, _ in QUERIES])
def test_search_finds_exactly(client: httpx.AsyncClient, params: dict[str, str], expected: list[str]) -> None:
    result = _search(client, rows="1000", sort="name asc", **params)
    assert [d["name"] for d in result["results"]] == expected
    assert result["count"] == len(expected)


def test_rows_and_start_page_through_the_count(client: httpx.AsyncClient) -> None:
    pages = [_search(client, rows="4", start=str(start), sort="name asc") for start in (0, 4, 8)]
    assert [[d["name"] for d in page["results"]] for page in pages] == [ALL[:4], ALL[4:], []]
    assert [page["count"] for page in pages] == [6, 6, 6]


def test_newest_change_first(client: httpx.AsyncClient) -> None:
    result = _search(client, rows="3", sort="metadata_modified desc")
    assert [d["name"] for d in result["results"]] == ["project-notes", "ons-prevalence", "ons-children"]


def test_facets_count_exactly(client: httpx.AsyncClient) -> None:
    result = _search(client, rows="0", **{"facet.field": '["organization", "res_format", "groups"]'})
    assert result["results"] == []
    assert result["facets"]["organization"] == {"home-office": 3, "ons": 2, "msr-project": 1}
    assert result["facets"]["res_format"] == {"HTML": 2, "CSV": 2, "PDF": 2}
    assert result["facets"]["groups"] == {
        "children": 2,
        "nrm-and-duty-to-notify": 2,
        "crime-and-justice": 1,
        "prevalence-estimates": 1,
        "oversight-and-reports": 1,
    }
