"""Turn the registry into DCAT-AP 3 / StatDCAT-AP / DQV triples: the catalogue node, and each dataset
from the field table (fields.py) and the sections (sections/).

Triples are pyoxigraph terms (graph.py says why); rdflib reads the output back in the tests (SHACL,
round trip, golden files). reader.py is the inverse, driven by the same table and sections.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from catalogue.dcat.fields import FIELDS, Row, compile_rows, write_rows
from catalogue.dcat.graph import Builder, Described, iri, partial_date, text, typed
from catalogue.dcat.measurements import Measurement, write_measurements
from catalogue.dcat.namespaces import DCAT, DCT, FOAF, RDFS, SKOS
from catalogue.dcat.nodes import Nodes
from catalogue.dcat.sections import SECTIONS, Section
from catalogue.records import vocabularies
from catalogue.records.model import Dataset
from catalogue.records.registry import Registry

_STATISTICAL = vocabularies.EU + "/dataset-type/STATISTICAL"


class DcatMapper(Nodes):
    """Map a registry's records to triples; one instance per registry. `fields` and `sections` are
    the mapping (a test maps a model with a field more through a table with a row more).
    `measurements` (dataset id -> its metadata quality points per dimension, from catalogue/quality,
    which the build runs first) are written as DQV measurements; none when not given."""

    def __init__(
        self,
        registry: Registry,
        fields: Iterable[Row] = FIELDS,
        sections: Sequence[Section] = SECTIONS,
        measurements: Mapping[str, list[Measurement]] | None = None,
    ) -> None:
        super().__init__(registry)
        self.rows = compile_rows(fields, self)
        self.writers = [section.write for section in sections]
        self.measurements = measurements or {}

    def catalog(self, dataset_ids: Iterable[str]) -> Described:
        """Describe the catalogue node, its publisher, themes and API service, listing `dataset_ids`."""
        info = self.registry.catalogue
        g = Builder(self.cache)
        cat = g.typed(iri(self.catalog_uri), DCAT + "Catalog")
        g.add(cat, DCT + "title", text(info.title))
        g.add(cat, DCT + "description", text(info.description))
        g.add(cat, DCT + "publisher", self.agent(g, info.publisher))
        g.add(cat, FOAF + "homepage", self.web_page(g, info.homepage))
        for language in info.language:
            g.add(
                cat,
                DCT + "language",
                g.typed(iri(vocabularies.LANGUAGES[language].uri or ""), DCT + "LinguisticSystem"),
            )
        g.add(cat, DCT + "license", self.licence(g, info.licence))
        g.add(cat, DCT + "issued", partial_date(info.issued))
        g.add(cat, DCT + "modified", typed(self.registry.catalogue_modified(), "dateTime"))
        scheme = g.typed(iri(f"{self.base}/group"), SKOS + "ConceptScheme")
        g.add(scheme, DCT + "title", text(f"{info.title}: themes"))
        g.add(cat, DCAT + "themeTaxonomy", scheme)
        for theme in info.themes:
            self.theme(g, theme.id)
        service = g.typed(iri(self.service_uri), DCAT + "DataService")
        g.add(service, DCT + "title", text(f"{info.title}: CKAN Action API (read-only)"))
        g.add(service, DCAT + "endpointURL", g.typed(iri(f"{self.base}/api/3/action/"), RDFS + "Resource"))
        g.add(service, DCAT + "endpointDescription", g.typed(iri(f"{self.base}/openapi.json"), RDFS + "Resource"))
        g.add(service, DCT + "conformsTo", g.typed(iri("https://docs.ckan.org/en/2.11/api/"), DCT + "Standard"))
        g.add(service, DCT + "publisher", self.agent(g, info.publisher))
        g.add(cat, DCAT + "service", service)
        for dataset_id in dataset_ids:
            node = iri(self.registry.dataset_uri(dataset_id))
            g.add(cat, DCAT + "dataset", node)
            g.add(service, DCAT + "servesDataset", node)
        return g.described()

    def dataset(self, d: Dataset) -> Described:
        """Describe dataset `d` (the agents and concepts it points at are shared nodes)."""
        g = Builder(self.cache)
        uri = self.registry.dataset_uri(d.id)
        ds = g.typed(iri(uri), DCAT + "Dataset")
        g.add(ds, DCT + "type", g.concept(_STATISTICAL, "Statistical data", vocabularies.EU + "/dataset-type"))
        write_rows(self.rows, self, g, ds, uri, d)
        for write in self.writers:
            write(self, g, ds, uri, d)
        write_measurements(self.base, g, ds, uri, self.measurements.get(d.id, []))
        return g.described()


__all__ = ["DcatMapper", "Described", "partial_date"]
