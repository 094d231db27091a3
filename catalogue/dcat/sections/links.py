"""Sections linking a dataset to others and to what it rests on: related records, data linkage, sources."""

from __future__ import annotations

from pyoxigraph import NamedNode

from catalogue.dcat.graph import Builder, iri, partial_date, plain, text
from catalogue.dcat.namespaces import DCAT, DCT, FOAF, RDFS
from catalogue.dcat.nodes import Nodes
from catalogue.dcat.readers import read_linkage, read_related, read_sources
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


def write_linkage(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    for i, link in enumerate(d.data_linkage):
        node = g.typed(iri(f"{uri}#linkage-{i}"), n.msr + "Linkage")
        g.add(ds, n.msr + "linkage", node)
        g.add(node, n.msr + "linkedWith", text(link.linked_with))
        status = vocabularies.LINKAGE_STATUSES[link.status].label
        g.add(node, n.msr + "linkageStatus", n.ns_concept(g, "linkage-status", link.status, status))
        g.add(node, DCT + "description", text(link.note))
        n.sources(g, node, uri, link.sources)


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
