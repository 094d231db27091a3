"""The DCAT output: SHACL conformance, round trip, golden files, determinism."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph
from rdflib.compare import to_isomorphic
from rdflib.namespace import SH

from catalogue.build import build
from catalogue.dcat.reader import align_order, catalogue_base, dataset_uris, read_record, unmapped
from catalogue.records.model import Dataset
from catalogue.records.registry import Registry
from tests.conftest import ROOT, build_steps
from tests.golden import GOLDEN, check_golden_graph

SHAPES = ROOT / "tests" / "vendor" / "dcat-ap-3.0.1" / "shacl"  # see tests/vendor/README.md


@pytest.fixture(scope="module")
def built(served_outputs: Path) -> Path:
    """The shared build (conftest.served_outputs), whose DCAT feeds these tests read."""
    return served_outputs


@pytest.fixture(scope="module")
def catalog(built: Path) -> Graph:
    return Graph().parse(built / "catalog.ttl", format="turtle")


def _shapes() -> Graph:
    """Load dcat-ap-SHACL.ttl with ranges.ttl, without the links to shapes that are never defined."""
    shapes = Graph()
    for name in ("dcat-ap-SHACL.ttl", "ranges.ttl"):
        shapes.parse(SHAPES / name, format="turtle")
    # upstream defect (SEMICeu/DCAT-AP #448): links to property shapes that are never defined
    for subject, shape in list(shapes.subject_objects(SH.property)):
        if shapes.value(shape, SH.path) is None:
            shapes.remove((subject, SH.property, shape))
    return shapes


def test_catalogue_conforms_to_dcat_ap_3(catalog: Graph) -> None:
    conforms, _, text = pyshacl.validate(catalog, shacl_graph=_shapes(), inference="none", allow_warnings=True)
    assert conforms, text


def test_a_dataset_document_stands_alone(built: Path, registry: Registry) -> None:
    """A dataset's file carries the shared nodes it points at (agents, concepts), typed, so that it
    conforms on its own, and holds exactly the triples the mapping gives for it."""
    from pyoxigraph import RdfFormat, serialize

    from catalogue.dcat.mapping import DcatMapper
    from catalogue.quality.registry import measurements, score_registry

    document = Graph().parse(built / "dataset" / "nrm-dtn-quarterly.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(document, shacl_graph=_shapes(), inference="none", allow_warnings=True)
    assert conforms, text
    mapper = DcatMapper(registry, measurements=measurements(score_registry(registry)))  # as the build maps
    described = mapper.dataset(registry.datasets["nrm-dtn-quarterly"])
    whole = described.triples + [triple for key in described.uses for triple in mapper.shared_triples(key)]
    expected = Graph().parse(data=serialize(whole, format=RdfFormat.N_TRIPLES), format="nt")
    assert to_isomorphic(document) == to_isomorphic(expected)


def test_no_node_is_described_in_two_parts(registry: Registry) -> None:
    """Each node's triples lie in one part (a dataset's own, or one shared node's), so a document
    describes each subject in one place."""
    from catalogue.dcat.mapping import DcatMapper

    mapper = DcatMapper(registry)
    described = [mapper.catalog(registry.datasets)] + [mapper.dataset(d) for d in registry.datasets.values()]
    owner: dict[str, str] = {}
    for key in sorted({key for d in described for key in d.uses}):
        for triple in mapper.shared_triples(key):
            assert owner.setdefault(triple.subject.value, key) == key, triple.subject.value
    for d in described:
        overlap = {triple.subject.value for triple in d.triples} & owner.keys()
        assert not overlap


def test_the_catalogue_file_describes_each_shared_node_once(built: Path, registry: Registry) -> None:
    text = (built / "catalog.ttl").read_text("utf-8")
    assert text.count("@prefix dcat: ") == 1
    home_office = registry.agent_uri("home-office")
    assert text.count(f"\n<{home_office}> ") == 1
    # and every dataset file describes it again, as the dataset's publisher or creator
    assert f"\n<{home_office}> " in (built / "dataset" / "nrm-dtn-quarterly.ttl").read_text("utf-8")


def test_shapes_catch_a_broken_graph(catalog: Graph) -> None:
    broken = Graph()
    for triple in catalog:
        broken.add(triple)
    broken.remove((None, SH.path, None))
    from rdflib import URIRef

    broken.remove((None, URIRef("http://xmlns.com/foaf/0.1/name"), None))
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=_shapes(), inference="none", allow_warnings=True)
    assert not conforms


def test_round_trip_gives_every_record_back(registry: Registry, catalog: Graph) -> None:
    base = registry.catalogue.base_uri
    assert catalogue_base(catalog) == base
    assert dataset_uris(catalog) == sorted(registry.dataset_uri(key) for key in registry.datasets)
    for key, dataset in registry.datasets.items():
        uri = registry.dataset_uri(key)
        record = align_order(read_record(catalog, uri, base), dataset.model_dump(mode="json"))
        assert Dataset.model_validate(record) == dataset, key
        assert unmapped(catalog, uri, base) == [], key


def test_unordered_values_come_back_sorted_and_align_to_a_record() -> None:
    assert align_order(
        {"k": ["a", "b", "c"], "l": [{"s": ["x", "y"]}]}, {"k": ["c", "a"], "l": [{"s": ["y", "x"]}]}
    ) == {"k": ["c", "a", "b"], "l": [{"s": ["y", "x"]}]}


@pytest.mark.parametrize(("name", "fmt"), [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_golden_dataset(built: Path, name: str, fmt: str) -> None:
    actual = (built / "dataset" / f"nrm-dtn-quarterly.{name}").read_bytes()
    check_golden_graph(GOLDEN / f"nrm-dtn-quarterly.{name}", actual, fmt)


def test_three_formats_hold_the_same_graph(built: Path, catalog: Graph) -> None:
    """Each graph's canonical hash, computed once (IsomorphicGraph's == hashes both sides anew each time); the
    Turtle is the module's parsed `catalog`."""
    graphs = [
        catalog,
        *(Graph().parse(built / f"catalog.{ext}", format=fmt) for ext, fmt in [("jsonld", "json-ld"), ("rdf", "xml")]),
    ]
    hashes = [to_isomorphic(graph).internal_hash() for graph in graphs]
    assert hashes[0] == hashes[1] == hashes[2]


def test_builds_are_byte_identical(registry: Registry, built: Path, tmp_path: Path) -> None:
    build(registry, tmp_path / "again", steps=build_steps("DCAT feeds"))
    for name in ["catalog.ttl", "catalog.jsonld", "catalog.rdf", "dataset/nrm-dtn-quarterly.ttl"]:
        assert (tmp_path / "again" / name).read_bytes() == (built / name).read_bytes(), name


def test_quality_caveats_and_method_changes_are_in_the_graph(catalog: Graph, registry: Registry) -> None:
    uri = registry.dataset_uri("nrm-dtn-quarterly")
    query = f"""
        PREFIX dqv: <http://www.w3.org/ns/dqv#>  PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX dct: <http://purl.org/dc/terms/>
        SELECT (COUNT(DISTINCT ?a) AS ?notes) (COUNT(DISTINCT ?m) AS ?changes) WHERE {{
          <{uri}> dqv:hasQualityAnnotation ?a ; prov:wasInfluencedBy ?m .
          ?m dct:date ?date ; dct:source ?source .
        }}"""
    row = next(iter(catalog.query(query)))
    dataset = registry.datasets["nrm-dtn-quarterly"]
    # quality notes + caveats + qaad + statistics status note
    assert int(row[0]) == len(dataset.quality.notes()) + len(dataset.caveats) + 1 + 1
    assert int(row[1]) == len(dataset.method_changes)
