"""Serialise the DCAT triples: the whole catalogue and every dataset in Turtle, JSON-LD and RDF/XML.

At 10,000 datasets this is a couple of million triples, so the work is split: each dataset is mapped
and its three files written in worker processes, one per core. The whole catalogue is then joined
from the catalogue header and those files (`dcat_pages.join_documents`, the same join the server
uses for pages), so no step serialises millions of triples at once. `dcat/header.*` holds the
catalogue node alone.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, serialize

from catalogue.rdf import DcatMapper
from catalogue.registry import Registry
from catalogue.vocab import PREFIXES

FORMATS: dict[str, tuple[RdfFormat, str]] = {
    "ttl": (RdfFormat.TURTLE, "text/turtle"),
    "jsonld": (RdfFormat.JSON_LD, "application/ld+json"),
    "rdf": (RdfFormat.RDF_XML, "application/rdf+xml"),
}
_PARALLEL_FROM = 200  # below this many datasets, worker processes cost more than they save

# The registry the forked workers map; set in the parent just before the pool starts.
_WORK: tuple[Registry, Path] | None = None


def prefixes_for(base: str, extension: str) -> dict[str, str] | None:
    return {**PREFIXES, "msr": base + "/ns#"} if FORMATS[extension][0] is not RdfFormat.JSON_LD else None


def serialize_triples(triples: Iterable[Triple], extension: str, base: str, *, ordered: bool = False) -> bytes:
    """Return `triples` serialised in the format of `extension`, sorted (so builds diff cleanly)
    unless the caller says they already are."""
    return serialize(triples if ordered else sorted(triples, key=str), format=FORMATS[extension][0],  # type: ignore[no-any-return]
                     prefixes=prefixes_for(base, extension))


def _write_datasets(dataset_ids: list[str]) -> int:
    """Map and write each dataset's three files (in a worker); return how many triples they hold."""
    assert _WORK is not None
    registry, out = _WORK
    mapper = DcatMapper(registry)
    base = registry.catalogue.base_uri
    count = 0
    for dataset_id in dataset_ids:
        triples = sorted(mapper.dataset_triples(registry.datasets[dataset_id]), key=str)
        count += len(triples)
        for extension in FORMATS:
            (out / "dataset" / f"{dataset_id}.{extension}").write_bytes(
                serialize_triples(triples, extension, base, ordered=True))
    return count


def write_dcat(registry: Registry, out: Path, timings: dict[str, float] | None = None) -> None:
    """Write catalog.{ttl,jsonld,rdf}, dataset/<id>.{ttl,jsonld,rdf} and dcat/header.* into `out`.

    `timings`, if given, receives the seconds each part took (for the benchmark).
    """
    global _WORK
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
    header = sorted(mapper.catalog_triples([]), key=str)
    for extension in FORMATS:
        (out / "dcat" / f"header.{extension}").write_bytes(serialize_triples(header, extension, base, ordered=True))

    ids = list(registry.datasets)
    workers = min(os.cpu_count() or 1, 4)
    _WORK = (registry, out)
    try:
        if len(ids) < _PARALLEL_FROM or workers == 1:
            counts = [_write_datasets(ids)]
        else:
            size = max(50, len(ids) // (workers * 8))
            batches = [ids[i:i + size] for i in range(0, len(ids), size)]
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                counts = pool.map(_write_datasets, batches)
    finally:
        _WORK = None
    timings["triples"] = float(sum(counts))
    lap("datasets: mapping and per-dataset files")

    from catalogue.dcat_pages import join_documents

    links = sorted(mapper.catalog_triples(ids), key=str)
    for extension in FORMATS:
        parts = [serialize_triples(links, extension, base, ordered=True)]
        parts.extend((out / "dataset" / f"{key}.{extension}").read_bytes() for key in ids)
        (out / f"catalog.{extension}").write_bytes(join_documents(extension, parts))
    lap("catalogue: three formats")
