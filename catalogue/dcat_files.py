"""Serialise the DCAT triples: the whole catalogue and every dataset in Turtle, JSON-LD and RDF/XML.

Also writes `dcat/datasets.nq`, every dataset's triples in a named graph of its own, which the server
loads once to assemble catalogue pages without re-mapping or re-serialising the whole catalogue.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Triple, serialize

from catalogue.rdf import DcatMapper
from catalogue.registry import Registry
from catalogue.vocab import PREFIXES

FORMATS: dict[str, tuple[RdfFormat, str]] = {
    "ttl": (RdfFormat.TURTLE, "text/turtle"),
    "jsonld": (RdfFormat.JSON_LD, "application/ld+json"),
    "rdf": (RdfFormat.RDF_XML, "application/rdf+xml"),
}


def serialize_triples(triples: Iterable[Triple], extension: str, base: str) -> bytes:
    """Return `triples` sorted (so builds diff cleanly) and serialised in the format of `extension`."""
    rdf_format, _ = FORMATS[extension]
    prefixes = {**PREFIXES, "msr": base + "/ns#"} if rdf_format is not RdfFormat.JSON_LD else None
    ordered = sorted(triples, key=str)
    return serialize(ordered, format=rdf_format, prefixes=prefixes)  # type: ignore[no-any-return]


def write_dcat(registry: Registry, out: Path, timings: dict[str, float] | None = None) -> None:
    """Write catalog.{ttl,jsonld,rdf}, dataset/<id>.{ttl,jsonld,rdf} and dcat/datasets.nq into `out`.

    `timings`, if given, receives the seconds each part took (for the benchmark).
    """
    timings = {} if timings is None else timings
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock
        clock = now

    mapper = DcatMapper(registry)
    base = registry.catalogue.base_uri
    (out / "dataset").mkdir(exist_ok=True)
    (out / "dcat").mkdir(exist_ok=True)
    everything = set(mapper.catalog_triples(registry.datasets))
    quads: list[Quad] = []
    per_dataset = {}
    for dataset_id, dataset in registry.datasets.items():
        per_dataset[dataset_id] = mapper.dataset_triples(dataset)
        everything |= per_dataset[dataset_id]
    lap("mapping")
    for extension in FORMATS:
        (out / f"catalog.{extension}").write_bytes(serialize_triples(everything, extension, base))
    lap("catalogue files")
    for dataset_id, triples in per_dataset.items():
        for extension in FORMATS:
            (out / "dataset" / f"{dataset_id}.{extension}").write_bytes(serialize_triples(triples, extension, base))
    lap("dataset files")
    for dataset_id, triples in per_dataset.items():
        graph = NamedNode(registry.dataset_uri(dataset_id))
        quads.extend(Quad(t.subject, t.predicate, t.object, graph) for t in sorted(triples, key=str))
    quads.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph())
                 for t in sorted(mapper.catalog_triples([]), key=str))
    serialize(quads, out / "dcat" / "datasets.nq", RdfFormat.N_QUADS)
    lap("page store")
