"""The two fields issue #15 added, `checked` on a dataset and `rights` on a distribution, through every
output with a place for them: DCAT both ways (and SHACL), CKAN both ways, the stamp hash.

Run on a real record of the registry with both fields set, so the test does not depend on whether
the shipped records have them yet.
"""

from __future__ import annotations

import hashlib
import json

import pyshacl
import pytest
from pyoxigraph import RdfFormat, serialize
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from catalogue.ckan.packages import package_dict
from catalogue.dcat.mapping import DcatMapper
from catalogue.dcat.reader import align_order, read_record, unmapped
from catalogue.importing.ckan import map_package
from catalogue.records.model import Dataset
from catalogue.records.registry import Registry, content_hash

RIGHTS = "Crown copyright; contains public sector information licensed under the Open Government Licence v3.0."
CHECKED = "2026-11-30"


@pytest.fixture(scope="module")
def record(registry: Registry) -> Dataset:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    assert len(dataset.distributions) >= 2
    first, *rest = dataset.distributions
    return dataset.model_copy(
        update={
            "checked": CHECKED,
            "distributions": [
                first.model_copy(update={"rights": RIGHTS}),
                *(d.model_copy(update={"rights": None}) for d in rest),
            ],
        }
    )


def _graph(registry: Registry, dataset: Dataset) -> Graph:
    mapper = DcatMapper(registry)
    described = mapper.dataset(dataset)
    triples = described.triples + [t for key in described.uses for t in mapper.shared_triples(key)]
    return Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")


def test_dcat_writes_checked_and_rights_as_dcat_ap_3_does(registry: Registry, record: Dataset) -> None:
    graph = _graph(registry, record)
    uri, base = registry.dataset_uri(record.id), registry.catalogue.base_uri
    assert (URIRef(uri), URIRef(f"{base}/ns#checked"), Literal(CHECKED, datatype=XSD.date)) in graph
    resource = URIRef(f"{uri}/resource/{registry.resource_uuid(record.id, 0)}")
    statements = list(graph.objects(resource, DCTERMS.rights))
    assert len(statements) == 1
    assert (statements[0], RDF.type, DCTERMS.RightsStatement) in graph
    assert (statements[0], RDFS.label, Literal(RIGHTS, lang="en")) in graph
    # a distribution without rights says nothing of them
    second = URIRef(f"{uri}/resource/{registry.resource_uuid(record.id, 1)}")
    assert list(graph.objects(second, DCTERMS.rights)) == []


def test_dcat_reads_both_back_unchanged(registry: Registry, record: Dataset) -> None:
    graph = _graph(registry, record)
    uri, base = registry.dataset_uri(record.id), registry.catalogue.base_uri
    read = read_record(graph, uri, base)
    assert read["checked"] == CHECKED
    assert read["distributions"][0]["rights"] == RIGHTS
    assert read["distributions"][1].get("rights") is None
    assert Dataset.model_validate(align_order(read, record.model_dump(mode="json"))) == record
    assert unmapped(graph, uri, base) == []


def test_another_catalogues_plain_rights_literal_is_read(registry: Registry, record: Dataset) -> None:
    graph = _graph(registry, record)
    uri, base = registry.dataset_uri(record.id), registry.catalogue.base_uri
    resource = URIRef(f"{uri}/resource/{registry.resource_uuid(record.id, 0)}")
    for statement in list(graph.objects(resource, DCTERMS.rights)):
        graph.remove((resource, DCTERMS.rights, statement))
        graph.remove((statement, None, None))
    graph.add((resource, DCTERMS.rights, Literal("Crown copyright")))
    assert read_record(graph, uri, base)["distributions"][0]["rights"] == "Crown copyright"


def test_the_graph_with_rights_conforms_to_dcat_ap_3(registry: Registry, record: Dataset) -> None:
    from tests.test_rdf import _shapes

    conforms, _, text = pyshacl.validate(
        _graph(registry, record), shacl_graph=_shapes(), inference="none", allow_warnings=True
    )
    assert conforms, text


def test_ckan_carries_rights_on_the_resource_and_checked_in_extras(registry: Registry, record: Dataset) -> None:
    package = package_dict(registry, record)
    assert package["resources"][0]["rights"] == RIGHTS
    assert "rights" not in package["resources"][1]  # ckanext-scheming leaves an unset field out
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert json.loads(extras["checked"]) == CHECKED
    assert map_package(package, Dataset).record["checked"] == CHECKED
    # another site's package, without our extras: the resource's rights still come in
    bare = package | {"extras": []}
    assert map_package(bare, Dataset).record["distributions"][0]["rights"] == RIGHTS


def test_unset_new_fields_leave_the_stamp_hash_as_it_was(record: Dataset) -> None:
    """Records stamped before the fields existed keep their hash, so the model change re-dates none."""
    unset = record.model_copy(
        update={"checked": None, "distributions": [d.model_copy(update={"rights": None}) for d in record.distributions]}
    )
    data = unset.model_dump(mode="json")
    del data["checked"]
    for dist in data["distributions"]:
        del dist["rights"]
    before = hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()
    assert content_hash(unset) == before
    assert content_hash(record) != before  # setting them is a change, stamped as any other
