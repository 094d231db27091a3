"""Sections on what the figures can and cannot be used for: breakdowns, quality notes, the QAAD
assessment and caveats. Notes and caveats are dqv:QualityAnnotations on the dataset."""

from __future__ import annotations

from pyoxigraph import NamedNode

from catalogue.dcat.graph import Builder, boolean, iri, plain, text
from catalogue.dcat.namespaces import DCT, FOAF, STAT
from catalogue.dcat.nodes import Nodes
from catalogue.dcat.readers import read_breakdowns, read_caveats, read_qaad, read_quality
from catalogue.dcat.sections.base import Section, under
from catalogue.records import vocabularies
from catalogue.records.model import Dataset


def write_breakdowns(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    for i, breakdown in enumerate(d.breakdowns):
        dim = n.dimension(g, breakdown.dimension)
        g.add(ds, STAT + "dimension", dim)
        node = g.typed(iri(f"{uri}#breakdown-{i}"), n.msr + "Breakdown")
        g.add(ds, n.msr + "breakdown", node)
        g.add(node, n.msr + "dimension", dim)
        g.add(node, DCT + "description", text(breakdown.detail) if breakdown.detail else None)
        n.periods(g, node, f"{uri}#breakdown-{i}", [breakdown.available])
        n.sources(g, node, uri, breakdown.sources)


def write_quality(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    """One annotation per ESS quality dimension the record has a note for, `<dataset>#quality-<name>`."""
    for name, note in d.quality.notes():
        label = vocabularies.QUALITY_DIMENSIONS[name].label
        node = n.note(g, ds, f"{uri}#quality-{name}", name, label, note.text)
        n.sources(g, node, uri, note.sources)


def write_qaad(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    if not d.qaad:
        return
    node = n.note(g, ds, f"{uri}#qaad", "qaad", "Quality Assurance of Administrative Data", d.qaad.summary)
    g.add(node, n.msr + "qaadLevel", plain(d.qaad.level) if d.qaad.level else None)
    g.add(node, FOAF + "page", iri(d.qaad.url) if d.qaad.url else None)
    n.sources(g, node, uri, d.qaad.sources)


def write_caveats(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    """Caveats that break comparability are annotations in the coherence and comparability dimension."""
    for i, caveat in enumerate(d.caveats):
        dimension = "coherence_and_comparability" if caveat.breaks_comparability else "caveat"
        label = vocabularies.QUALITY_DIMENSIONS.get(dimension, vocabularies.Term("Caveat")).label
        node = n.note(g, ds, f"{uri}#caveat-{i}", dimension, label, caveat.text)
        g.typed(node, n.msr + "Caveat")
        g.add(node, DCT + "title", text(caveat.title))
        severity = vocabularies.CAVEAT_SEVERITIES[caveat.severity].label
        g.add(node, n.msr + "severity", n.ns_concept(g, "severity", caveat.severity, severity))
        g.add(node, n.msr + "breaksComparability", boolean(caveat.breaks_comparability))
        n.periods(g, node, f"{uri}#caveat-{i}", caveat.periods)
        for slug in caveat.breakdowns:
            g.add(node, n.msr + "affectsDimension", iri(f"{n.base}/ns/dimension/{slug}"))
        n.sources(g, node, uri, caveat.sources)


_ANNOTATION = (
    "a `dqv:QualityAnnotation`: `oa:motivatedBy dqv:qualityAssessment`, `oa:hasTarget`, `oa:hasBody` "
    "(an `oa:TextualBody` with `rdf:value`), `dqv:inDimension base/ns/quality/<dimension>` (a `dqv:Dimension`)"
)

SECTIONS = (
    Section(
        "breakdowns",
        write_breakdowns,
        read_breakdowns,
        under("breakdowns[]", "dimension", "detail", "available.start", "available.end", "sources"),
        ("stat:dimension", "msr:breakdown"),
        (
            (
                "breakdowns[]",
                "`stat:dimension` → `base/ns/dimension/<slug>` (a `qb:DimensionProperty`); and `msr:breakdown` "
                "`<dataset>#breakdown-N`: `msr:dimension`, `dct:description`, `dct:temporal` (periods available)",
                "StatDCAT-AP",
            ),
        ),
    ),
    Section(
        "quality",
        write_quality,
        read_quality,
        tuple(f"quality.{name}.{part}" for name in vocabularies.QUALITY_DIMENSIONS for part in ("text", "sources")),
        ("dqv:hasQualityAnnotation",),
        (
            (
                "quality.<dimension>",
                f"`dqv:hasQualityAnnotation` `<dataset>#quality-<dimension>` {_ANNOTATION}",
                "the five ESS quality dimensions",
            ),
        ),
    ),
    Section(
        "qaad",
        write_qaad,
        read_qaad,
        under("qaad", "level", "summary", "url", "sources"),
        ("dqv:hasQualityAnnotation",),
        (("qaad", "a `dqv:QualityAnnotation` in dimension `qaad`; `msr:qaadLevel`, `foaf:page`", ""),),
    ),
    Section(
        "caveats",
        write_caveats,
        read_caveats,
        under(
            "caveats[]",
            *("title", "text", "severity", "breaks_comparability", "periods[].start", "periods[].end"),
            *("breakdowns", "sources"),
        ),
        ("dqv:hasQualityAnnotation",),
        (
            (
                "caveats[]",
                "a `dqv:QualityAnnotation` and `msr:Caveat` `<dataset>#caveat-N` in dimension "
                "`coherence_and_comparability` when it breaks comparability, else `caveat`; `dct:title`, "
                "`msr:severity`, `msr:breaksComparability`, `dct:temporal` (periods affected), `msr:affectsDimension`",
                "",
            ),
        ),
    ),
)
