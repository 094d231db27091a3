"""The metadata quality score in the DCAT: one dqv:QualityMeasurement per MQA dimension, and the
dqv:Metric it measures.

Harvesters (data.europa.eu among them) read quality as DQV; a score only on our pages would be lost
to them. The score is computed by catalogue/quality (which reads the DCAT this package writes, so
it cannot be imported from here); the build hands the numbers in as `Measurement`s and this module
only writes them. Each metric is a shared node `<base>/ns/mqa/<dimension>`: a dqv:Metric in the
piveau dimension of the same name, whose definition says what it counts and out of how many points.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from catalogue.dcat.graph import Builder, iri, text, typed
from catalogue.dcat.namespaces import DQV, RDFS, SKOS, XSD

PIVEAU = "https://piveau.eu/ns/voc#"  # the dimensions of the piveau DQV vocabulary data.europa.eu uses


@dataclass(frozen=True)
class Measurement:
    """A dataset's points in one MQA dimension, and the metric's description."""

    dimension: str  # findability, accessibility, interoperability, reusability, contextuality
    label: str
    definition: str
    points: int
    max_points: int
    methodology: str  # the methodology's address


def write_measurements(base: str, g: Builder, ds: NamedNode, uri: str, measurements: list[Measurement]) -> None:
    """Add `<dataset>#mqa-<dimension>` measurements of `<base>/ns/mqa/<dimension>` metrics."""
    for m in measurements:
        metric = _metric(base, g, m)
        node = g.typed(iri(f"{uri}#mqa-{m.dimension}"), DQV + "QualityMeasurement")
        g.add(ds, DQV + "hasQualityMeasurement", node)
        g.add(node, DQV + "computedOn", ds)
        g.add(node, DQV + "isMeasurementOf", metric)
        g.add(node, DQV + "value", typed(str(m.points), "integer"))


def _metric(base: str, g: Builder, m: Measurement) -> NamedNode:
    def make(g: Builder) -> NamedNode:
        node = g.typed(iri(f"{base}/ns/mqa/{m.dimension}"), DQV + "Metric")
        g.add(node, SKOS + "prefLabel", text(f"MQA {m.label.lower()} points"))
        g.add(
            node,
            SKOS + "definition",
            text(
                f"Points the record earns in the {m.label.lower()} dimension of the data.europa.eu Metadata "
                f"Quality Assessment, out of {m.max_points}. {m.definition} Scored from this DCAT when the "
                "catalogue is built, without HTTP requests: the indicators that need an answer from the access "
                "and download URLs count 0 here (not checked)."
            ),
        )
        g.add(node, DQV + "expectedDataType", iri(XSD + "integer"))
        g.add(node, DQV + "inDimension", _dimension(g, m))
        g.add(node, RDFS + "seeAlso", iri(m.methodology))
        return node

    return g.shared(f"mqa metric {m.dimension}", make)


def _dimension(g: Builder, m: Measurement) -> NamedNode:
    def make(g: Builder) -> NamedNode:
        node = g.typed(iri(PIVEAU + m.dimension), DQV + "Dimension")
        g.add(node, SKOS + "prefLabel", text(m.label))
        return node

    return g.shared(f"mqa dimension {m.dimension}", make)
