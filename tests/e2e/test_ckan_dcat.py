"""End-to-end proofs 3 and 4 of issue 18: the DCAT route into a real CKAN, and that CKAN's own DCAT.

Proof 3 (the last tests): ckanext-dcat 2.4.4's real RDFParser with `euro_dcat_ap_3 msr_quality` (our profile,
catalogue/ckan/profile.py, installed in CKAN's venv with --no-deps) on our catalog.ttl; every dataset created in a
real CKAN with the DCAT-AP 3 schema equals our package_show apart from DCAT_ROUTE_ALLOWED, every extra too (the
record's own fields as JSON, byte for byte, read by the profile with our own DCAT readers).

Proof 4:

`catalogue publish` into a real CKAN 2.11.6 with ckanext-dcat 2.4.4's DCAT-AP 3 schema (real_ckan.DCAT_AP_3, as the
harvesters' guide configures it); then that CKAN's own `/dataset/<name>.ttl` (ckanext-dcat's euro_dcat_ap_3
serialiser) for every dataset passes the vendored DCAT-AP 3.0.1 SHACL shapes, the same shapes our own feed passes
(tests/test_rdf.py).

The shapes come in two files: dcat-ap-SHACL.ttl (cardinalities, datatypes, node kinds) and ranges.ttl (the class of
each value). A document that names a controlled vocabulary's concept by IRI (an EU data theme, a publisher type)
meets ranges.ttl only with the vocabularies as background knowledge, as the EU's own DCAT-AP validator checks it:
here the concepts and their schemes as our own feed describes them (the `background` fixture), the ADMS
licence type ckanext-dcat adds to every licence, and the vCard ontology's
`vcard:Organization rdfs:subClassOf vcard:Kind`. Nothing else of ours is added, so whatever CKAN's document misses
about a dataset, its distributions or agents still fails.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ckanapi
import httpx
import pyshacl
import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef

from catalogue.build import build
from catalogue.ckan.packages import package_dict
from catalogue.ckan.publish import desired_organization
from catalogue.records.registry import Registry
from tests.conftest import build_steps
from tests.e2e.real_ckan import DCAT_AP_3, RealCkan, real_ckan
from tests.e2e.test_ckan_routes import differences, publish, registry  # noqa: F401  (registry is a fixture)
from tests.test_rdf import _shapes

pytestmark = pytest.mark.e2e


VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


@pytest.fixture(scope="module")
def built(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    out = tmp_path_factory.mktemp("build") / "out"
    build(registry, out, steps=build_steps("DCAT feeds"))
    return out


@pytest.fixture(scope="module")
def background(built: Path) -> Graph:
    """The vocabularies' facts the shapes' ranges need: the SKOS concepts and schemes as our feed describes them
    (type, label, scheme), and vCard's class tree."""
    ours = Graph().parse(built / "catalog.ttl", format="turtle")
    facts = Graph()
    for kind in (SKOS.Concept, SKOS.ConceptScheme):
        for node in ours.subjects(RDF.type, kind):
            facts += ours.triples((node, None, None))
    # ckanext-dcat 2.4.4 gives every distribution's licence `dct:type adms:UnknownIPR` (euro_dcat_ap_base.py lines
    # 655-662, "TODO: add an actual field"), a concept of the ADMS licence-type vocabulary
    unknown_ipr = URIRef("http://purl.org/adms/licencetype/UnknownIPR")
    facts.add((unknown_ipr, RDF.type, SKOS.Concept))
    facts.add((unknown_ipr, SKOS.prefLabel, Literal("Unknown IPR", lang="en")))
    facts.add((unknown_ipr, SKOS.inScheme, URIRef("http://purl.org/adms/licencetype/1.0")))
    facts.add((VCARD.Organization, RDFS.subClassOf, VCARD.Kind))
    facts.add((VCARD.Individual, RDFS.subClassOf, VCARD.Kind))
    return facts


@pytest.fixture
def dcat_ckan(tmp_path: Path) -> Iterator[RealCkan]:
    folder = tmp_path / "ckan"
    folder.mkdir()
    with real_ckan(folder, DCAT_AP_3) as running:
        yield running


def test_the_ckans_own_dcat_of_our_datasets_passes_dcat_ap_3_shapes(
    dcat_ckan: RealCkan,
    registry: Registry,  # noqa: F811
    background: Graph,
) -> None:
    result = publish(dcat_ckan)
    assert result.returncode == 0, result.stdout + result.stderr
    shapes = _shapes()
    problems = []
    for name in sorted(registry.datasets):
        response = httpx.get(f"{dcat_ckan.url}/dataset/{name}.ttl", timeout=60)
        assert response.status_code == 200, f"{name}: {response.status_code} {response.text[:300]}"
        graph = Graph().parse(data=response.text, format="turtle")
        assert len(graph) > 20, f"{name}: only {len(graph)} triples"
        conforms, _, text = pyshacl.validate(
            graph + background, shacl_graph=shapes, inference="none", allow_warnings=True
        )
        if not conforms:
            problems.append(f"{name}:\n{text[:3000]}")
    assert not problems, "\n".join(problems[:3])


# The DCAT route's CKAN: the DCAT-AP 3 schema with our profile after ckanext-dcat's (as the harvesters' guide says).
WITH_OUR_PROFILE = (*DCAT_AP_3[:-1], "ckanext.dcat.rdf.profiles = euro_dcat_ap_3 msr_quality")
# What may differ on the DCAT route, beyond what any target sets (test_ckan_routes.SET_BY_TARGET): the ids, which
# DCAT does not carry (the harvesting CKAN gives its own to the package and its resources, and stamps each resource
# `created`); ckanext-dcat's own `distribution_ref` (the distribution's IRI, kept beside `uri`) and `homepage` (the
# harvesting site's address when the dataset has no foaf:homepage); `groups`, which a DCAT harvester does not make
# (our themes are in `theme` as EU data themes); and `extras`, compared key by key below, every one byte for byte but
# the `keywords` extra, compared as the set of keywords as written (RDF keeps no order, and only the producer's
# order is kept there; the other unordered lists, such as source keys, both routes serve sorted: ckan/extras.py).
DCAT_ROUTE_ALLOWED = frozenset(
    {
        "id",
        "resources[].id",
        "resources[].package_id",
        "resources[].created",
        "resources[].distribution_ref",
        "homepage",
        "groups",
        "extras",
    }
)


@pytest.fixture(scope="module")
def dcat_route(
    registry: Registry,  # noqa: F811
    built: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[list[tuple[str, dict[str, Any], dict[str, Any]]]]:
    """Our /catalog.ttl read by ckanext-dcat's RDFParser with `euro_dcat_ap_3 msr_quality`, every dataset created in
    a real CKAN as ckanext-dcat's RDF harvester creates it (its organization given, here ours), read back; yield
    (name, our package_show, theirs) for each."""
    folder = tmp_path_factory.mktemp("ckan")
    with real_ckan(folder, WITH_OUR_PROFILE) as ckan:
        parsed = ckan.parse_dcat(built / "catalog.ttl")
        by_id = {package.get("identifier"): package for package in parsed}
        assert sorted(by_id) == sorted(registry.datasets), "a dataset was lost on the DCAT route"
        client = ckanapi.RemoteCKAN(ckan.url, apikey=ckan.token)
        for agent in sorted({dataset.publisher for dataset in registry.datasets.values()}):
            client.action.organization_create(**desired_organization(registry, agent))
        pairs = []
        for name, dataset in sorted(registry.datasets.items()):
            created = client.action.package_create(**by_id[name] | {"name": name, "owner_org": dataset.publisher})
            pairs.append((name, package_dict(registry, dataset), client.action.package_show(id=created["id"])))
        yield pairs


def _allowed(path: str) -> str:
    """Return the entry of DCAT_ROUTE_ALLOWED a difference at `path` falls under: list indexes as `[]`, and
    anything in `extras` as `extras` (compared key by key, not by position)."""
    path = re.sub(r"\[\d+\]", "[]", path)
    return "extras" if path.startswith("extras") else path


def _extras(package: dict[str, Any]) -> dict[str, str]:
    return {extra["key"]: extra["value"] for extra in package.get("extras") or []}


def _keywords(package: dict[str, Any]) -> list[str]:
    """The keywords as written (the `keywords` extra, else the tags), sorted: RDF keeps no order, so the DCAT
    route cannot give the producer's, and writes the extra only when a keyword is not its own tag."""
    written = _extras(package).get("keywords")
    return sorted(json.loads(written) if written else [tag["name"] for tag in package["tags"]])


def test_dcat_route_with_our_profile_stores_our_package_show(
    dcat_route: list[tuple[str, dict[str, Any], dict[str, Any]]],
) -> None:
    problems = []
    for name, ours, theirs in dcat_route:
        problems += [
            f"{name}: {line}"
            for line in differences(ours, theirs)
            if _allowed(line.split(": ", 1)[0]) not in DCAT_ROUTE_ALLOWED
        ]
        mine, other = _extras(ours), _extras(theirs)
        problems += [
            f"{name}: extras.{key}: ours {mine.get(key)!r} / theirs {other.get(key)!r}"[:300]
            for key in sorted(set(mine) | set(other))
            if mine.get(key) != other.get(key) and key != "keywords"
        ]
        if _keywords(ours) != _keywords(theirs):
            problems.append(f"{name}: keywords as written: ours {_keywords(ours)} / theirs {_keywords(theirs)}")
    assert not problems, "\n".join(problems[:60])
