"""Read DCAT back into records: the inverse of mapping.py, driven by the same field table (fields.py)
and sections (sections/).

Used to prove our own output round-trips (every field of every record) and by `catalogue import`
for DCAT catalogues. Lists whose items have IRIs (caveats, method changes ... `#caveat-0`,
`#caveat-1`) come back in the order of the index in their IRI; repeated values without one
(keywords, spatial, source keys) have no order in RDF, so they come back sorted and
`align_order` can put them in an existing record's order. From other catalogues only the
DCAT-AP fields map; whatever is left is listed by `unmapped`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rdflib import Graph, URIRef

from catalogue.dcat.fields import FIELDS, Row, not_in_vocabularies, read_rows
from catalogue.dcat.lookup import Lookup
from catalogue.dcat.namespaces import DCAT, DCT, DQV, MSR_PATH, RDF, expand
from catalogue.dcat.sections import SECTIONS, Section


def dataset_uris(graph: Graph) -> list[str]:
    """Return the IRIs of every dcat:Dataset in `graph`, sorted."""
    return sorted(str(s) for s in graph.subjects(URIRef(RDF + "type"), URIRef(DCAT + "Dataset")))


def catalogue_base(graph: Graph) -> str | None:
    """Return the base URI of a catalogue this registry wrote (its dcat:Catalog is `<base>/catalog`)."""
    for node in graph.subjects(URIRef(RDF + "type"), URIRef(DCAT + "Catalog")):
        if str(node).endswith("/catalog"):
            return str(node).removesuffix("/catalog")
    return None


def read_record(
    graph: Graph, uri: str, base: str, fields: Iterable[Row] = FIELDS, sections: Sequence[Section] = SECTIONS
) -> dict[str, Any]:
    """Return the record the dataset `uri` describes, in the record's own form (slugs, not IRIs).

    Keys the graph says nothing about are left out, so a record from another catalogue shows, when
    validated, exactly what is missing.
    """
    r = Lookup(graph, base, uri)
    ds = URIRef(uri)
    record = read_rows(r, ds, fields)
    record["id"] = record.get("id") or uri.rstrip("/").rsplit("/", 1)[-1]
    for section in sections:
        record[section.field] = section.read(r, ds)
    record = _compact(record)
    for breakdown in record.get("breakdowns", []):
        breakdown.setdefault("available", {})  # required, and {} is valid: no limits known
    return record


def _compact(value: Any) -> Any:
    """Drop None and empty values: a record leaves out what it does not say (the model's defaults)."""
    if isinstance(value, dict):
        items = ((k, _compact(v)) for k, v in value.items())
        return {k: v for k, v in items if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_compact(item) for item in value]
    return value


def align_order(imported: Any, existing: Any) -> Any:
    """Return `imported` with its unordered lists (keywords, source keys ...) in `existing`'s order.

    RDF keeps no order for repeated values; following the record on disk means a round trip gives
    the record back exactly, and a diff shows only real changes. Values `existing` lacks go last.
    """
    if isinstance(imported, dict) and isinstance(existing, dict):
        return {k: align_order(v, existing.get(k)) for k, v in imported.items()}
    if isinstance(imported, list) and isinstance(existing, list):
        return _align_list(imported, existing)
    return imported


def _align_list(imported: list[Any], existing: list[Any]) -> list[Any]:
    """Values in `existing`'s order; items with a structure (dicts, lists) aligned by position."""
    if all(not isinstance(item, dict | list) for item in imported):
        rank = {item: i for i, item in enumerate(existing) if not isinstance(item, dict | list)}
        return sorted(imported, key=lambda item: rank.get(item, len(rank)))
    return [align_order(item, existing[i] if i < len(existing) else None) for i, item in enumerate(imported)]


# The dataset node's own: its class, the dataset type (statistical) every one of ours has, and the
# metadata quality measurements the build derives from the record (dcat/measurements.py).
_NODE_PROPERTIES = (RDF + "type", DCT + "type", DQV + "hasQualityMeasurement")


def known_properties(msr: str, fields: Iterable[Row] = FIELDS, sections: Sequence[Section] = SECTIONS) -> set[str]:
    """Return the dataset properties the reader reads (or, like stat:dimension, knows it derives)."""
    curies = [row.predicate for row in fields] + [p for section in sections for p in section.properties]
    return {*_NODE_PROPERTIES, *(expand(curie, msr) for curie in curies)}


def unmapped(
    graph: Graph, uri: str, base: str, fields: Iterable[Row] = FIELDS, sections: Sequence[Section] = SECTIONS
) -> list[str]:
    """Say what `read_record` could not map: properties it does not read, values not in our vocabularies."""
    r = Lookup(graph, base, uri)
    ds = URIRef(uri)
    fields = tuple(fields)
    known = known_properties(base + MSR_PATH, fields, sections)
    counts: dict[str, int] = {}
    for predicate in graph.predicates(ds, None):
        if str(predicate) not in known:
            counts[str(predicate)] = counts.get(str(predicate), 0) + 1
    found = [f"{predicate} ({n} value{'s' if n > 1 else ''})" for predicate, n in sorted(counts.items())]
    found += not_in_vocabularies(r, ds, fields)
    for section in sections:
        found += section.unmapped(r, ds) if section.unmapped else []
    return found


__all__ = ["align_order", "catalogue_base", "dataset_uris", "known_properties", "read_record", "unmapped"]
