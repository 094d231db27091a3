"""End-to-end: the registry's own address (`--base-uri`, CATALOGUE_BASE_URI) through the real command.

Identifiers, canonical links, the sitemap and the feeds name the base URI given at build time; links a
client follows from a served answer (DCAT paging, the API's help) name the server that answered.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from tests.benchmarks.synthetic import make_registry
from tests.conftest import ROOT, ServerProcess

pytestmark = pytest.mark.e2e
SHIPPED = "https://modern-slavery-registry.example.org"
DEPLOYED = "https://stats.example.gov.uk/modern-slavery"
DATASET = "nrm-dtn-quarterly"
HYDRA = "http://www.w3.org/ns/hydra/core#"
DCAT = "http://www.w3.org/ns/dcat#"


def _catalogue(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "CATALOGUE_BASE_URI"}
    return subprocess.run(
        [sys.executable, "-m", "catalogue", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**environment, **(env or {})},
    )


def test_build_for_another_address(tmp_path: Path) -> None:
    out = tmp_path / "build"
    built = _catalogue("build", "--out", str(out), "--base-uri", DEPLOYED)
    assert built.returncode == 0, built.stderr
    graph = Graph().parse(out / "catalog.ttl", format="turtle")
    catalogs = set(graph.subjects(RDF.type, URIRef(DCAT + "Catalog")))
    assert catalogs == {URIRef(f"{DEPLOYED}/catalog")}
    assert URIRef(f"{DEPLOYED}/dataset/{DATASET}") in set(graph.subjects(RDF.type, URIRef(DCAT + "Dataset")))
    for path in ("catalog.ttl", f"dataset/{DATASET}.jsonld", "changes.atom", "sitemap.xml", "registry.json"):
        text = (out / path).read_text(encoding="utf-8")
        # no identifier or link under the shipped address (the records may still name it as a homepage)
        assert f"{SHIPPED}/" not in text, f"{path} still names the shipped address"
        assert DEPLOYED in text, path
    page = (out / "dataset" / DATASET / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{DEPLOYED}/dataset/{DATASET}/">' in page
    registry = json.loads((out / "registry.json").read_text(encoding="utf-8"))
    assert registry["catalogue"]["base_uri"] == DEPLOYED
    assert registry["catalogue"]["homepage"] == DEPLOYED, "the homepage was the base: it follows"
    assert json.loads((out / "dcat" / "index.json").read_text())["base_uri"] == DEPLOYED


def test_environment_and_option(tmp_path: Path) -> None:
    from_env = _catalogue("build", "--out", str(tmp_path / "a"), env={"CATALOGUE_BASE_URI": DEPLOYED})
    assert from_env.returncode == 0, from_env.stderr
    assert json.loads((tmp_path / "a" / "dcat" / "index.json").read_text())["base_uri"] == DEPLOYED
    option = "https://other.example.net"
    both = _catalogue("build", "--out", str(tmp_path / "b"), "--base-uri", option, env={"CATALOGUE_BASE_URI": DEPLOYED})
    assert both.returncode == 0, both.stderr
    assert json.loads((tmp_path / "b" / "dcat" / "index.json").read_text())["base_uri"] == option, "the option wins"
    default = _catalogue("build", "--out", str(tmp_path / "c"))
    assert default.returncode == 0, default.stderr
    assert json.loads((tmp_path / "c" / "dcat" / "index.json").read_text())["base_uri"] == SHIPPED


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("https://stats.example.gov.uk/", "must not end with '/'"),
        ("ftp://stats.example.gov.uk", "is not a web address"),
        ("stats.example.gov.uk", "is not a web address"),
        ("https://stats.example.gov.uk/?x=1", "has a query or fragment"),
        ("https://stats.example.gov.uk/a b", "is not a web address"),
    ],
)
def test_a_bad_base_is_explained(tmp_path: Path, value: str, reason: str) -> None:
    out = tmp_path / "build"
    for result in (
        _catalogue("build", "--out", str(out), "--base-uri", value),
        _catalogue("build", "--out", str(out), env={"CATALOGUE_BASE_URI": value}),
        _catalogue("serve", "--out", str(out), "--port", "1", "--base-uri", value),
    ):
        assert result.returncode == 2, result.stderr
        assert reason in result.stderr
        assert "--base-uri (or CATALOGUE_BASE_URI)" in result.stderr
        assert "Traceback" not in result.stderr
        assert not out.exists(), "nothing is built for a base that cannot be"


def test_served_links_name_the_server_asked(tmp_path: Path) -> None:
    metadata = make_registry(tmp_path / "metadata", 150)
    out = tmp_path / "build"
    with ServerProcess("--metadata", str(metadata), "--out", str(out), "--base-uri", DEPLOYED) as server:
        answer = httpx.get(f"{server.url}/catalog.ttl")
        graph = Graph().parse(data=answer.text, format="turtle")
        page = next(graph.subjects(RDF.type, URIRef(HYDRA + "PagedCollection")))
        assert str(page) == f"{server.url}/catalog.ttl?page=1"
        assert str(graph.value(page, URIRef(HYDRA + "next"))) == f"{server.url}/catalog.ttl?page=2"
        datasets = {str(o) for o in graph.objects(URIRef(f"{DEPLOYED}/catalog"), URIRef(DCAT + "dataset"))}
        assert len(datasets) == 100
        assert all(uri.startswith(f"{DEPLOYED}/dataset/") for uri in datasets), "identifiers name the base"
        shown = httpx.get(f"{server.url}/api/3/action/package_list").json()
        assert shown["help"].startswith(f"{server.url}/api/3/action/help_show")
        home = httpx.get(f"{server.url}/").text
        assert f'href="{DEPLOYED}/"' in home, "the canonical link names the base"
    refused = _catalogue("serve", "--out", str(out), "--no-build", "--port", "1", "--base-uri", SHIPPED)
    assert refused.returncode == 1
    assert f"was built for {DEPLOYED}, not {SHIPPED}" in refused.stderr
