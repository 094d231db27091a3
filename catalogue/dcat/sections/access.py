"""Sections on getting the data: distributions (files and pages) and the access route."""

from __future__ import annotations

from pyoxigraph import NamedNode
from rdflib import URIRef

from catalogue.dcat.graph import Builder, iri, text, typed
from catalogue.dcat.lookup import Lookup
from catalogue.dcat.namespaces import DCAT, DCT, FOAF, RDFS
from catalogue.dcat.nodes import Nodes
from catalogue.dcat.readers import read_access, read_distributions
from catalogue.dcat.sections.base import Section, under
from catalogue.records import vocabularies
from catalogue.records.model import Dataset


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
