"""End-to-end: every DCAT endpoint of a real `catalogue serve`, fetched with httpx."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from tests.benchmarks.synthetic import make_registry
from tests.conftest import ServerProcess

pytestmark = pytest.mark.e2e
HYDRA = "http://www.w3.org/ns/hydra/core#"
DCAT = "http://www.w3.org/ns/dcat#"
COUNT = 250  # three pages of 100


@pytest.fixture(scope="module")
def metadata(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_registry(tmp_path_factory.mktemp("serve") / "metadata", COUNT)


@pytest.fixture(scope="module")
def server(metadata: Path) -> Iterator[ServerProcess]:
    with ServerProcess("--metadata", str(metadata), "--out", str(metadata.parent / "build")) as running:
        yield running


def _datasets(graph: Graph) -> set[str]:
    return {str(o) for o in graph.objects(None, URIRef(DCAT + "dataset"))}


def test_walk_the_paged_catalogue_to_the_end(server: ServerProcess) -> None:
    url: str | None = f"{server.url}/catalog.ttl"
    seen: list[str] = []
    pages = 0
    while url:
        response = httpx.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        graph = Graph().parse(data=response.text, format="turtle")
        page = next(graph.subjects(RDF.type, URIRef(HYDRA + "PagedCollection")))
        assert int(graph.value(page, URIRef(HYDRA + "totalItems"))) == COUNT
        seen.extend(sorted(_datasets(graph)))
        following = graph.value(page, URIRef(HYDRA + "next"))
        url = str(following) if following else None
        pages += 1
    assert pages == 3
    assert len(seen) == len(set(seen)) == COUNT


def test_import_follows_the_paging_to_the_end(server: ServerProcess, metadata: Path, tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "catalogue",
            "import",
            f"{server.url}/catalog.rdf",
            "--metadata",
            str(metadata),
            "--staging",
            str(staging),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"0 new, 0 differ from the registry, {COUNT} the same" in result.stdout
    assert f"fetched {COUNT} datasets" in result.stderr
    assert len(list(staging.glob("*.yaml"))) == COUNT


def test_modified_since_filters(server: ServerProcess) -> None:
    stamps = json.loads(httpx.get(f"{server.url}/registry.json").text)["stamps"]
    cutoff = "2024-06-20"
    expected = {key for key, stamp in stamps.items() if stamp["modified"] >= "2024-06-20T00:00:00"}
    assert 0 < len(expected) < COUNT
    found: set[str] = set()
    url: str | None = f"{server.url}/catalog.jsonld?modified_since={cutoff}"
    while url:
        graph = Graph().parse(data=httpx.get(url).text, format="json-ld")
        found |= {uri.rsplit("/", 1)[-1] for uri in _datasets(graph)}
        page = next(graph.subjects(RDF.type, URIRef(HYDRA + "PagedCollection")))
        following = graph.value(page, URIRef(HYDRA + "next"))
        url = str(following) if following else None
    assert found == expected


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("text/html;q=0.5, text/turtle", "text/turtle"),
    ],
)
def test_content_negotiation(server: ServerProcess, accept: str, media: str) -> None:
    for path in ["/catalog", "/dataset/synthetic-00001"]:
        response = httpx.get(server.url + path, headers={"Accept": accept})
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith(media)


def test_dataset_files_in_three_formats(server: ServerProcess) -> None:
    for ext, fmt in [("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml")]:
        response = httpx.get(f"{server.url}/dataset/synthetic-00007.{ext}")
        assert response.status_code == 200
        graph = Graph().parse(data=response.text, format=fmt)
        assert (None, RDF.type, URIRef(DCAT + "Dataset")) in graph


def test_html_request_for_a_dataset_goes_to_its_page(server: ServerProcess) -> None:
    response = httpx.get(f"{server.url}/dataset/synthetic-00001", headers={"Accept": "text/html"})
    assert response.status_code == 303
    assert response.headers["location"] == "/dataset/synthetic-00001/"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=0", "Page param must be a positive integer"),
        ("page=abc", "Page param must be a positive integer"),
        ("modified_since=yesterday", "Wrong modified date format"),
    ],
)
def test_bad_parameters_are_400(server: ServerProcess, query: str, message: str) -> None:
    response = httpx.get(f"{server.url}/catalog.ttl?{query}")
    assert response.status_code == 400
    assert message in response.text


def test_unknown_dataset_is_404(server: ServerProcess) -> None:
    assert httpx.get(f"{server.url}/dataset/no-such-dataset.ttl").status_code == 404
    assert httpx.get(f"{server.url}/dataset/../etc/passwd.ttl").status_code == 404


def test_whole_catalogue_download(server: ServerProcess) -> None:
    graph = Graph().parse(data=httpx.get(f"{server.url}/download/catalog.ttl").text, format="turtle")
    assert len(_datasets(graph)) == COUNT


def test_page_past_the_end_lists_no_datasets(server: ServerProcess, tmp_path: Path) -> None:
    graph = Graph().parse(data=httpx.get(f"{server.url}/catalog.ttl?page=9").text, format="turtle")
    assert _datasets(graph) == set()


def test_a_page_holds_the_same_graph_in_every_format(server: ServerProcess) -> None:
    from rdflib.compare import to_isomorphic

    graphs = []
    for ext, fmt in [("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml")]:
        response = httpx.get(f"{server.url}/catalog.{ext}?page=2")
        graph = Graph().parse(data=response.content, format=fmt)
        for triple in list(graph):  # the paging node names the page in its own format; compare the rest
            if str(triple[0]).startswith(server.url):
                graph.remove(triple)
        graphs.append(to_isomorphic(graph))
    assert len(_datasets(graphs[0])) == 100
    assert graphs[0] == graphs[1] == graphs[2]


def test_change_feed_and_calendar_are_served(server: ServerProcess) -> None:
    import feedparser
    from icalendar import Calendar

    atom = httpx.get(f"{server.url}/changes.atom")
    assert atom.status_code == 200
    assert not feedparser.parse(atom.content).bozo
    ics = httpx.get(f"{server.url}/releases.ics")
    assert ics.status_code == 200
    assert Calendar.from_ical(ics.content)["version"] == "2.0"
