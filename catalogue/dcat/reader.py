"""Read DCAT back into records: the inverse of rdf.py, field by field.

Used to prove our own output round-trips (every field of every record) and by `catalogue import`
for DCAT catalogues. Lists whose items have IRIs (caveats, method changes ... `#caveat-0`,
`#caveat-1`) come back in the order of the index in their IRI; repeated values without one
(keywords, spatial, source keys) have no order in RDF, so they come back sorted and
`align_order` can put them in an existing record's order. From other catalogues only the
DCAT-AP fields map; whatever is left is listed by `unmapped_properties`.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.namespaces import DCAT, DCT, DQV, FOAF, IANA_MEDIA, MSR_PATH, OA, PROV, RDF, RDFS, STAT, VCARD
from catalogue.records import vocabularies
from catalogue.records.registry import Registry

_BY_URI = vocabularies.SLUGS_BY_URI


def dataset_uris(graph: Graph) -> list[str]:
    """Return the IRIs of every dcat:Dataset in `graph`, sorted."""
    return sorted(str(s) for s in graph.subjects(URIRef(RDF + "type"), URIRef(DCAT + "Dataset")))


def catalogue_base(graph: Graph) -> str | None:
    """Return the base URI of a catalogue this registry wrote (its dcat:Catalog is `<base>/catalog`)."""
    for node in graph.subjects(URIRef(RDF + "type"), URIRef(DCAT + "Catalog")):
        if str(node).endswith("/catalog"):
            return str(node).removesuffix("/catalog")
    return None


class _Reader:
    """Terse access to one graph; `base` is the catalogue's base URI (our own IRIs start with it)."""

    def __init__(self, graph: Graph, base: str) -> None:
        self.graph = graph
        self.base = base
        self.msr = base + MSR_PATH

    def one(self, subject: Node | None, predicate: str) -> Node | None:
        return None if subject is None else self.graph.value(subject, URIRef(predicate))

    def all(self, subject: Node, predicate: str) -> list[Node]:
        return sorted(self.graph.objects(subject, URIRef(predicate)), key=str)

    def text(self, subject: Node | None, predicate: str) -> str | None:
        node = self.one(subject, predicate)
        return str(node) if node is not None else None

    def boolean(self, subject: Node, predicate: str) -> bool | None:
        node = self.one(subject, predicate)
        return bool(node.toPython()) if isinstance(node, Literal) else None

    def slug(self, node: Node | None, kind: str) -> str | None:
        """Return `<slug>` of one of our IRIs `<base>/<kind>/<slug>`, else None."""
        prefix = f"{self.base}/{kind}/"
        return str(node).removeprefix(prefix) if node is not None and str(node).startswith(prefix) else None

    def slugs(self, subject: Node, predicate: str, kind: str) -> list[str]:
        return sorted(slug for node in self.all(subject, predicate) if (slug := self.slug(node, kind)))

    def indexed(self, subject: Node, predicate: str, prefix: str) -> list[Node]:
        """Return the objects of `predicate` whose IRI is `<prefix><N>`, in the order of N."""
        pattern = re.compile(re.escape(prefix) + r"(\d+)")
        found = [
            (int(m.group(1)), node)
            for node in self.graph.objects(subject, URIRef(predicate))
            if (m := pattern.fullmatch(str(node)))
        ]
        return [node for _, node in sorted(found, key=lambda pair: pair[0])]

    def source_keys(self, subject: Node, dataset_uri: str, predicate: str = DCT + "source") -> list[str]:
        prefix = f"{dataset_uri}#source-"
        return sorted(str(n).removeprefix(prefix) for n in self.all(subject, predicate) if str(n).startswith(prefix))

    def body(self, annotation: Node) -> str | None:
        return self.text(self.one(annotation, OA + "hasBody"), RDF + "value")

    def periods(self, subject: Node, uri: str) -> list[dict[str, Any]]:
        return [self.period(node) for node in self.indexed(subject, DCT + "temporal", f"{uri}-period-")]

    def period(self, node: Node | None) -> dict[str, Any]:
        return {"start": self.text(node, DCAT + "startDate"), "end": self.text(node, DCAT + "endDate")}


def read_record(graph: Graph, uri: str, base: str) -> dict[str, Any]:
    """Return the record the dataset `uri` describes, in the record's own form (slugs, not IRIs).

    Keys the graph says nothing about are left out, so a record from another catalogue shows, when
    validated, exactly what is missing.
    """
    r = _Reader(graph, base)
    ds = URIRef(uri)
    contact = r.one(ds, DCAT + "contactPoint")
    email = r.text(contact, VCARD + "hasEmail")
    coverage = r.one(ds, DCT + "temporal")
    end = r.text(coverage, DCAT + "endDate")
    ongoing = r.boolean(ds, r.msr + "ongoing")
    status_note = URIRef(f"{uri}#statistics-status")
    access = URIRef(f"{uri}#access")
    annotations = set(r.graph.objects(ds, URIRef(DQV + "hasQualityAnnotation")))
    record: dict[str, Any] = {
        "id": r.text(ds, DCT + "identifier") or uri.rstrip("/").rsplit("/", 1)[-1],
        "title": r.text(ds, DCT + "title"),
        "summary": r.text(ds, DCT + "abstract"),
        "description": r.text(ds, DCT + "description"),
        "publisher": _agent_slug(r, r.one(ds, DCT + "publisher")),
        "creator": sorted(_agent_slug(r, node) for node in r.all(ds, DCT + "creator")),
        "contact_point": {
            "name": r.text(contact, VCARD + "fn"),
            "email": email.removeprefix("mailto:") if email else None,
            "url": r.text(contact, VCARD + "hasURL"),
        }
        if contact is not None
        else None,
        "landing_page": r.text(ds, DCAT + "landingPage"),
        "keywords": sorted(str(k) for k in r.all(ds, DCAT + "keyword")),
        "themes": r.slugs(ds, DCAT + "theme", "group"),
        "statistics_status": {
            "status": r.slug(r.one(ds, r.msr + "statisticsStatus"), "ns/statistics-status"),
            "note": r.body(status_note),
            "sources": r.source_keys(status_note, uri),
        }
        if r.one(ds, r.msr + "statisticsStatus") is not None
        else None,
        "frequency": _BY_URI["frequency"].get(str(r.one(ds, DCT + "accrualPeriodicity"))),
        "temporal_coverage": {
            "start": r.text(coverage, DCAT + "startDate"),
            "end": end,
            "ongoing": ongoing if ongoing is not None else end is None,
        }
        if coverage is not None
        else None,
        "temporal_resolution": r.text(ds, DCAT + "temporalResolution"),
        "spatial": sorted(_BY_URI["geography"].get(str(node), str(node)) for node in r.all(ds, DCT + "spatial")),
        "unit_of_measure": r.slugs(ds, STAT + "statUnitMeasure", "ns/unit"),
        "releases": {
            "first_issued": r.text(ds, DCT + "issued"),
            "last_updated": r.text(ds, DCT + "modified"),
            "next_release": r.text(ds, r.msr + "nextRelease"),
            "note": r.text(ds, r.msr + "releaseNote"),
            "sources": r.source_keys(ds, uri, r.msr + "releaseSource"),
        },
        "distributions": _distributions(r, ds, uri),
        "access": {
            "level": _BY_URI["access"].get(str(r.one(ds, DCT + "accessRights"))),
            "route": r.text(access, RDFS + "label"),
            "url": r.text(access, FOAF + "page"),
            "conditions": r.text(access, DCT + "description"),
            "sources": r.source_keys(access, uri),
        }
        if r.one(ds, r.msr + "accessRoute") is not None or r.one(ds, DCT + "accessRights") is not None
        else None,
        "breakdowns": [
            {
                "dimension": r.slug(r.one(node, r.msr + "dimension"), "ns/dimension"),
                "detail": r.text(node, DCT + "description"),
                "available": (r.periods(node, str(node)) or [{}])[0],
                "sources": r.source_keys(node, uri),
            }
            for node in r.indexed(ds, r.msr + "breakdown", f"{uri}#breakdown-")
        ],
        "quality": {
            name: {"text": r.body(node), "sources": r.source_keys(node, uri)}
            for name in vocabularies.QUALITY_DIMENSIONS
            if (node := URIRef(f"{uri}#quality-{name}")) in annotations
        },
        "qaad": _qaad(r, uri) if URIRef(f"{uri}#qaad") in annotations else None,
        "caveats": [
            {
                "title": r.text(node, DCT + "title"),
                "text": r.body(node),
                "severity": r.slug(r.one(node, r.msr + "severity"), "ns/severity"),
                "breaks_comparability": r.boolean(node, r.msr + "breaksComparability"),
                "periods": r.periods(node, str(node)),
                "breakdowns": r.slugs(node, r.msr + "affectsDimension", "ns/dimension"),
                "sources": r.source_keys(node, uri),
            }
            for node in r.indexed(ds, DQV + "hasQualityAnnotation", f"{uri}#caveat-")
        ],
        "method_changes": [
            {
                "date": r.text(node, DCT + "date"),
                "title": r.text(node, DCT + "title"),
                "change": r.text(node, DCT + "description"),
                "effect": r.text(node, r.msr + "effect"),
                "series": sorted(str(s) for s in r.all(node, r.msr + "affectsSeries")),
                "sources": r.source_keys(node, uri),
            }
            for node in r.indexed(ds, PROV + "wasInfluencedBy", f"{uri}#method-change-")
        ],
        "revisions": [
            {
                "release": r.text(node, DCT + "title"),
                "date": r.text(node, DCT + "date"),
                "what": r.text(node, DCT + "description"),
                "scale": r.text(node, r.msr + "scale"),
                "reason": r.text(node, r.msr + "reason"),
                "sources": r.source_keys(node, uri),
            }
            for node in r.indexed(ds, r.msr + "revision", f"{uri}#revision-")
        ],
        "related": [
            {
                "id": r.slug(r.one(node, DCT + "relation"), "dataset"),
                "relation": r.slug(r.one(node, DCAT + "hadRole"), "ns/relation"),
                "note": r.text(node, RDFS + "comment"),
            }
            for node in r.indexed(ds, DCAT + "qualifiedRelation", f"{uri}#relation-")
        ],
        "data_linkage": [
            {
                "linked_with": r.text(node, r.msr + "linkedWith"),
                "status": r.slug(r.one(node, r.msr + "linkageStatus"), "ns/linkage-status"),
                "note": r.text(node, DCT + "description"),
                "sources": r.source_keys(node, uri),
            }
            for node in r.indexed(ds, r.msr + "linkage", f"{uri}#linkage-")
        ],
        "figures": [
            {
                "label": r.text(node, RDFS + "label"),
                "value": _number(r.one(node, RDF + "value")),
                "unit": r.slug(r.one(node, STAT + "statUnitMeasure"), "ns/unit"),
                "period": r.text(node, r.msr + "period"),
                "table": r.text(node, r.msr + "table"),
                "as_published_in": r.text(node, r.msr + "asPublishedIn"),
                "sources": r.source_keys(node, uri),
            }
            for node in r.indexed(ds, r.msr + "figure", f"{uri}#figure-")
        ],
        "unknowns": [
            {"field": r.text(node, r.msr + "field"), "note": r.text(node, RDFS + "comment")}
            for node in r.indexed(ds, r.msr + "unknown", f"{uri}#unknown-")
        ],
        "described_from": r.source_keys(ds, uri, r.msr + "describedFrom"),
        "sources": _sources(r, ds, uri),
    }
    record = _compact(record)
    for breakdown in record.get("breakdowns", []):
        breakdown.setdefault("available", {})  # required, and {} is valid: no limits known
    return record


def _agent_slug(r: _Reader, node: Node | None) -> str | None:
    """Our agents by their slug; another catalogue's by the last part of its IRI (or its name)."""
    if node is None:
        return None
    slug = r.slug(node, "organization")
    if slug:
        return slug
    name = r.text(node, FOAF + "name") or ""
    tail = str(node).rstrip("/").rsplit("/", 1)[-1]
    text = tail if re.fullmatch(r"[A-Za-z0-9-]+", tail) else name
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or None


def _number(node: Node | None) -> float | None:
    try:
        return float(str(node)) if node is not None else None
    except ValueError:
        return None


def _distributions(r: _Reader, ds: Node, uri: str) -> list[dict[str, Any]]:
    """Distributions in record order: ours carry the resource UUID of their position in the record."""
    nodes = r.all(ds, DCAT + "distribution")
    identifier = r.text(ds, DCT + "identifier") or ""
    position = {f"{uri}/resource/{Registry.resource_uuid(identifier, i)}": i for i in range(len(nodes))}
    nodes.sort(key=lambda node: (position.get(str(node), len(nodes)), r.text(node, DCT + "title") or "", str(node)))
    found = []
    for node in nodes:
        size = r.one(node, DCAT + "byteSize")
        licence = r.text(node, DCT + "license")
        found.append(
            {
                "title": r.text(node, DCT + "title"),
                "description": r.text(node, DCT + "description"),
                "format": _BY_URI["file_type"].get(str(r.one(node, DCT + "format"))),
                "media_type": (media.removeprefix(IANA_MEDIA) if (media := r.text(node, DCAT + "mediaType")) else None),
                "access_url": r.text(node, DCAT + "accessURL"),
                "download_url": r.text(node, DCAT + "downloadURL"),
                "licence": _BY_URI["licence"].get(licence or "")
                or (licence.rstrip("/").rsplit("/", 1)[-1] if licence else None),
                "byte_size": int(str(size)) if size is not None and str(size).isdigit() else None,
                "sources": r.source_keys(node, uri),
            }
        )
    return found


def _qaad(r: _Reader, uri: str) -> dict[str, Any]:
    node = URIRef(f"{uri}#qaad")
    return {
        "level": r.text(node, r.msr + "qaadLevel"),
        "summary": r.body(node),
        "url": r.text(node, FOAF + "page"),
        "sources": r.source_keys(node, uri),
    }


def _sources(r: _Reader, ds: Node, uri: str) -> dict[str, dict[str, Any]]:
    """Every `<dataset>#source-<key>` a triple points at, by key."""
    prefix = f"{uri}#source-"
    nodes = {n for n in r.graph.subjects(URIRef(RDF + "type"), URIRef(FOAF + "Document")) if str(n).startswith(prefix)}
    return {
        str(node).removeprefix(prefix): {
            "title": r.text(node, DCT + "title"),
            "url": r.text(node, FOAF + "page"),
            "accessed": r.text(node, r.msr + "accessed"),
            "publisher": r.text(node, r.msr + "publisherName"),
            "note": r.text(node, RDFS + "comment"),
        }
        for node in sorted(nodes, key=str)
    }


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
        if all(not isinstance(item, dict | list) for item in imported):
            rank = {item: i for i, item in enumerate(existing) if not isinstance(item, dict | list)}
            return sorted(imported, key=lambda item: rank.get(item, len(rank)))
        return [align_order(item, existing[i] if i < len(existing) else None) for i, item in enumerate(imported)]
    return imported


# Dataset properties read above; anything else on a dataset is reported as not mapped.
READ_PROPERTIES = {
    RDF + "type",
    DCT + "identifier",
    DCT + "title",
    DCT + "abstract",
    DCT + "description",
    DCT + "publisher",
    DCT + "creator",
    DCAT + "contactPoint",
    DCAT + "landingPage",
    DCAT + "keyword",
    DCAT + "theme",
    DCT + "accrualPeriodicity",
    DCT + "temporal",
    DCAT + "temporalResolution",
    DCT + "spatial",
    STAT + "statUnitMeasure",
    DCT + "issued",
    DCT + "modified",
    DCAT + "distribution",
    DCT + "accessRights",
    DQV + "hasQualityAnnotation",
    PROV + "wasInfluencedBy",
    DCAT + "qualifiedRelation",
    STAT + "dimension",
    DCT + "type",
} | {term.uri for term in vocabularies.RELATIONS.values() if term.uri}
OUR_PROPERTIES = (
    "statisticsStatus",
    "ongoing",
    "nextRelease",
    "releaseNote",
    "releaseSource",
    "accessRoute",
    "breakdown",
    "revision",
    "figure",
    "unknown",
    "linkage",
    "describedFrom",
)


def unmapped(graph: Graph, uri: str, base: str) -> list[str]:
    """Say what `read_record` could not map: properties it does not read, values not in our vocabularies."""
    r = _Reader(graph, base)
    ds = URIRef(uri)
    known = READ_PROPERTIES | {r.msr + name for name in OUR_PROPERTIES}
    counts: dict[str, int] = {}
    for predicate in graph.predicates(ds, None):
        if str(predicate) not in known:
            counts[str(predicate)] = counts.get(str(predicate), 0) + 1
    found = [f"{predicate} ({n} value{'s' if n > 1 else ''})" for predicate, n in sorted(counts.items())]
    vocabularies = [(ds, DCT + "accrualPeriodicity", "frequency"), (ds, DCT + "accessRights", "access")]
    vocabularies += [(node, DCT + "format", "file_type") for node in r.all(ds, DCAT + "distribution")]
    vocabularies += [(ds, DCT + "spatial", "geography")]
    for subject, predicate, kind in vocabularies:
        for value in r.all(subject, predicate):
            if str(value) not in _BY_URI[kind]:
                found.append(f"{predicate} {value} (not in the {kind.replace('_', ' ')} vocabulary)")
    if not r.slugs(ds, DCAT + "theme", "group"):
        found += [f"{DCAT}theme {node} (not a theme of this registry)" for node in r.all(ds, DCAT + "theme")]
    return found


__all__ = ["align_order", "catalogue_base", "dataset_uris", "read_record", "unmapped"]
