"""Sections on the series' history and its numbers: method changes, revisions, headline figures, and
what is not known."""

from __future__ import annotations

from pyoxigraph import NamedNode

from catalogue.dcat.graph import Builder, iri, partial_date, plain, text, typed
from catalogue.dcat.namespaces import DCT, PROV, RDF, RDFS, STAT
from catalogue.dcat.nodes import Nodes
from catalogue.dcat.readers import read_figures, read_method_changes, read_revisions, read_unknowns
from catalogue.dcat.sections.base import Section, under
from catalogue.records import vocabularies
from catalogue.records.model import Dataset


def write_method_changes(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    for i, change in enumerate(d.method_changes):
        node = g.typed(iri(f"{uri}#method-change-{i}"), PROV + "Activity", n.msr + "MethodChange")
        g.add(ds, PROV + "wasInfluencedBy", node)
        g.add(node, DCT + "date", partial_date(change.date))
        g.add(node, DCT + "title", text(change.title))
        g.add(node, DCT + "description", text(change.change))
        g.add(node, n.msr + "effect", text(change.effect))
        for series in change.series:
            g.add(node, n.msr + "affectsSeries", text(series))
        n.sources(g, node, uri, change.sources)


def write_revisions(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    for i, revision in enumerate(d.revisions):
        node = g.typed(iri(f"{uri}#revision-{i}"), n.msr + "Revision")
        g.add(ds, n.msr + "revision", node)
        g.add(node, DCT + "title", text(revision.release))
        g.add(node, DCT + "date", partial_date(revision.date) if revision.date else None)
        g.add(node, DCT + "description", text(revision.what))
        g.add(node, n.msr + "scale", text(revision.scale))
        g.add(node, n.msr + "reason", text(revision.reason))
        n.sources(g, node, uri, revision.sources)


def write_figures(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    for i, figure in enumerate(d.figures):
        node = g.typed(iri(f"{uri}#figure-{i}"), n.msr + "Figure")
        g.add(ds, n.msr + "figure", node)
        g.add(node, RDFS + "label", text(figure.label))
        g.add(node, RDF + "value", typed(repr(figure.value), "double"))
        unit = n.ns_concept(g, "unit", figure.unit, vocabularies.UNITS[figure.unit].label)
        g.add(node, STAT + "statUnitMeasure", unit)
        g.add(node, n.msr + "period", text(figure.period))
        g.add(node, n.msr + "table", text(figure.table))
        g.add(node, n.msr + "asPublishedIn", text(figure.as_published_in))
        n.sources(g, node, uri, figure.sources)


def write_unknowns(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    for i, unknown in enumerate(d.unknowns):
        node = g.typed(iri(f"{uri}#unknown-{i}"), n.msr + "Unknown")
        g.add(ds, n.msr + "unknown", node)
        g.add(node, n.msr + "field", plain(unknown.field))
        g.add(node, RDFS + "comment", text(unknown.note))


SECTIONS = (
    Section(
        "method_changes",
        write_method_changes,
        read_method_changes,
        under("method_changes[]", "date", "title", "change", "effect", "series", "sources"),
        ("prov:wasInfluencedBy",),
        (
            (
                "method_changes[]",
                "`prov:wasInfluencedBy` `<dataset>#method-change-N` a `prov:Activity`, `msr:MethodChange`: "
                "`dct:date`, `dct:title`, `dct:description` (what changed), `msr:effect`, `msr:affectsSeries`",
                "",
            ),
        ),
    ),
    Section(
        "revisions",
        write_revisions,
        read_revisions,
        under("revisions[]", "release", "date", "what", "scale", "reason", "sources"),
        ("msr:revision",),
        (
            (
                "revisions[]",
                "`msr:revision` `<dataset>#revision-N` a `msr:Revision`: `dct:title` (release), `dct:date`, "
                "`dct:description` (what), `msr:scale`, `msr:reason`",
                "",
            ),
        ),
    ),
    Section(
        "figures",
        write_figures,
        read_figures,
        under("figures[]", "label", "value", "unit", "period", "table", "as_published_in", "sources"),
        ("msr:figure",),
        (
            (
                "figures[]",
                "`msr:figure` `<dataset>#figure-N`: `rdfs:label`, `rdf:value`, `stat:statUnitMeasure`, "
                "`msr:period`, `msr:table`, `msr:asPublishedIn`",
                "",
            ),
        ),
    ),
    Section(
        "unknowns",
        write_unknowns,
        read_unknowns,
        under("unknowns[]", "field", "note"),
        ("msr:unknown",),
        (("unknowns[]", "`msr:unknown` `<dataset>#unknown-N`: `msr:field`, `rdfs:comment`", ""),),
    ),
)
