"""Read DCAT back into record fields: the inverse of rdf.py for every field with a DCAT property.

Used to prove our own output round-trips, and by importers of other DCAT catalogues. RDF has no
order, so lists come back sorted; the caller compares them as sets.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from catalogue import terms
from catalogue.vocab import DCAT, DCT, IANA_MEDIA, RDF, STAT, VCARD

_BY_URI: dict[str, dict[str, str]] = {
    "frequency": terms.slugs_by_uri(terms.FREQUENCIES),
    "geography": terms.slugs_by_uri(terms.GEOGRAPHIES),
    "file_type": terms.slugs_by_uri(terms.FILE_TYPES),
    "licence": terms.slugs_by_uri(terms.LICENCES),
    "access": terms.slugs_by_uri(terms.ACCESS_LEVELS),
}


def _one(graph: Graph, subject: Node, predicate: str) -> Node | None:
    return graph.value(subject, URIRef(predicate))


def _all(graph: Graph, subject: Node, predicate: str) -> list[Node]:
    return sorted(graph.objects(subject, URIRef(predicate)), key=str)


def _text(node: Node | None) -> str | None:
    return str(node) if node is not None else None


def _slug_after(node: Node | None, prefix: str) -> str | None:
    return str(node).removeprefix(prefix) if node is not None and str(node).startswith(prefix) else None


def dataset_uris(graph: Graph) -> list[str]:
    """Return the IRIs of every dcat:Dataset in `graph`, sorted."""
    return sorted(str(s) for s in graph.subjects(URIRef(RDF + "type"), URIRef(DCAT + "Dataset")))


def read_dataset(graph: Graph, uri: str, base: str) -> dict[str, Any]:
    """Return the DCAT-mapped fields of the dataset `uri`, in the record's own form (slugs, not IRIs)."""
    ds = URIRef(uri)
    contact = _one(graph, ds, DCAT + "contactPoint")
    email = _text(_one(graph, contact, VCARD + "hasEmail")) if contact is not None else None
    coverage = _one(graph, ds, DCT + "temporal")
    ongoing = _one(graph, ds, f"{base}/ns#ongoing")
    agents = f"{base}/organization/"
    return {
        "id": _text(_one(graph, ds, DCT + "identifier")),
        "title": _text(_one(graph, ds, DCT + "title")),
        "summary": _text(_one(graph, ds, DCT + "abstract")),
        "description": _text(_one(graph, ds, DCT + "description")),
        "publisher": _slug_after(_one(graph, ds, DCT + "publisher"), agents),
        "creator": [_slug_after(node, agents) for node in _all(graph, ds, DCT + "creator")],
        "contact_point": {
            "name": _text(_one(graph, contact, VCARD + "fn")),
            "email": email.removeprefix("mailto:") if email else None,
            "url": _text(_one(graph, contact, VCARD + "hasURL")),
        } if contact is not None else None,
        "landing_page": _text(_one(graph, ds, DCAT + "landingPage")),
        "keywords": sorted(str(k) for k in _all(graph, ds, DCAT + "keyword")),
        "themes": sorted(slug for node in _all(graph, ds, DCAT + "theme")
                         if (slug := _slug_after(node, f"{base}/group/"))),
        "frequency": _BY_URI["frequency"].get(str(_one(graph, ds, DCT + "accrualPeriodicity"))),
        "temporal_coverage": {
            "start": _text(_one(graph, coverage, DCAT + "startDate")),
            "end": _text(_one(graph, coverage, DCAT + "endDate")),
            "ongoing": ongoing.toPython() if isinstance(ongoing, Literal) else None,
        } if coverage is not None else None,
        "temporal_resolution": _text(_one(graph, ds, DCAT + "temporalResolution")),
        "spatial": sorted(_BY_URI["geography"].get(str(node), str(node)) for node in _all(graph, ds, DCT + "spatial")),
        "unit_of_measure": sorted(slug for node in _all(graph, ds, STAT + "statUnitMeasure")
                                  if (slug := _slug_after(node, f"{base}/ns/unit/"))),
        "releases": {
            "first_issued": _text(_one(graph, ds, DCT + "issued")),
            "last_updated": _text(_one(graph, ds, DCT + "modified")),
            "next_release": _text(_one(graph, ds, f"{base}/ns#nextRelease")),
        },
        "distributions": sorted(
            (_read_distribution(graph, node) for node in _all(graph, ds, DCAT + "distribution")),
            key=lambda d: (d["title"] or "", d["access_url"] or ""),
        ),
        "access_level": _BY_URI["access"].get(str(_one(graph, ds, DCT + "accessRights"))),
    }


def _read_distribution(graph: Graph, node: Node) -> dict[str, Any]:
    size = _one(graph, node, DCAT + "byteSize")
    licence = str(_one(graph, node, DCT + "license"))
    return {
        "title": _text(_one(graph, node, DCT + "title")),
        "description": _text(_one(graph, node, DCT + "description")),
        "format": _BY_URI["file_type"].get(str(_one(graph, node, DCT + "format"))),
        "media_type": _slug_after(_one(graph, node, DCAT + "mediaType"), IANA_MEDIA),
        "access_url": _text(_one(graph, node, DCAT + "accessURL")),
        "download_url": _text(_one(graph, node, DCAT + "downloadURL")),
        "licence": _BY_URI["licence"].get(licence) or licence.rsplit("/", 1)[-1],
        "byte_size": int(size) if size is not None else None,
    }


__all__ = ["dataset_uris", "read_dataset"]
