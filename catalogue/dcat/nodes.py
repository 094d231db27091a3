"""The nodes the DCAT writer makes for many fields: agents, themes, concepts, licences, places, web
pages, periods, quality annotations, source links. One instance per registry (`DcatMapper` is one);
the field table (fields.py) and every section (sections/) write through it.

Every node that is not a literal has an IRI derived from the record, so the same record gives the
same triples on every build; there are no blank nodes. Nodes many datasets share are made once, in
`cache` (see `Builder.shared`).
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode

from catalogue.dcat.graph import Builder, Shared, Triples, iri, partial_date, plain, text
from catalogue.dcat.namespaces import (
    DCAT,
    DCT,
    DQV,
    FOAF,
    IANA_MEDIA,
    MSR_PATH,
    OA,
    QB,
    RDF,
    RDFS,
    SKOS,
    VCARD,
    expand,
)
from catalogue.records import vocabularies
from catalogue.records.model import Contact, Period
from catalogue.records.registry import Registry


class Nodes:
    """Make the nodes of one registry's records."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.homepages = {agent.homepage for agent in registry.agents.values()} | {registry.catalogue.homepage}
        self.base = registry.catalogue.base_uri
        self.msr = self.base + MSR_PATH
        self.catalog_uri = f"{self.base}/catalog"
        self.cache: dict[str, Shared] = {}
        self.service_uri = f"{self.base}/api"

    def expand(self, curie: str) -> str:
        """Return the IRI of `dct:title`, `msr:nextRelease` ... (`msr:` is this registry's own namespace)."""
        return expand(curie, self.msr)

    def shared_triples(self, key: str) -> Triples:
        """Return the triples of the shared node `key` (one of a Described's `uses`)."""
        return self.cache[key].triples

    def ns_concept(self, g: Builder, kind: str, slug: str, label: str) -> NamedNode:
        """A concept of our own scheme `base/ns/<kind>` (units, statuses, severities ...)."""
        return g.concept(f"{self.base}/ns/{kind}/{slug}", label, f"{self.base}/ns/{kind}")

    def licence(self, g: Builder, slug: str) -> NamedNode:
        def make(g: Builder) -> NamedNode:
            term = vocabularies.LICENCES[slug]
            node = g.typed(iri(self.registry.licence_uri(slug)), DCT + "LicenseDocument")
            g.add(node, RDFS + "label", text(term.label))
            return node

        return g.shared(f"licence {slug}", make)

    def agent(self, g: Builder, agent_id: str) -> NamedNode:
        def make(g: Builder) -> NamedNode:
            agent = self.registry.agents[agent_id]
            node = g.typed(iri(self.registry.agent_uri(agent_id)), FOAF + "Agent", FOAF + "Organization")
            g.add(node, FOAF + "name", text(agent.name))
            g.add(node, DCT + "identifier", plain(agent.id))
            kind = vocabularies.AGENT_TYPES[agent.type]
            g.add(node, DCT + "type", g.concept(kind.uri or "", kind.label))
            g.add(node, FOAF + "homepage", self.web_page(g, agent.homepage))
            g.add(node, DCT + "description", text(agent.description) if agent.description else None)
            return node

        return g.shared(f"agent {agent_id}", make)

    def theme(self, g: Builder, theme_id: str) -> NamedNode:
        def make(g: Builder) -> NamedNode:
            theme = self.registry.theme(theme_id)
            node = g.typed(iri(self.registry.theme_uri(theme_id)), SKOS + "Concept")
            g.add(node, SKOS + "prefLabel", text(theme.label))
            g.add(node, SKOS + "inScheme", iri(f"{self.base}/group"))
            g.add(node, SKOS + "definition", text(theme.description))
            return node

        return g.shared(f"theme {theme_id}", make)

    def web_page(self, g: Builder, url: str) -> NamedNode:
        """A foaf:Document. Homepages (the catalogue's, agents') are shared nodes, as one can be
        several agents' homepage or a dataset's landing page; other pages (most landing pages) are
        a dataset's own, so that the shared nodes, which every catalogue page carries, stay few."""
        if url not in self.homepages:
            return g.typed(iri(url), FOAF + "Document")
        return g.shared(f"page {url}", lambda g: g.typed(iri(url), FOAF + "Document"))

    @staticmethod
    def place(g: Builder, slug: str) -> NamedNode:
        def make(g: Builder) -> NamedNode:
            place = vocabularies.GEOGRAPHIES[slug]
            node = g.typed(iri(place.uri or ""), DCT + "Location")
            g.add(node, SKOS + "prefLabel", text(place.label))
            return node

        return g.shared(f"place {slug}", make)

    @staticmethod
    def file_type(g: Builder, code: str) -> NamedNode:
        def make(g: Builder) -> NamedNode:
            node = g.typed(iri(vocabularies.FILE_TYPES[code].uri or ""), DCT + "MediaTypeOrExtent")
            g.add(node, RDFS + "label", plain(code))
            return node

        return g.shared(f"file type {code}", make)

    @staticmethod
    def media_type(g: Builder, media_type: str) -> NamedNode:
        media = IANA_MEDIA + media_type
        return g.shared(f"media type {media}", lambda g: g.typed(iri(media), DCT + "MediaType"))

    def dimension(self, g: Builder, slug: str) -> NamedNode:
        def make(g: Builder) -> NamedNode:
            node = g.typed(iri(f"{self.base}/ns/dimension/{slug}"), QB + "DimensionProperty")
            g.add(node, RDFS + "label", text(vocabularies.DIMENSIONS[slug].label))
            return node

        return g.shared(f"dimension {slug}", make)

    @staticmethod
    def contact(g: Builder, uri: str, contact: Contact) -> NamedNode:
        node = g.typed(iri(uri), VCARD + "Kind", VCARD + "Organization")
        g.add(node, VCARD + "fn", text(contact.name))
        g.add(node, VCARD + "hasEmail", iri(f"mailto:{contact.email}") if contact.email else None)
        g.add(node, VCARD + "hasURL", iri(contact.url) if contact.url else None)
        return node

    @staticmethod
    def period(g: Builder, uri: str, start: str | None, end: str | None) -> NamedNode:
        node = g.typed(iri(uri), DCT + "PeriodOfTime")
        g.add(node, DCAT + "startDate", partial_date(start) if start else None)
        g.add(node, DCAT + "endDate", partial_date(end) if end else None)
        return node

    def periods(self, g: Builder, subject: NamedNode, uri: str, periods: Iterable[Period]) -> None:
        """Periods `<uri>-period-N`, in the record's order (the reader orders them by N)."""
        for i, period in enumerate(periods):
            g.add(subject, DCT + "temporal", self.period(g, f"{uri}-period-{i}", period.start, period.end))

    @staticmethod
    def sources(
        g: Builder, subject: NamedNode, dataset_uri: str, keys: Iterable[str], predicate: str = DCT + "source"
    ) -> None:
        """Point `subject` at the record's sources `<dataset>#source-<key>` (the sources section describes them)."""
        for key in keys:
            g.add(subject, predicate, iri(f"{dataset_uri}#source-{key}"))

    def note(self, g: Builder, dataset: NamedNode, uri: str, dimension: str, label: str, body: str) -> NamedNode:
        """Add a dqv:QualityAnnotation on `dataset` in `dimension`, its body `body`."""
        node = g.typed(iri(uri), DQV + "QualityAnnotation", OA + "Annotation")
        g.add(dataset, DQV + "hasQualityAnnotation", node)
        g.add(node, OA + "motivatedBy", iri(DQV + "qualityAssessment"))
        g.add(node, OA + "hasTarget", dataset)
        textual = g.typed(iri(f"{uri}-body"), OA + "TextualBody")
        g.add(textual, RDF + "value", text(body))
        g.add(textual, DCT + "format", plain("text/markdown"))
        g.add(node, OA + "hasBody", textual)
        dim = g.concept(f"{self.base}/ns/quality/{dimension}", label, f"{self.base}/ns/quality", DQV + "Dimension")
        g.add(node, DQV + "inDimension", dim)
        return node
