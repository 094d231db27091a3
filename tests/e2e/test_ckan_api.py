"""End-to-end: the CKAN Action API of a real `catalogue serve`, through ckanapi and httpx."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import ckanapi
import httpx
import pytest

from catalogue.records.loader import load_registry
from tests.benchmarks.synthetic import make_registry
from tests.conftest import METADATA, ServerProcess

pytestmark = pytest.mark.e2e
SYNTHETIC = 230
SHIPPED = load_registry(METADATA).datasets
HOME_OFFICE = SYNTHETIC + sum(1 for d in SHIPPED.values() if d.publisher == "home-office")
OTHERS = {d.publisher for d in SHIPPED.values()} - {"home-office"}


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("ckan")
    make_registry(work / "metadata", SYNTHETIC, keep_shipped=True)
    return work


@pytest.fixture(scope="module")
def server(work: Path) -> Iterator[ServerProcess]:
    with ServerProcess("--metadata", str(work / "metadata"), "--out", str(work / "build")) as running:
        yield running


@pytest.fixture(scope="module")
def ckan(server: ServerProcess) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(server.url)


def assert_ckan_error(response: httpx.Response, status: int, kind: str) -> dict[str, Any]:
    """Check CKAN's error envelope: status, {help, success: false, error: {__type, ...}}."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json;charset=utf-8"
    body = response.json()
    assert body["success"] is False
    assert body["help"].endswith("/api/3/action/help_show?name=" + response.url.path.rsplit("/", 1)[-1])
    assert body["error"]["__type"] == kind
    return dict(body["error"])


def _action(server: ServerProcess, name: str, **params: Any) -> httpx.Response:
    return httpx.get(f"{server.url}/api/3/action/{name}", params=params)


def _searchable_text(base: str, name: str) -> str:
    """What CKAN's Solr schema copies into `text` for one package, read from its package_show: title, summary,
    notes, tags, organization and group titles, and the caveats' titles and texts (our index adds the caveats)."""
    package = httpx.get(f"{base}/api/3/action/package_show", params={"id": name}).json()["result"]
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    caveats = json.loads(extras.get("caveats") or "[]")
    return "\n".join(
        [
            package["title"],
            extras.get("summary") or "",
            package["notes"] or "",
            *(tag["name"] for tag in package["tags"]),
            package["organization"]["title"],
            *(group["title"] for group in package["groups"]),
            *(f"{caveat.get('title') or ''}\n{caveat.get('text') or ''}" for caveat in caveats),
        ]
    )


def test_ckanapi_dump_matches_the_records(server: ServerProcess, work: Path, tmp_path: Path) -> None:
    out = tmp_path / "dump.jsonl"
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("ckanapi")),
            "dump",
            "datasets",
            "--all",
            "-r",
            server.url,
            "-O",
            str(out),
            "-q",
            "-p",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
    )
    assert result.returncode == 0, result.stderr
    dumped = {d["name"]: d for d in map(json.loads, out.read_text().splitlines())}
    shipped = {
        d["name"]: d for d in map(json.loads, (work / "build" / "ckan" / "datasets.jsonl").read_text().splitlines())
    }
    assert dumped == shipped
    assert "nrm-dtn-quarterly" in dumped
    assert len(dumped) == SYNTHETIC + len(SHIPPED)
    quarterly = dumped["nrm-dtn-quarterly"]
    assert quarterly["organization"]["name"] == "home-office"
    assert quarterly["frequency"] == "http://publications.europa.eu/resource/authority/frequency/QUARTERLY"
    caveats = json.loads(next(e["value"] for e in quarterly["extras"] if e["key"] == "caveats"))
    assert any(c["breaks_comparability"] for c in caveats)


def _harvest(base: str, fq_terms: list[str]) -> list[dict[str, Any]]:
    """Replay ckanext-harvest's CKANHarvester gather stage: GET package_search pages of 100, sorted by id,
    until an empty page; fail as it does if two pages are identical."""
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    previous = None
    start = 0
    while True:
        params = {"rows": "100", "start": str(start), "sort": "id asc"}
        if fq_terms:
            params["fq"] = " ".join(fq_terms)
        response = httpx.get(f"{base}/api/3/action/package_search", params=params)
        assert response.status_code == 200, response.text
        assert response.text != previous, "The paging doesn't seem to work"
        previous = response.text
        results = response.json()["result"]["results"]
        if not results:
            return found
        for dataset in results:
            if dataset["id"] not in seen:
                seen.add(dataset["id"])
                found.append(dataset)
        start += 100


def test_harvester_full_then_incremental(work: Path, tmp_path: Path) -> None:
    copy = tmp_path / "metadata"
    shutil.copytree(work / "metadata", copy)
    with ServerProcess("--metadata", str(copy), "--out", str(tmp_path / "b1")) as first:
        full = _harvest(first.url, [])
    assert len(full) == len({d["id"] for d in full}) == SYNTHETIC + len(SHIPPED)
    assert [d["id"] for d in full] == sorted(d["id"] for d in full)
    gather_started = datetime.now(UTC)

    record = copy / "datasets" / "nrm-dtn-annual.yaml"
    record.write_text(record.read_text().replace('title: "Modern Slavery:', 'title: "Modern slavery:', 1))
    stamped = subprocess.run(
        [sys.executable, "-m", "catalogue", "stamp", "--metadata", str(copy)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "1 changed" in stamped.stdout, stamped.stdout + stamped.stderr
    with ServerProcess("--metadata", str(copy), "--out", str(tmp_path / "b2")) as second:
        since = (gather_started - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
        changed = _harvest(second.url, [f"metadata_modified:[{since}Z TO *]"])
        again = _harvest(second.url, [])
    assert [d["name"] for d in changed] == ["nrm-dtn-annual"]
    before = {d["name"]: d["metadata_modified"] for d in full}
    after = {d["name"]: d["metadata_modified"] for d in again}
    assert {name for name in after if after[name] != before[name]} == {"nrm-dtn-annual"}
    assert after["nrm-dtn-annual"] > before["nrm-dtn-annual"]


def test_organization_filter_as_the_harvester_sends_it(server: ServerProcess) -> None:
    found = _harvest(server.url, ["organization:nca OR organization:ons"])
    assert sorted(d["name"] for d in found) == sorted(k for k, d in SHIPPED.items() if d.publisher in ("nca", "ons"))
    excluded = _harvest(server.url, ["-organization:home-office"])
    assert {d["organization"]["name"] for d in excluded} == OTHERS


def test_ckanapi_raises_ckan_exceptions(ckan: ckanapi.RemoteCKAN) -> None:
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="no-such-dataset")
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_search(rows="abc")
    with pytest.raises(ckanapi.SearchQueryError):
        ckan.action.package_search(q="title:(")
    with pytest.raises(ckanapi.NotAuthorized):
        ckan.action.package_create(name="x")
    with pytest.raises(ckanapi.errors.CKANAPIError):
        ckan.call_action("no_such_action")


def test_package_show_by_name_and_by_id(ckan: ckanapi.RemoteCKAN) -> None:
    by_name = ckan.action.package_show(id="nrm-dtn-quarterly")
    assert ckan.action.package_show(id=by_name["id"]) == by_name
    assert by_name["num_resources"] == len(by_name["resources"])
    assert by_name["num_tags"] == len(by_name["tags"])
    resource = ckan.action.resource_show(id=by_name["resources"][0]["id"])
    assert resource["package_id"] == by_name["id"]


def test_package_search_ranks_text_and_counts(ckan: ckanapi.RemoteCKAN) -> None:
    # every shipped record that says "undercount" (or "undercounts") matches, and no synthetic copy does (they copy
    # nrm-dtn-annual, which does not say it); BM25 puts the records with a caveat titled with the word (short fields,
    # a heading about exactly that) above those that mention it once in a longer passage
    said = {name: _searchable_text(ckan.address, name) for name in SHIPPED}
    mentions = {name for name, words in said.items() if re.search(r"\bundercounts?\b", words, re.IGNORECASE)}
    titled = {name for name in mentions if any("undercount" in c.title.lower() for c in SHIPPED[name].caveats)}
    # both kinds, or the ranking below tests nothing
    assert titled, mentions
    assert mentions - titled, mentions
    result = ckan.action.package_search(q="undercount", rows=len(mentions) + 1)
    names = [d["name"] for d in result["results"]]
    assert result["count"] == len(names) == len(mentions)
    assert set(names[: len(titled)]) == titled
    assert set(names[len(titled) :]) == mentions - titled
    phrase = ckan.action.package_search(q='"end of year summary"', fq="organization:home-office")
    assert [d["name"] for d in phrase["results"]][:1] == ["nrm-dtn-annual"]
    everything = ckan.action.package_search(rows=0)
    assert everything["count"] == SYNTHETIC + len(SHIPPED)
    assert everything["results"] == []


def test_package_search_facets(ckan: ckanapi.RemoteCKAN) -> None:
    result = ckan.action.package_search(
        **{"facet.field": json.dumps(["organization", "res_format"]), "facet.limit": 2, "facet.mincount": 1, "rows": 0}
    )
    organizations = result["search_facets"]["organization"]["items"]
    assert organizations[0] == {"name": "home-office", "display_name": "Home Office", "count": HOME_OFFICE}
    assert len(organizations) == 2
    assert result["facets"]["organization"]["home-office"] == HOME_OFFICE


def test_package_search_sorts_and_pages(server: ServerProcess) -> None:
    names: list[str] = []
    for start in (0, 100, 200, 300):
        page = _action(server, "package_search", rows=100, start=start, sort="name asc").json()["result"]
        names.extend(d["name"] for d in page["results"])
    assert names == sorted(names)
    assert len(names) == SYNTHETIC + len(SHIPPED)
    newest = _action(server, "package_search", rows=3, sort="metadata_modified desc").json()["result"]["results"]
    assert [d["metadata_modified"] for d in newest] == sorted((d["metadata_modified"] for d in newest), reverse=True)
    assert _action(server, "package_search", start=10_000).json()["result"]["results"] == []


def test_rows_above_the_maximum_are_capped(server: ServerProcess) -> None:
    result = _action(server, "package_search", rows=5000).json()["result"]
    assert len(result["results"]) == min(1000, SYNTHETIC + len(SHIPPED))


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"rows": "abc"}, "rows", "Invalid integer"),
        ({"rows": "-1"}, "rows", "Must be a natural number"),
        ({"start": "x"}, "start", "Invalid integer"),
        ({"facet.field": "[not json"}, "facet.field", "Could not parse as valid JSON"),
    ],
)
def test_bad_search_parameters_are_validation_errors(
    server: ServerProcess, params: dict[str, str], field: str, message: str
) -> None:
    error = assert_ckan_error(_action(server, "package_search", **params), 409, "Validation Error")
    assert error[field] == [message]


@pytest.mark.parametrize(
    "q",
    [
        "title:(",
        '"unclosed',
        "metadata_modified:[2024 TO",
        "nosuchfield:x",
        "metadata_modified:[yesterday TO *]",
        "AND",
    ],
)
def test_unparseable_queries_are_search_query_errors(server: ServerProcess, q: str) -> None:
    error = assert_ckan_error(_action(server, "package_search", q=q), 400, "Search Query Error")
    assert error["message"].startswith("Search Query is invalid")


def test_bad_sort_is_a_search_error(server: ServerProcess) -> None:
    assert_ckan_error(_action(server, "package_search", sort="colour asc"), 409, "Search Error")


def test_solr_syntax_harvesters_send(server: ServerProcess) -> None:
    def count(**params: str) -> int:
        return int(_action(server, "package_search", rows=0, **params).json()["result"]["count"])

    def names(**params: str) -> list[str]:
        result = _action(server, "package_search", rows=1000, sort="name asc", **params).json()["result"]
        found = [d["name"] for d in result["results"]]
        assert result["count"] == len(found)
        return found

    total = SYNTHETIC + len(SHIPPED)
    assert count(q="*:*") == total
    assert count(fq="organization:home-office") == HOME_OFFICE
    assert count(fq="-organization:home-office") == total - HOME_OFFICE
    assert count(fq="organization:nca OR organization:ons") == sum(
        1 for d in SHIPPED.values() if d.publisher in ("nca", "ons")
    )
    # the synthetic records are Home Office copies of nrm-dtn-annual: these are the shipped records whose searchable
    # text says "referral" or "referrals" (the stem; "referred" is another one), read from their package_show
    others = [name for name, d in SHIPPED.items() if d.publisher != "home-office"]
    saying = sorted(
        name for name in others if re.search(r"\breferrals?\b", _searchable_text(server.url, name), re.IGNORECASE)
    )
    assert "ukds-nrm-dtn-8910" in saying  # some do, some do not
    assert len(saying) < len(others)
    assert names(q="referral AND NOT organization:home-office", fq="") == saying
    children = sorted(k for k, d in SHIPPED.items() if "children" in d.themes)
    assert names(fq="groups:children") == names(fq="+groups:children") == children
    # two filters, both narrowing: records tagged NRM that offer a CSV (not every NRM record does)
    nrm = [k for k, d in SHIPPED.items() if "NRM" in d.keywords]
    nrm_csv = sorted(k for k in nrm if any(r.format == "CSV" for r in SHIPPED[k].distributions))
    assert "nrm-dtn-annual" in nrm_csv  # so each synthetic copy of it matches too
    assert len(nrm_csv) < len(nrm)
    assert count(fq="tags:NRM res_format:CSV") == SYNTHETIC + len(nrm_csv)
    # make_registry stamps every record (shipped and synthetic) as modified in June 2024
    assert count(fq="metadata_modified:[2024-06-01T00:00:00Z TO 2024-06-30T23:59:59Z]") == total
    assert count(fq="metadata_modified:[2030-01-01T00:00:00Z TO *]") == 0


def test_lists_and_shows(ckan: ckanapi.RemoteCKAN) -> None:
    names = sorted([*SHIPPED, *(f"synthetic-{i:05d}" for i in range(SYNTHETIC))])
    assert ckan.action.package_list(limit=2, offset=1) == names[1:3]
    agents = load_registry(METADATA).agents
    assert sorted(ckan.action.organization_list()) == sorted(agents)
    assert "uk-data-service" in agents
    # with all_fields CKAN caps the list at ckan.group_and_organization_list_all_fields_max (25), sorted by title
    by_title = sorted(agents, key=lambda agent_id: agents[agent_id].name.lower())
    assert len(by_title) > 25  # so the cap is tested
    organizations = ckan.action.organization_list(all_fields=True)
    assert [o["name"] for o in organizations] == by_title[:25]
    assert [o["name"] for o in ckan.action.organization_list(all_fields=True, offset=25)] == by_title[25:]
    home = ckan.action.organization_show(id="home-office", include_datasets=True)
    assert home["package_count"] == HOME_OFFICE
    assert len(home["packages"]) == 10
    assert "children" in ckan.action.group_list()
    assert ckan.action.group_show(id="children")["title"] == "Children"
    assert "NRM" in ckan.action.tag_list()
    found = ckan.action.tag_list(query="referral")
    assert {"National Referral Mechanism", "referral"} <= set(found)
    assert all("referral" in tag.lower() for tag in found)
    assert found == sorted(found)
    assert {lic["id"] for lic in ckan.action.license_list()} >= {"uk-ogl", "notspecified"}
    recent = ckan.action.current_package_list_with_resources(limit=3)
    assert len(recent) == 3
    assert all("resources" in d for d in recent)
    assert ckan.action.status_show()["ckan_version"] == "2.11.6"
    assert ckan.action.site_read() is True


def test_get_and_post_both_work(server: ServerProcess) -> None:
    for prefix in ("/api/3/action", "/api/action"):
        got = httpx.get(f"{server.url}{prefix}/package_show", params={"id": "nrm-dtn-annual"}).json()
        posted = httpx.post(f"{server.url}{prefix}/package_show", json={"id": "nrm-dtn-annual"}).json()
        assert got["result"] == posted["result"]
        assert got["success"] is True


def test_malformed_json_and_unknown_actions_are_bare_400_strings(server: ServerProcess) -> None:
    bad = httpx.post(
        f"{server.url}/api/3/action/package_show", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert bad.status_code == 400
    assert bad.json().startswith("Bad request - JSON Error")
    unknown = httpx.get(f"{server.url}/api/3/action/frobnicate")
    assert unknown.status_code == 400
    assert unknown.json() == "Bad request - Action name not known: frobnicate"


def test_write_actions_are_forbidden(server: ServerProcess) -> None:
    for action in (
        "package_create",
        "package_update",
        "package_patch",
        "package_delete",
        "organization_create",
        "resource_create",
        "dataset_purge",
        "bulk_update_delete",
    ):
        response = httpx.post(f"{server.url}/api/3/action/{action}", json={"name": "x"})
        assert_ckan_error(response, 403, "Authorization Error")


def test_missing_ids_are_errors(server: ServerProcess) -> None:
    assert_ckan_error(_action(server, "package_show"), 409, "Validation Error")
    assert_ckan_error(_action(server, "resource_show", id="nope"), 404, "Not Found Error")
    assert_ckan_error(_action(server, "organization_show", id="nope"), 404, "Not Found Error")
    assert_ckan_error(_action(server, "group_show", id="nope"), 404, "Not Found Error")


def test_cors_is_open_for_get(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/api/3/action/status_show", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
