"""Adding a field to the record model: every output either handles it or `gaps` names the output.

A model with a field more is made with pydantic's `create_model`, subclassing Dataset; the outputs
are the real ones (DCAT writer and reader, CKAN package dicts, the CKAN importer, the import's key
order), run on a real record of the registry with the new field set.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, Field, create_model
from pyoxigraph import RdfFormat, serialize
from rdflib import Graph, Literal, URIRef

from catalogue.ckan.packages import package_dict
from catalogue.ckan.publish import desired_package
from catalogue.dcat.fields import FIELDS, TEXT, one
from catalogue.dcat.mapping import DcatMapper
from catalogue.dcat.reader import align_order, read_record, unmapped
from catalogue.importing.ckan import map_package
from catalogue.importing.coverage import CKAN, DCAT, IMPORT, SCHEMA, gaps
from catalogue.importing.staging import key_order, ordered
from catalogue.records.model import Dataset, Distribution
from catalogue.records.registry import Registry

NOTE = "Figures held until the embargo lifts at 9:30."


def _with_embargo_note() -> type[Dataset]:
    return create_model(
        "DatasetWithEmbargoNote",
        __base__=Dataset,
        embargo_note=(str | None, Field(None, description="When figures may be used.")),
    )


def _graph(mapper: DcatMapper, dataset: Dataset) -> Graph:
    described = mapper.dataset(dataset)
    triples = described.triples + [t for key in described.uses for t in mapper.shared_triples(key)]
    return Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")


def test_the_real_model_has_no_gap() -> None:
    assert gaps() == []


def test_a_new_field_is_named_with_every_output_that_misses_it() -> None:
    found = gaps(_with_embargo_note())
    assert {(gap.field, gap.output) for gap in found} == {("embargo_note", DCAT), ("embargo_note", SCHEMA)}
    # CKAN extras and the import's key order come from the model, so they never miss a field
    assert not [gap for gap in found if gap.output in (CKAN, IMPORT)]


def test_a_new_nested_field_is_named_by_its_path() -> None:
    checked = create_model("CheckedDistribution", __base__=Distribution, checksum=(str | None, None))
    model = create_model("DatasetWithChecksums", __base__=Dataset, distributions=(list[checked], []))
    found = gaps(model)
    assert ("distributions[].checksum", DCAT) in {(gap.field, gap.output) for gap in found}
    assert [str(gap) for gap in found if gap.field == "distributions[].checksum" and gap.output == SCHEMA] == [
        f"distributions[].checksum: {SCHEMA}: no row under '## CheckedDistribution'"
    ]


def test_a_row_that_disagrees_with_the_model_or_names_no_field_is_a_gap() -> None:
    table = (*FIELDS[:-1], one("described_from", "msr:describedFrom", TEXT), one("nowhere", "msr:nowhere", TEXT))
    found = {(gap.field, gap.output, gap.why) for gap in gaps(fields=table)}
    assert ("nowhere", DCAT, "mapped, but the model has no such field") in found
    assert ("described_from", DCAT, "the row says many=False, but the field is a list") in found


@pytest.fixture(scope="module")
def embargoed(registry: Registry) -> BaseModel:
    model = _with_embargo_note()
    record: dict[str, Any] = registry.datasets["nrm-dtn-quarterly"].model_dump() | {"embargo_note": NOTE}
    return model.model_validate(record)


def test_with_a_row_for_it_the_field_goes_through_dcat_both_ways(registry: Registry, embargoed: Dataset) -> None:
    table = (*FIELDS, one("embargo_note", "msr:embargoNote", TEXT))
    assert gaps(type(embargoed), table) == [gap for gap in gaps(type(embargoed)) if gap.output == SCHEMA]
    mapper = DcatMapper(registry, fields=table)
    graph = _graph(mapper, embargoed)
    uri, base = registry.dataset_uri(embargoed.id), registry.catalogue.base_uri
    assert (URIRef(uri), URIRef(f"{base}/ns#embargoNote"), Literal(NOTE, lang="en")) in graph
    record = read_record(graph, uri, base, fields=table)
    assert record["embargo_note"] == NOTE
    assert type(embargoed).model_validate(align_order(record, embargoed.model_dump(mode="json"))) == embargoed
    assert unmapped(graph, uri, base, fields=table) == []
    # the reader without the row lists the predicate as not mapped rather than dropping it silently
    assert unmapped(graph, uri, base) == [f"{base}/ns#embargoNote (1 value)"]


def test_the_field_goes_through_ckan_and_the_import(registry: Registry, embargoed: Dataset) -> None:
    package = package_dict(registry, embargoed)
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert json.loads(extras["embargo_note"]) == NOTE
    published = {extra["key"]: extra["value"] for extra in desired_package(registry, embargoed)["extras"]}
    assert json.loads(published["embargo_note"]) == NOTE
    model = type(embargoed)
    assert "embargo_note" in key_order(model)
    imported = map_package(package, model)
    assert imported.record["embargo_note"] == NOTE
    assert list(imported.record) == [key for key in key_order(model) if key in imported.record]
    assert model.model_validate(align_order(imported.record, embargoed.model_dump(mode="json"))) == embargoed
    # ordering a record by a model that lacks a key keeps the key, last
    assert list(ordered(imported.record))[-1] == "embargo_note"
