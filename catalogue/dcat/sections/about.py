"""Sections about the dataset as a whole: contact point, themes, statistics status, temporal coverage."""

from __future__ import annotations

from pyoxigraph import NamedNode
from rdflib import URIRef

from catalogue.dcat.graph import Builder, boolean, iri
from catalogue.dcat.lookup import Lookup
from catalogue.dcat.namespaces import DCAT, DCT
from catalogue.dcat.nodes import Nodes
from catalogue.dcat.readers import read_contact, read_coverage, read_status, read_themes
from catalogue.dcat.sections.base import Section, under
from catalogue.records import vocabularies
from catalogue.records.model import Dataset


def write_contact(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    g.add(ds, DCAT + "contactPoint", n.contact(g, f"{uri}#contact", d.contact_point))


def write_themes(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    """Our theme, and the EU data theme it sits under (DCAT-AP needs one from the EU list)."""
    themes = {theme.id: theme for theme in n.registry.catalogue.themes}
    for theme_id in d.themes:
        g.add(ds, DCAT + "theme", n.theme(g, theme_id))
        eu = vocabularies.EU_THEMES[themes[theme_id].eu_theme]
        g.add(ds, DCAT + "theme", g.concept(eu.uri or "", eu.label, vocabularies.EU + "/data-theme"))


def unmapped_themes(r: Lookup, ds: URIRef) -> list[str]:
    """Another catalogue's themes, when none is ours (ours come with their EU theme, which is not)."""
    if r.slugs(ds, DCAT + "theme", "group"):
        return []
    return [f"{DCAT}theme {node} (not a theme of this registry)" for node in r.all(ds, DCAT + "theme")]


def write_status(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    status = d.statistics_status
    label = vocabularies.STATISTICS_STATUSES[status.status].label
    g.add(ds, n.msr + "statisticsStatus", n.ns_concept(g, "statistics-status", status.status, label))
    n.note(g, ds, f"{uri}#statistics-status", "statistics-status", "Statistics status", status.note)
    n.sources(g, iri(f"{uri}#statistics-status"), uri, status.sources)


def write_coverage(n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    cov = d.temporal_coverage
    g.add(ds, DCT + "temporal", n.period(g, f"{uri}#coverage", cov.start, cov.end))
    g.add(ds, n.msr + "ongoing", boolean(cov.ongoing))


SECTIONS = (
    Section(
        "contact_point",
        write_contact,
        read_contact,
        under("contact_point", "name", "email", "url"),
        ("dcat:contactPoint",),
        (
            (
                "contact_point",
                "`dcat:contactPoint` `<dataset>#contact` a `vcard:Organization`; `vcard:fn`, "
                "`vcard:hasEmail` (`mailto:`), `vcard:hasURL`",
                "",
            ),
        ),
    ),
    Section(
        "themes",
        write_themes,
        read_themes,
        ("themes",),
        ("dcat:theme",),
        (
            (
                "themes",
                "`dcat:theme` → our theme concept **and** its EU data-theme concept",
                "DCAT-AP needs one from the EU list",
            ),
        ),
        unmapped_themes,
    ),
    Section(
        "statistics_status",
        write_status,
        read_status,
        under("statistics_status", "status", "note", "sources"),
        ("msr:statisticsStatus", "dqv:hasQualityAnnotation"),
        (
            (
                "statistics_status",
                "`msr:statisticsStatus` → `base/ns/statistics-status/<slug>`; its note a `dqv:QualityAnnotation` "
                "in dimension `statistics-status`",
                "no standard term for UK official statistics status",
            ),
        ),
    ),
    Section(
        "temporal_coverage",
        write_coverage,
        read_coverage,
        under("temporal_coverage", "start", "end", "ongoing"),
        ("dct:temporal", "msr:ongoing"),
        (
            (
                "temporal_coverage",
                "`dct:temporal` `<dataset>#coverage` a `dct:PeriodOfTime`, `dcat:startDate`, `dcat:endDate`; "
                "`msr:ongoing` (boolean)",
                "",
            ),
        ),
    ),
)
