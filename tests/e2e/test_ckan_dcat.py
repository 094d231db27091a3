"""End-to-end proof 4 of issue 18: what a real CKAN serves as DCAT for our datasets is valid DCAT-AP 3.0.1.

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

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyshacl
import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef

from catalogue.build import build
from catalogue.records.registry import Registry
from tests.conftest import build_steps
from tests.e2e.real_ckan import DCAT_AP_3, RealCkan, real_ckan
from tests.e2e.test_ckan_routes import publish, registry  # noqa: F401  (registry is a fixture)
from tests.test_rdf import _shapes

pytestmark = pytest.mark.e2e


VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")


@pytest.fixture(scope="module")
def background(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Graph:  # noqa: F811
    """The vocabularies' facts the shapes' ranges need: the SKOS concepts and schemes as our feed describes them
    (type, label, scheme), and vCard's class tree."""
    out = tmp_path_factory.mktemp("build") / "out"
    build(registry, out, steps=build_steps("DCAT feeds"))
    ours = Graph().parse(out / "catalog.ttl", format="turtle")
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
