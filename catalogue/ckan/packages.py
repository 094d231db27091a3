"""Turn the registry into the dicts a CKAN 2.11 site with ckanext-dcat's DCAT-AP schema returns.

Field names follow `package_show` of a real CKAN 2.11.6 (shared/standards/ckan-2.11-responses) and
ckanext-dcat's scheming schema (`dcat_ap_full.yaml`) for the DCAT fields; everything else a record
holds (quality notes, caveats, method changes, revisions ...) goes in `extras` as JSON.
Pure functions of the registry: no I/O.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel

from catalogue.ckan.extras import CKAN_FIELDS as CKAN_FIELDS  # the names other modules import from here
from catalogue.ckan.extras import KEYWORDS_EXTRA as KEYWORDS_EXTRA
from catalogue.ckan.extras import MARK as MARK
from catalogue.ckan.extras import SCHEMA_FIELDS as SCHEMA_FIELDS
from catalogue.ckan.extras import extra_key as extra_key
from catalogue.ckan.extras import extra_value, extras_list, keywords_value
from catalogue.ckan.licences import REGISTER, licence_fields, license_dict
from catalogue.ckan.tags import ckan_tag as ckan_tag  # the name other modules import from here
from catalogue.ckan.tags import ckan_tags
from catalogue.records import vocabularies
from catalogue.records.model import Agent, Dataset, Theme
from catalogue.records.registry import Registry

# Resources name their format, media type and licence by IRI, as ckanext-dcat's DCAT-AP 3 parser stores them
# (format: the EU file-type IRI, mimetype: the IANA media-type IRI) and as our DCAT writes them; ckanext-dcat then
# serialises them as IRIs of the classes DCAT-AP 3.0.1's shapes require (a label would be a literal there).
IANA_MEDIA = "https://www.iana.org/assignments/media-types/"


@functools.cache
def extra_fields(model: type[BaseModel] = Dataset) -> tuple[str, ...]:
    """Return the record fields CKAN has no place for, in the model's order: they travel as JSON extras.

    Every field not in CKAN_FIELDS, so a field added to the model is never dropped (temporal_coverage
    and distributions are extras too, since CKAN's forms of them lose the ongoing flag and each
    distribution's sources)."""
    return tuple(name for name in model.model_fields if name not in CKAN_FIELDS)


EXTRA_FIELDS = extra_fields(Dataset)


def _group_like(
    registry: Registry, uuid: str, name: str, title: str, description: str, count: int, is_organization: bool
) -> dict[str, Any]:
    """Return the fields CKAN's organization_show and group_show share."""
    issued = registry.catalogue.issued
    return {
        "id": uuid,
        "name": name,
        "title": title,
        "type": "organization" if is_organization else "group",
        "description": description,
        "image_url": "",
        "created": f"{issued}T00:00:00" if len(issued) == 10 else "",
        "is_organization": is_organization,
        "approval_status": "approved",
        "state": "active",
        "package_count": count,
        "display_name": title,
        "image_display_url": "",
    }


def organization_dict(registry: Registry, agent: Agent) -> dict[str, Any]:
    """Return the organization as organization_show returns it (without datasets)."""
    count = sum(1 for dataset in registry.datasets.values() if dataset.publisher == agent.id)
    return _group_like(
        registry, registry.agent_uuid(agent.id), agent.id, agent.name, agent.description or "", count, True
    ) | {"extras": [{"key": "homepage", "value": agent.homepage}, {"key": "dcat_type", "value": agent.type}]}


def group_dict(registry: Registry, theme: Theme) -> dict[str, Any]:
    """Return the theme as group_show returns a group (without datasets)."""
    return _group_like(
        registry,
        registry.theme_uuid(theme.id),
        theme.id,
        theme.label,
        theme.description,
        len(registry.datasets_of_theme(theme.id)),
        False,
    )


def _group_ref(registry: Registry, theme_id: str) -> dict[str, Any]:
    theme = registry.theme(theme_id)
    return {
        "id": registry.theme_uuid(theme.id),
        "name": theme.id,
        "title": theme.label,
        "display_name": theme.label,
        "description": theme.description,
        "image_display_url": "",
    }


def _organization_ref(registry: Registry, agent: Agent) -> dict[str, Any]:
    """Return the organization as embedded in a package dict (no counts, so no pass over all datasets)."""
    full = _group_like(registry, registry.agent_uuid(agent.id), agent.id, agent.name, agent.description or "", 0, True)
    return {
        key: full[key]
        for key in (
            "id",
            "name",
            "title",
            "type",
            "description",
            "image_url",
            "created",
            "is_organization",
            "approval_status",
            "state",
        )
    }


def format_code(value: str) -> str:
    """Return the file-type code (CSV, PDF ...) of a resource's `format`, an EU file-type IRI or a code."""
    return value.rsplit("/file-type/", 1)[-1]


def media_type_code(value: str) -> str:
    """Return the media type (text/csv ...) of a resource's `mimetype`, an IANA media-type IRI (http or https) or
    the type itself."""
    return value.rsplit("/assignments/media-types/", 1)[-1]


def dataset_licence(dataset: Dataset) -> str:
    """Return the licence slug the dataset's distributions share, or 'unknown'."""
    licences = {dist.licence for dist in dataset.distributions}
    return licences.pop() if len(licences) == 1 else "unknown"


def _agent_dcat(registry: Registry, agent_id: str) -> dict[str, Any]:
    agent = registry.agents[agent_id]
    return {
        "uri": registry.agent_uri(agent_id),
        "identifier": agent_id,  # our DCAT's dct:identifier of the agent, which ckanext-dcat reads
        "name": agent.name,
        "url": agent.homepage,
        "type": vocabularies.AGENT_TYPES[agent.type].uri or "",
    }


def _present(values: dict[str, Any]) -> dict[str, Any]:
    """Drop the keys whose value is None, as ckanext-scheming does for schema fields (and their subfields)
    it was given no value for."""
    return {key: value for key, value in values.items() if value is not None}


def _resource(registry: Registry, dataset: Dataset, position: int, created: str, modified: str) -> dict[str, Any]:
    dist = dataset.distributions[position]
    resource_id = registry.resource_uuid(dataset.id, position)
    return _present(
        {
            "access_url": dist.access_url,
            "created": created,
            "description": dist.description or "",
            "download_url": dist.download_url,
            "format": vocabularies.FILE_TYPES[dist.format].uri,
            "id": resource_id,
            "license": registry.licence_uri(dist.licence),  # as our DCAT names it
            "mimetype": IANA_MEDIA + dist.media_type if dist.media_type else None,
            "name": dist.title,
            "rights": dist.rights,  # ckanext-dcat's resource `rights` (dct:rights, a dct:RightsStatement)
            "size": dist.byte_size,
            "uri": f"{registry.dataset_uri(dataset.id)}/resource/{resource_id}",
            "url": dist.download_url or dist.access_url,
        }
    ) | {
        # CKAN's own resource columns: always there, None when unset
        "cache_last_updated": None,
        "cache_url": None,
        "hash": "",
        "last_modified": None,
        "metadata_modified": modified,
        "mimetype_inner": None,
        "package_id": registry.package_uuid(dataset.id),
        "position": position,
        "resource_type": None,
        "state": "active",
        "url_type": None,
    }


def _extras(registry: Registry, dataset: Dataset, tags: list[str]) -> list[dict[str, str]]:
    """Return our own notes (the record fields CKAN has no field for, as JSON: extras.py), sorted by key as CKAN
    lists them."""
    data = dataset.model_dump(mode="json")
    extras = {extra_key(key): extra_value(data[key]) for key in extra_fields(type(dataset))}
    extras[MARK] = registry.catalogue.base_uri
    if tags != dataset.keywords:  # the tags alone would not give the keywords back as written, in order
        extras[KEYWORDS_EXTRA] = keywords_value(dataset.keywords)
    return extras_list(extras)


def package_dict(registry: Registry, dataset: Dataset) -> dict[str, Any]:
    """Return `dataset` as package_show of CKAN 2.11 with ckanext-dcat's DCAT-AP 3 schema returns it.

    Schema fields (dcat_ap_full.yaml) as schema fields, repeating subfields as lists of dicts, a field or
    subfield without a value left out as ckanext-scheming leaves it out; tags, groups and extras in
    CKAN's order; only our own notes in extras."""
    package_id = registry.package_uuid(dataset.id)
    modified = registry.modified(dataset.id)
    created = registry.created(dataset.id)
    publisher = registry.agents[dataset.publisher]
    tag_names = ckan_tags(dataset.keywords)
    tags = [
        {"display_name": tag, "id": registry.tag_uuid(tag), "name": tag, "state": "active", "vocabulary_id": None}
        for tag in tag_names
    ]
    resources = [_resource(registry, dataset, i, created, modified) for i in range(len(dataset.distributions))]
    cov = dataset.temporal_coverage
    contact = dataset.contact_point
    schema_fields = _present(
        {
            "access_rights": vocabularies.ACCESS_LEVELS[dataset.access.level].uri,
            "contact": [
                {
                    "email": contact.email or "",
                    "name": contact.name,
                    "uri": f"{registry.dataset_uri(dataset.id)}#contact",  # the contact's IRI in our DCAT
                    "url": contact.url or "",
                }
            ],
            "creator": [_agent_dcat(registry, agent_id) for agent_id in dataset.creator] or None,
            "dcat_type": vocabularies.EU + "/dataset-type/STATISTICAL",
            "frequency": vocabularies.FREQUENCIES[dataset.frequency].uri,
            "identifier": dataset.id,
            "issued": dataset.releases.first_issued,
            "modified": dataset.releases.last_updated,
            "publisher": [_agent_dcat(registry, dataset.publisher)],
            # the related datasets as our DCAT gives them (the `related` extra keeps the notes)
            "qualified_relation": [
                {
                    "relation": registry.dataset_uri(related.id),
                    "role": f"{registry.catalogue.base_uri}/ns/relation/{related.relation}",
                    "uri": f"{registry.dataset_uri(dataset.id)}#relation-{i}",
                }
                for i, related in enumerate(dataset.related)
            ]
            or None,
            "is_referenced_by": [
                registry.dataset_uri(related.id) for related in dataset.related if related.relation == "source-for"
            ]
            or None,
            "spatial_coverage": [
                {"text": vocabularies.GEOGRAPHIES[slug].label, "uri": vocabularies.GEOGRAPHIES[slug].uri}
                for slug in dataset.spatial
            ]
            or None,
            "temporal_coverage": [period] if (period := _present({"end": cov.end, "start": cov.start})) else None,
            "temporal_resolution": dataset.temporal_resolution,
            # sorted, each once (RDF keeps no order, and two of our themes may share an EU theme)
            "theme": sorted(
                {
                    vocabularies.EU_THEMES[theme.eu_theme].uri
                    for theme in registry.catalogue.themes
                    if theme.id in dataset.themes
                }
            )
            or None,
            "uri": registry.dataset_uri(dataset.id),
        }
    )
    core = {
        "author": None,
        "author_email": None,
        "creator_user_id": None,
        "extras": _extras(registry, dataset, tag_names),
        "groups": [_group_ref(registry, theme_id) for theme_id in sorted(dataset.themes)],
        "id": package_id,
        "maintainer": contact.name,
        "maintainer_email": contact.email or "",
        "metadata_created": created,
        "metadata_modified": modified,
        "name": dataset.id,
        "notes": dataset.description,
        "num_resources": len(resources),
        "num_tags": len(tags),
        "organization": _organization_ref(registry, publisher),
        "owner_org": registry.agent_uuid(publisher.id),
        "private": False,
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "resources": resources,
        "state": "active",
        "tags": tags,
        "title": dataset.title,
        "type": "dataset",
        "url": dataset.landing_page,
    }
    return dict(sorted((core | schema_fields | licence_fields(dataset_licence(dataset))).items()))


def license_list() -> list[dict[str, Any]]:
    """Return CKAN 2.11's default licence register, as its license_list does."""
    return [license_dict(licence) for licence in REGISTER]
