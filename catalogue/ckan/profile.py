"""ckanext-dcat profile `msr_quality`: what ckanext-dcat's DCAT-AP 3 profile leaves out of our DCAT, read back.

A CKAN that harvests our /catalog.ttl with ckanext-dcat's RDF harvester, with
`ckanext.dcat.rdf.profiles = euro_dcat_ap_3 msr_quality`, runs this after ckanext-dcat's own profile: it keeps
everything that profile read and corrects or adds only our part, into the fields our own package_show serves
(packages.py), so that the DCAT route and the CKAN route store the same thing:
- `license_id`: from the distributions' common `dct:license` (ckanext-dcat 2.4 reads none at dataset level, so
  every open dataset became "not open"); the IRIs are those our DCAT writer uses, the ids CKAN 2.11's register's;
- `theme`: only EU data themes, sorted (ckanext-dcat also lists our theme groups' IRIs there);
- each resource's `license` as the licence IRI (ckanext-dcat stores its label), agents without the empty
  subfields ckanext-dcat adds, `maintainer` and `maintainer_email` from the contact point, as packages.py does;
- `spatial_coverage`: every place (`dct:spatial`) with its label, not only the first;
- `tags` that pass CKAN's tag validators (ckanext-dcat copies each keyword, and CKAN refuses the dataset when one has an
  apostrophe or "&"), derived by the rule packages.py uses (catalogue/ckan/tags.py), with the keywords as written in the
  `keywords` extra when they differ;
- `extras`: every record field CKAN has no field of its own for (quality notes, caveats, method changes,
  revisions, breakdowns, figures, sources, distributions, access, releases ...), byte for byte as packages.py
  serves them, and `registry_source`.

The extras are not a second mapping: they are read by our own DCAT readers (catalogue/dcat/fields.py's rows and
catalogue/dcat/readers.py, the sections' reading half) and serialised by catalogue/ckan/extras.py, the module
packages.py serialises with; tags and licence ids come from catalogue/ckan/tags.py and licences.py likewise. It runs
inside CKAN's own virtualenv, where the project is installed with `pip install --no-deps`, so besides CKAN's,
ckanext-dcat's and rdflib's modules it imports only those of ours that need nothing but rdflib and the standard library
(tests/test_ckan_profile.py imports them with every other dependency of the project blocked). Declared in pyproject.toml
under [project.entry-points."ckan.rdf.profiles"].
"""

from __future__ import annotations

from typing import Any

from ckanext.dcat.profiles.base import RDFProfile  # type: ignore[import-not-found]
from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS, RDFS, SKOS

from catalogue.ckan.extras import (
    CKAN_FIELDS,
    KEYWORDS_EXTRA,
    MARK,
    extra_key,
    extra_value,
    extras_list,
    keywords_value,
)
from catalogue.ckan.licences import OURS
from catalogue.ckan.tags import ckan_tags
from catalogue.dcat.fields import FIELDS, read_rows
from catalogue.dcat.lookup import Lookup
from catalogue.dcat.readers import READERS
from catalogue.records import vocabularies

EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
# The id CKAN 2.11's licence register has for each licence IRI our DCAT writer uses (the EU licence vocabulary's,
# else `<base>/ns/licence/<slug>`), by the IRI's last part.
LICENCE_IDS = {(term.uri or f"/{slug}").rsplit("/", 1)[-1]: OURS[slug] for slug, term in vocabularies.LICENCES.items()}


class MsrQualityProfile(RDFProfile):
    """Read what euro_dcat_ap_3 leaves out of a dataset of this registry; a no-op on anyone else's."""

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> dict[str, Any]:
        uri = str(dataset_ref)
        if "/dataset/" not in uri:
            return dataset_dict
        base = uri.rsplit("/dataset/", 1)[0]
        graph = self.g
        themes = sorted({value for value in dataset_dict.get("theme") or [] if value.startswith(EU_THEME)})
        if themes:
            dataset_dict["theme"] = themes
        else:
            dataset_dict.pop("theme", None)
        places = sorted(set(graph.objects(dataset_ref, DCTERMS.spatial)), key=str)
        if places:
            dataset_dict["spatial_coverage"] = [
                {"text": _label(graph, place), "uri": str(place)} for place in places if isinstance(place, URIRef)
            ]
        for resource in dataset_dict.get("resources") or []:
            # ckanext-dcat stores the licence's label; our CKAN route (and its own DCAT-AP 3 tests) the IRI
            licence = graph.value(URIRef(resource.get("distribution_ref") or ""), DCTERMS.license)
            if isinstance(licence, URIRef):
                resource["license"] = str(licence)
        for resource in dataset_dict.get("resources") or []:
            resource.setdefault("description", "")  # as packages.py gives a distribution without one
        relations = dataset_dict.get("qualified_relation") or []
        relations.sort(key=lambda relation: _position(str(relation.get("uri", ""))))  # RDF keeps no order
        for key in ("publisher", "creator"):  # a subfield our DCAT has no value for is left out, as scheming does
            for agent in dataset_dict.get(key) or []:
                for sub in [sub for sub, value in agent.items() if value == ""]:
                    del agent[sub]
        for contact in dataset_dict.get("contact") or []:
            if contact.get("identifier") == "":
                del contact["identifier"]
            contact.setdefault("email", "")
            contact.setdefault("url", "")
        if dataset_dict.get("contact"):  # CKAN's own maintainer fields, as packages.py fills them
            dataset_dict["maintainer"] = dataset_dict["contact"][0].get("name")
            dataset_dict["maintainer_email"] = dataset_dict["contact"][0].get("email") or ""
        licences = {
            str(licence).rsplit("/", 1)[-1]
            for dist in graph.objects(dataset_ref, DCAT.distribution)
            for licence in graph.objects(dist, DCTERMS.license)
        }
        dataset_dict["license_id"] = (
            LICENCE_IDS.get(licences.pop(), "notspecified") if len(licences) == 1 else ("notspecified")
        )
        keywords = sorted(str(keyword) for keyword in graph.objects(dataset_ref, DCAT.keyword))
        tags = ckan_tags(keywords)
        dataset_dict["tags"] = [{"name": tag} for tag in tags]
        extras = _extras(graph, base, uri)
        if tags != keywords:  # RDF keeps no order: the keywords come back sorted
            extras[KEYWORDS_EXTRA] = keywords_value(keywords)
        dataset_dict["extras"] = extras_list(extras)
        return dataset_dict

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        """Serialising is ckanext-dcat's own profile's work; nothing is added."""


def _extras(graph: Any, base: str, uri: str) -> dict[str, str]:
    """Return the record's own fields as packages.py serves them in extras: read by our own DCAT readers (the flat
    rows of catalogue/dcat/fields.py and the sections' readers, catalogue/dcat/readers.py), serialised by
    catalogue/ckan/extras.py, with the registry's mark."""
    lookup = Lookup(graph, base, uri)
    dataset = URIRef(uri)
    record = read_rows(lookup, dataset, FIELDS)
    for field, read in READERS.items():
        record[field] = read(lookup, dataset)
    extras = {extra_key(key): extra_value(value) for key, value in record.items() if key not in CKAN_FIELDS}
    extras[MARK] = base
    return extras


def _label(graph: Any, place: Any) -> str:
    for predicate in (SKOS.prefLabel, RDFS.label):
        value = graph.value(place, predicate)
        if value is not None:
            return str(value)
    return str(place)


def _position(uri: str) -> tuple[int, str]:
    """Order our `#relation-N` nodes by N, as the record lists them."""
    head, _, index = uri.rpartition("-")
    return (int(index), head) if index.isdigit() else (-1, uri)
