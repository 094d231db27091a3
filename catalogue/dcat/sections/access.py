"""Sections on getting the data: distributions (files and pages) and the access route."""

from __future__ import annotations

from typing import Any

from pyoxigraph import NamedNode
from rdflib import Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.graph import Builder, iri, text, typed
from catalogue.dcat.lookup import Lookup
from catalogue.dcat.namespaces import DCAT, DCT, FOAF, IANA_MEDIA, RDFS
from catalogue.dcat.nodes import Nodes
from catalogue.dcat.sections.base import Section, under
from catalogue.records import vocabularies
from catalogue.records.model import Dataset
from catalogue.records.registry import Registry


def write_distributions(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    """Each at `<dataset>/resource/<uuid>`, the UUID of its position, as the CKAN feed's resources."""
    for i, dist in enumerate(d.distributions):
        resource = f"{uri}/resource/{n.registry.resource_uuid(d.id, i)}"
        node = g.typed(iri(resource), DCAT + "Distribution")
        g.add(ds, DCAT + "distribution", node)
        g.add(node, DCT + "title", text(dist.title))
        g.add(node, DCT + "description", text(dist.description) if dist.description else None)
        g.add(node, DCT + "format", n.file_type(g, dist.format))
        g.add(node, DCAT + "mediaType", n.media_type(g, dist.media_type) if dist.media_type else None)
        g.add(node, DCAT + "accessURL", iri(dist.access_url))
        g.add(node, DCAT + "downloadURL", iri(dist.download_url) if dist.download_url else None)
        g.add(node, DCT + "license", n.licence(g, dist.licence))
        g.add(
            node,
            DCAT + "byteSize",
            typed(str(dist.byte_size), "nonNegativeInteger") if dist.byte_size is not None else None,
        )
        if dist.rights:
            # as DCAT-AP 3 and ckanext-dcat's euro_dcat_ap_3 write a resource's `rights`: a dct:RightsStatement
            # with an rdfs:label (named after its distribution here, so the output stays stable)
            rights = g.typed(iri(f"{resource}#rights"), DCT + "RightsStatement")
            g.add(node, DCT + "rights", rights)
            g.add(rights, RDFS + "label", text(dist.rights))
        n.sources(g, node, uri, dist.sources)


def read_distributions(r: Lookup, ds: URIRef) -> list[dict[str, Any]]:
    """Distributions in record order: ours carry the resource UUID of their position in the record."""
    nodes = r.all(ds, DCAT + "distribution")
    identifier = r.text(ds, DCT + "identifier") or ""
    position = {f"{r.uri}/resource/{Registry.resource_uuid(identifier, i)}": i for i in range(len(nodes))}
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


def unmapped_formats(r: Lookup, ds: URIRef) -> list[str]:
    return [
        found
        for node in r.all(ds, DCAT + "distribution")
        for found in r.not_in_vocabulary(node, DCT + "format", "file_type")
    ]


def write_access(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    level = vocabularies.ACCESS_LEVELS[d.access.level]
    rights = g.concept(level.uri or "", level.label, vocabularies.EU + "/access-right", DCT + "RightsStatement")
    g.add(ds, DCT + "accessRights", rights)
    route = g.typed(iri(f"{uri}#access"), n.msr + "AccessRoute")
    g.add(ds, n.msr + "accessRoute", route)
    g.add(route, RDFS + "label", text(d.access.route))
    g.add(route, FOAF + "page", iri(d.access.url))
    g.add(route, DCT + "description", text(d.access.conditions))
    n.sources(g, route, uri, d.access.sources)


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


def unmapped_access(r: Lookup, ds: URIRef) -> list[str]:
    return r.not_in_vocabulary(ds, DCT + "accessRights", "access")


SECTIONS = (
    Section(
        "distributions",
        write_distributions,
        read_distributions,
        under(
            "distributions[]",
            *("title", "description", "format", "media_type", "access_url", "download_url", "licence"),
            *("byte_size", "rights", "sources"),
        ),
        ("dcat:distribution",),
        (
            (
                "distributions[]",
                "`dcat:distribution` `base/dataset/<id>/resource/<uuid>` a `dcat:Distribution`: `dct:title`, "
                "`dct:description`, `dct:format` (EU file type, a `dct:MediaTypeOrExtent`), `dcat:mediaType` "
                "(IANA, a `dct:MediaType`), `dcat:accessURL`, `dcat:downloadURL`, `dct:license`, `dcat:byteSize` "
                "(`xsd:nonNegativeInteger`), `dct:rights` (a `dct:RightsStatement` `<resource>#rights` with "
                "`rdfs:label`)",
                "resource UUIDs as the CKAN feed's",
            ),
        ),
        unmapped_formats,
    ),
    Section(
        "access",
        write_access,
        read_access,
        under("access", "level", "route", "url", "conditions", "sources"),
        ("dct:accessRights", "msr:accessRoute"),
        (
            (
                "access.level",
                "`dct:accessRights` (EU access-right: `PUBLIC`, `RESTRICTED`, `NON_PUBLIC`; a `dct:RightsStatement`)",
                "",
            ),
            (
                "access.route, url, conditions",
                "`msr:accessRoute` `<dataset>#access` a `msr:AccessRoute`: `rdfs:label`, `foaf:page`, "
                "`dct:description`",
                "",
            ),
        ),
        unmapped_access,
    ),
)
