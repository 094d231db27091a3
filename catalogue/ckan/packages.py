"""Turn the registry into the dicts a CKAN 2.11 site with ckanext-dcat's DCAT-AP schema returns.

Field names follow `package_show` of a real CKAN 2.11.6 (shared/standards/ckan-2.11-responses) and
ckanext-dcat's scheming schema (`dcat_ap_full.yaml`) for the DCAT fields; everything else a record
holds (quality notes, caveats, method changes, revisions ...) goes in `extras` as JSON.
Pure functions of the registry: no I/O.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from pydantic import BaseModel

from catalogue.records import vocabularies
from catalogue.records.model import Agent, Dataset, Theme
from catalogue.records.registry import Registry

# CKAN's default licence register ids (ckan/model/license.py) for our licence slugs.
CKAN_LICENCES: dict[str, tuple[str, str, str, bool]] = {
    "ogl-3": (
        "uk-ogl",
        "UK Open Government Licence (OGL)",
        "http://reference.data.gov.uk/id/open-government-licence",
        True,
    ),
    "cc-by-4": ("cc-by", "Creative Commons Attribution", "http://www.opendefinition.org/licenses/cc-by", True),
    "ukds-end-user-licence": ("other-closed", "Other (Not Open)", "", False),
    "all-rights-reserved": ("other-closed", "Other (Not Open)", "", False),
    "unknown": ("notspecified", "License not specified", "", False),
}

# Record fields package_show has a key of its own for (title → title, description → notes, keywords
# → tags ...), each mapped there and back (importing/ckan.py) without loss.
CKAN_FIELDS = frozenset(
    {
        "id",
        "title",
        "description",
        "publisher",
        "creator",
        "contact_point",
        "landing_page",
        "keywords",
        "themes",
        "frequency",
        "temporal_resolution",
        "spatial",
    }
)


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


def dataset_licence(dataset: Dataset) -> str:
    """Return the licence slug the dataset's distributions share, or 'unknown'."""
    licences = {dist.licence for dist in dataset.distributions}
    return licences.pop() if len(licences) == 1 else "unknown"


def _agent_dcat(registry: Registry, agent_id: str) -> dict[str, Any]:
    agent = registry.agents[agent_id]
    return {
        "uri": registry.agent_uri(agent_id),
        "name": agent.name,
        "url": agent.homepage,
        "type": vocabularies.AGENT_TYPES[agent.type].uri or "",
    }


def package_dict(registry: Registry, dataset: Dataset) -> dict[str, Any]:
    """Return `dataset` as CKAN's package_show returns it."""
    package_id = registry.package_uuid(dataset.id)
    modified = registry.modified(dataset.id)
    created = registry.created(dataset.id)
    licence_id, licence_title, licence_url, is_open = CKAN_LICENCES[dataset_licence(dataset)]
    publisher = registry.agents[dataset.publisher]
    tags = [
        {
            "display_name": keyword,
            "id": registry.tag_uuid(keyword),
            "name": keyword,
            "state": "active",
            "vocabulary_id": None,
        }
        for keyword in dataset.keywords
    ]
    resources = [
        {
            "access_url": dist.access_url,
            "cache_last_updated": None,
            "cache_url": None,
            "created": created,
            "description": dist.description or "",
            "download_url": dist.download_url,
            "format": dist.format,
            "hash": "",
            "id": registry.resource_uuid(dataset.id, position),
            "last_modified": None,
            "license": vocabularies.LICENCES[dist.licence].uri or dist.licence,
            "metadata_modified": modified,
            "mimetype": dist.media_type,
            "mimetype_inner": None,
            "name": dist.title,
            "package_id": package_id,
            "position": position,
            "resource_type": None,
            "size": dist.byte_size,
            "state": "active",
            "uri": f"{registry.dataset_uri(dataset.id)}/resource/{registry.resource_uuid(dataset.id, position)}",
            "url": dist.download_url or dist.access_url,
            "url_type": None,
        }
        for position, dist in enumerate(dataset.distributions)
    ]
    cov = dataset.temporal_coverage
    data = dataset.model_dump(mode="json")
    return {
        "access_rights": vocabularies.ACCESS_LEVELS[dataset.access.level].uri,
        "author": None,
        "author_email": None,
        "contact": [
            {
                "name": dataset.contact_point.name,
                "email": dataset.contact_point.email or "",
                "url": dataset.contact_point.url or "",
            }
        ],
        "creator": [_agent_dcat(registry, agent_id) for agent_id in dataset.creator],
        "creator_user_id": None,
        "dcat_type": vocabularies.EU + "/dataset-type/STATISTICAL",
        "extras": [
            {"key": key, "value": json.dumps(data[key], ensure_ascii=False, sort_keys=True)}
            for key in extra_fields(type(dataset))
        ],
        "frequency": vocabularies.FREQUENCIES[dataset.frequency].uri,
        "groups": [_group_ref(registry, theme_id) for theme_id in dataset.themes],
        "id": package_id,
        "identifier": dataset.id,
        "isopen": is_open,
        "issued": dataset.releases.first_issued,
        "license_id": licence_id,
        "license_title": licence_title,
        "license_url": licence_url,
        "maintainer": dataset.contact_point.name,
        "maintainer_email": dataset.contact_point.email,
        "metadata_created": created,
        "metadata_modified": modified,
        "modified": dataset.releases.last_updated,
        "name": dataset.id,
        "notes": dataset.description,
        "num_resources": len(resources),
        "num_tags": len(tags),
        "organization": _organization_ref(registry, publisher),
        "owner_org": registry.agent_uuid(publisher.id),
        "private": False,
        "publisher": [_agent_dcat(registry, dataset.publisher)],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "resources": resources,
        "spatial_coverage": [
            {"uri": vocabularies.GEOGRAPHIES[slug].uri, "text": vocabularies.GEOGRAPHIES[slug].label}
            for slug in dataset.spatial
        ],
        "state": "active",
        "tags": tags,
        "temporal_coverage": [{"start": cov.start, "end": cov.end}],
        "temporal_resolution": dataset.temporal_resolution,
        "theme": [
            vocabularies.EU_THEMES[theme.eu_theme].uri
            for theme in registry.catalogue.themes
            if theme.id in dataset.themes
        ],
        "title": dataset.title,
        "type": "dataset",
        "uri": registry.dataset_uri(dataset.id),
        "url": dataset.landing_page,
        "version": None,
    }


def license_list() -> list[dict[str, Any]]:
    """Return the licences we use, as license_list returns them."""
    seen: dict[str, dict[str, Any]] = {}
    for licence_id, title, url, is_open in CKAN_LICENCES.values():
        seen.setdefault(
            licence_id,
            {
                "id": licence_id,
                "title": title,
                "url": url,
                "od_conformance": "approved" if is_open else "not reviewed",
                "osd_conformance": "not reviewed",
                "domain_content": False,
                "domain_data": False,
                "domain_software": False,
                "family": "",
                "is_generic": False,
                "maintainer": "",
                "status": "active",
                "is_okd_compliant": is_open,
                "is_osi_compliant": False,
            },
        )
    return sorted(seen.values(), key=lambda item: item["id"])
