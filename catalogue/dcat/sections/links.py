"""Sections linking a dataset to others and to what it rests on: related records, data linkage, sources."""

from __future__ import annotations

from typing import Any

from pyoxigraph import NamedNode
from rdflib import URIRef

from catalogue.dcat.graph import Builder, iri, partial_date, plain, text
from catalogue.dcat.lookup import Lookup
from catalogue.dcat.namespaces import DCAT, DCT, FOAF, RDF, RDFS
from catalogue.dcat.nodes import Nodes
from catalogue.dcat.sections.base import Section, under
from catalogue.records import vocabularies
from catalogue.records.model import Dataset


def write_related(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    """The relation's Dublin Core term, for DCAT-AP users; and a dcat:Relationship with our role and note."""
    for i, related in enumerate(d.related):
        other = iri(n.registry.dataset_uri(related.id))
        relation = vocabularies.RELATIONS[related.relation]
        g.add(ds, relation.uri or DCT + "relation", other)
        node = g.typed(iri(f"{uri}#relation-{i}"), DCAT + "Relationship")
        g.add(ds, DCAT + "qualifiedRelation", node)
        g.add(node, DCT + "relation", other)
        role = g.concept(
            f"{n.base}/ns/relation/{related.relation}", relation.label, f"{n.base}/ns/relation", DCAT + "Role"
        )
        g.add(node, DCAT + "hadRole", role)
        g.add(node, RDFS + "comment", text(related.note))


def read_related(r: Lookup, ds: URIRef) -> list[dict[str, Any]]:
    return [
        {
            "id": r.slug(r.one(node, DCT + "relation"), "dataset"),
            "relation": r.slug(r.one(node, DCAT + "hadRole"), "ns/relation"),
            "note": r.text(node, RDFS + "comment"),
        }
        for node in r.indexed(ds, DCAT + "qualifiedRelation", f"{r.uri}#relation-")
    ]


def write_linkage(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    for i, link in enumerate(d.data_linkage):
        node = g.typed(iri(f"{uri}#linkage-{i}"), n.msr + "Linkage")
        g.add(ds, n.msr + "linkage", node)
        g.add(node, n.msr + "linkedWith", text(link.linked_with))
        status = vocabularies.LINKAGE_STATUSES[link.status].label
        g.add(node, n.msr + "linkageStatus", n.ns_concept(g, "linkage-status", link.status, status))
        g.add(node, DCT + "description", text(link.note))
        n.sources(g, node, uri, link.sources)


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


def write_sources(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    """Each source `<dataset>#source-<key>`; what rests on it points at it (`Nodes.sources`)."""
    for key, source in d.sources.items():
        node = g.typed(iri(f"{uri}#source-{key}"), FOAF + "Document")
        g.add(node, DCT + "identifier", plain(key))
        g.add(node, DCT + "title", text(source.title))
        g.add(node, FOAF + "page", iri(source.url))
        g.add(node, n.msr + "accessed", partial_date(source.accessed))
        g.add(node, n.msr + "publisherName", text(source.publisher) if source.publisher else None)
        g.add(node, RDFS + "comment", text(source.note) if source.note else None)


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


SECTIONS = (
    Section(
        "related",
        write_related,
        read_related,
        under("related[]", "id", "relation", "note"),
        (
            "dcat:qualifiedRelation",
            DCT + "relation",
            *(term.uri for term in vocabularies.RELATIONS.values() if term.uri),
        ),
        (
            (
                "related[]",
                "the relation's Dublin Core term ("
                + ", ".join(
                    f"`dct:{term.uri.removeprefix(DCT)}`" for term in vocabularies.RELATIONS.values() if term.uri
                )
                + ") → other dataset; and `dcat:qualifiedRelation` (a `dcat:Relationship`, `dcat:hadRole` a "
                "`dcat:Role`, `rdfs:comment` the note)",
                "",
            ),
        ),
    ),
    Section(
        "data_linkage",
        write_linkage,
        read_linkage,
        under("data_linkage[]", "linked_with", "status", "note", "sources"),
        ("msr:linkage",),
        (
            (
                "data_linkage[]",
                "`msr:linkage` `<dataset>#linkage-N`: `msr:linkedWith`, `msr:linkageStatus`, `dct:description`",
                "",
            ),
        ),
    ),
    Section(
        "sources",
        write_sources,
        read_sources,
        under("sources{}", "title", "url", "accessed", "publisher", "note"),
        (),
        (
            (
                "sources.<key>",
                "`<dataset>#source-<key>` a `foaf:Document`: `dct:identifier` (key), `dct:title`, `foaf:page` "
                "(URL), `msr:accessed`, `msr:publisherName`, `rdfs:comment`",
                "every caveat, change, revision, figure, note and breakdown points at its sources with `dct:source`",
            ),
        ),
    ),
)
