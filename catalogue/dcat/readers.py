"""The reading half of the DCAT sections (sections/): each structured field of a record read back from an rdflib
graph into the record's own JSON form (slugs, not IRIs), or None if the graph says nothing of it.

Apart from the writers (sections/*.py pairs each writer with its reader from here) so that it imports only rdflib,
the standard library and our own rdflib-only modules (lookup, namespaces, vocabularies, ids): the ckanext-dcat profile
(catalogue/ckan/profile.py) runs these very readers inside a CKAN's virtualenv, where the project is installed with
`pip install --no-deps` and pydantic and pyoxigraph are absent. READERS lists them by record field, in the order of
sections.SECTIONS (a test keeps the two equal).

A reader gives every key of its items, None where the graph has no value, as the model's JSON dump does; the
record reader (reader.py) drops those, the profile keeps them (its extras are the model's dump).
"""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.lookup import Lookup
from catalogue.dcat.namespaces import DCAT, DCT, DQV, FOAF, IANA_MEDIA, PROV, RDF, RDFS, STAT, VCARD
from catalogue.records import vocabularies
from catalogue.records.ids import resource_uuid


def read_contact(r: Lookup, ds: URIRef) -> dict[str, Any] | None:
    contact = r.one(ds, DCAT + "contactPoint")
    if contact is None:
        return None
    email = r.text(contact, VCARD + "hasEmail")
    return {
        "name": r.text(contact, VCARD + "fn"),
        "email": email.removeprefix("mailto:") if email else None,
        "url": r.text(contact, VCARD + "hasURL"),
    }


def read_themes(r: Lookup, ds: URIRef) -> list[str]:
    return r.slugs(ds, DCAT + "theme", "group")


def read_status(r: Lookup, ds: URIRef) -> dict[str, Any] | None:
    status = r.one(ds, r.msr + "statisticsStatus")
    if status is None:
        return None
    note = URIRef(f"{r.uri}#statistics-status")
    return {"status": r.slug(status, "ns/statistics-status"), "note": r.body(note), "sources": r.source_keys(note)}


def read_coverage(r: Lookup, ds: URIRef) -> dict[str, Any] | None:
    """Another catalogue says nothing of `ongoing`: a period without an end goes on."""
    coverage = r.one(ds, DCT + "temporal")
    if coverage is None:
        return None
    end = r.text(coverage, DCAT + "endDate")
    ongoing = r.boolean(ds, r.msr + "ongoing")
    return {
        "start": r.text(coverage, DCAT + "startDate"),
        "end": end,
        "ongoing": ongoing if ongoing is not None else end is None,
    }


def read_distributions(r: Lookup, ds: URIRef) -> list[dict[str, Any]]:
    """Distributions in record order: ours carry the resource UUID of their position in the record."""
    nodes = r.all(ds, DCAT + "distribution")
    identifier = r.text(ds, DCT + "identifier") or ""
    position = {f"{r.uri}/resource/{resource_uuid(identifier, i)}": i for i in range(len(nodes))}
    nodes.sort(key=lambda node: (position.get(str(node), len(nodes)), r.text(node, DCT + "title") or "", str(node)))
    return [_distribution(r, node) for node in nodes]


def _distribution(r: Lookup, node: Node) -> dict[str, Any]:
    size = r.one(node, DCAT + "byteSize")
    licence = r.text(node, DCT + "license")
    media = r.text(node, DCAT + "mediaType")
    return {
        "title": r.text(node, DCT + "title"),
        "description": r.text(node, DCT + "description"),
        "format": vocabularies.SLUGS_BY_URI["file_type"].get(str(r.one(node, DCT + "format"))),
        "media_type": media.removeprefix(IANA_MEDIA) if media else None,
        "access_url": r.text(node, DCAT + "accessURL"),
        "download_url": r.text(node, DCAT + "downloadURL"),
        "licence": _licence_slug(licence),
        "byte_size": int(str(size)) if size is not None and str(size).isdigit() else None,
        "rights": _rights(r, node),
        "sources": r.source_keys(node),
    }


def _rights(r: Lookup, node: Node) -> str | None:
    """A dct:RightsStatement's rdfs:label (as ckanext-dcat writes it); another catalogue's plain literal as is."""
    statement = r.one(node, DCT + "rights")
    if statement is None:
        return None
    if isinstance(statement, Literal):
        return str(statement)
    return r.text(statement, RDFS + "label")


def _licence_slug(licence: str | None) -> str | None:
    """Ours by their IRI; another catalogue's by the last part of its IRI (so validation names it)."""
    if not licence:
        return None
    return vocabularies.SLUGS_BY_URI["licence"].get(licence) or licence.rstrip("/").rsplit("/", 1)[-1]


def read_access(r: Lookup, ds: URIRef) -> dict[str, Any] | None:
    """Another catalogue gives only dct:accessRights: the level, without a route."""
    if r.one(ds, r.msr + "accessRoute") is None and r.one(ds, DCT + "accessRights") is None:
        return None
    route = URIRef(f"{r.uri}#access")
    return {
        "level": vocabularies.SLUGS_BY_URI["access"].get(str(r.one(ds, DCT + "accessRights"))),
        "route": r.text(route, RDFS + "label"),
        "url": r.text(route, FOAF + "page"),
        "conditions": r.text(route, DCT + "description"),
        "sources": r.source_keys(route),
    }


def read_breakdowns(r: Lookup, ds: URIRef) -> list[dict[str, Any]]:
    return [
        {
            "dimension": r.slug(r.one(node, r.msr + "dimension"), "ns/dimension"),
            "detail": r.text(node, DCT + "description"),
            "available": (r.periods(node, str(node)) or [{}])[0],
            "sources": r.source_keys(node),
        }
        for node in r.indexed(ds, r.msr + "breakdown", f"{r.uri}#breakdown-")
    ]


def read_quality(r: Lookup, ds: URIRef) -> dict[str, Any]:
    """Every ESS dimension, None where the dataset has no note in it (as the model's dump gives it)."""
    annotations = set(r.graph.objects(ds, URIRef(DQV + "hasQualityAnnotation")))
    nodes = {name: URIRef(f"{r.uri}#quality-{name}") for name in vocabularies.QUALITY_DIMENSIONS}
    return {
        name: {"text": r.body(node), "sources": r.source_keys(node)} if node in annotations else None
        for name, node in nodes.items()
    }


def read_qaad(r: Lookup, ds: URIRef) -> dict[str, Any] | None:
    node = URIRef(f"{r.uri}#qaad")
    if (ds, URIRef(DQV + "hasQualityAnnotation"), node) not in r.graph:
        return None
    return {
        "level": r.text(node, r.msr + "qaadLevel"),
        "summary": r.body(node),
        "url": r.text(node, FOAF + "page"),
        "sources": r.source_keys(node),
    }


def read_caveats(r: Lookup, ds: URIRef) -> list[dict[str, Any]]:
    return [
        {
            "title": r.text(node, DCT + "title"),
            "text": r.body(node),
            "severity": r.slug(r.one(node, r.msr + "severity"), "ns/severity"),
            "breaks_comparability": r.boolean(node, r.msr + "breaksComparability"),
            "periods": r.periods(node, str(node)),
            "breakdowns": r.slugs(node, r.msr + "affectsDimension", "ns/dimension"),
            "sources": r.source_keys(node),
        }
        for node in r.indexed(ds, DQV + "hasQualityAnnotation", f"{r.uri}#caveat-")
    ]


def read_method_changes(r: Lookup, ds: URIRef) -> list[dict[str, Any]]:
    return [
        {
            "date": r.text(node, DCT + "date"),
            "title": r.text(node, DCT + "title"),
            "change": r.text(node, DCT + "description"),
            "effect": r.text(node, r.msr + "effect"),
            "series": sorted(str(s) for s in r.all(node, r.msr + "affectsSeries")),
            "sources": r.source_keys(node),
        }
        for node in r.indexed(ds, PROV + "wasInfluencedBy", f"{r.uri}#method-change-")
    ]


def read_revisions(r: Lookup, ds: URIRef) -> list[dict[str, Any]]:
    return [
        {
            "release": r.text(node, DCT + "title"),
            "date": r.text(node, DCT + "date"),
            "what": r.text(node, DCT + "description"),
            "scale": r.text(node, r.msr + "scale"),
            "reason": r.text(node, r.msr + "reason"),
            "sources": r.source_keys(node),
        }
        for node in r.indexed(ds, r.msr + "revision", f"{r.uri}#revision-")
    ]


def read_figures(r: Lookup, ds: URIRef) -> list[dict[str, Any]]:
    return [
        {
            "label": r.text(node, RDFS + "label"),
            "value": _number(r.one(node, RDF + "value")),
            "unit": r.slug(r.one(node, STAT + "statUnitMeasure"), "ns/unit"),
            "period": r.text(node, r.msr + "period"),
            "table": r.text(node, r.msr + "table"),
            "as_published_in": r.text(node, r.msr + "asPublishedIn"),
            "sources": r.source_keys(node),
        }
        for node in r.indexed(ds, r.msr + "figure", f"{r.uri}#figure-")
    ]


def _number(node: Node | None) -> float | None:
    try:
        return float(str(node)) if node is not None else None
    except ValueError:
        return None


def read_unknowns(r: Lookup, ds: URIRef) -> list[dict[str, Any]]:
    return [
        {"field": r.text(node, r.msr + "field"), "note": r.text(node, RDFS + "comment")}
        for node in r.indexed(ds, r.msr + "unknown", f"{r.uri}#unknown-")
    ]


def read_related(r: Lookup, ds: URIRef) -> list[dict[str, Any]]:
    return [
        {
            "id": r.slug(r.one(node, DCT + "relation"), "dataset"),
            "relation": r.slug(r.one(node, DCAT + "hadRole"), "ns/relation"),
            "note": r.text(node, RDFS + "comment"),
        }
        for node in r.indexed(ds, DCAT + "qualifiedRelation", f"{r.uri}#relation-")
    ]


def read_linkage(r: Lookup, ds: URIRef) -> list[dict[str, Any]]:
    return [
        {
            "linked_with": r.text(node, r.msr + "linkedWith"),
            "status": r.slug(r.one(node, r.msr + "linkageStatus"), "ns/linkage-status"),
            "note": r.text(node, DCT + "description"),
            "sources": r.source_keys(node),
        }
        for node in r.indexed(ds, r.msr + "linkage", f"{r.uri}#linkage-")
    ]


def read_sources(r: Lookup, ds: URIRef) -> dict[str, dict[str, Any]]:
    """Every `<dataset>#source-<key>` in the graph, by key."""
    documents = r.graph.subjects(URIRef(RDF + "type"), URIRef(FOAF + "Document"))
    nodes = {node for node in documents if r.source_key(node) is not None}
    return {
        str(r.source_key(node)): {
            "title": r.text(node, DCT + "title"),
            "url": r.text(node, FOAF + "page"),
            "accessed": r.text(node, r.msr + "accessed"),
            "publisher": r.text(node, r.msr + "publisherName"),
            "note": r.text(node, RDFS + "comment"),
        }
        for node in sorted(nodes, key=str)
    }


READERS: dict[str, Any] = {
    "contact_point": read_contact,
    "themes": read_themes,
    "statistics_status": read_status,
    "temporal_coverage": read_coverage,
    "distributions": read_distributions,
    "access": read_access,
    "breakdowns": read_breakdowns,
    "quality": read_quality,
    "qaad": read_qaad,
    "caveats": read_caveats,
    "method_changes": read_method_changes,
    "revisions": read_revisions,
    "figures": read_figures,
    "unknowns": read_unknowns,
    "related": read_related,
    "data_linkage": read_linkage,
    "sources": read_sources,
}
