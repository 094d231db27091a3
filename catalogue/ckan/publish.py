"""Publish the registry to a real CKAN through the ckanapi library: organizations, groups, datasets.

For a user whose needs outgrow one machine: CKAN itself (on Solr and PostgreSQL) then serves the
catalogue. What exists is found through organization_list / group_list / package_list and the
*_show actions, never package_search (a CKAN's search index can lag or be missing). Every dataset we
create carries the extra `registry_source` (the catalogue's base URI): only those are ever updated or,
with prune, deleted. A second run with nothing changed makes no write calls.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ckanapi

from catalogue.ckan.packages import CKAN_LICENCES, dataset_licence, extra_fields
from catalogue.records import vocabularies
from catalogue.records.model import Dataset
from catalogue.records.registry import Registry

TOKEN_VARIABLE = "CKAN_API_TOKEN"
MARK = "registry_source"
_TAG = re.compile(r"^[\w \-.]{2,100}$")


@dataclass
class Step:
    kind: str  # organization, group, dataset
    name: str
    action: str  # create, update, delete, skip
    detail: str = ""
    payload: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.action:7} {self.kind:12} {self.name}" + (f"  ({self.detail})" if self.detail else "")


def desired_organization(registry: Registry, agent_id: str) -> dict[str, Any]:
    agent = registry.agents[agent_id]
    return {"name": agent.id, "title": agent.name, "description": agent.description or ""}


def desired_group(registry: Registry, theme_id: str) -> dict[str, Any]:
    theme = registry.theme(theme_id)
    return {"name": theme.id, "title": theme.label, "description": theme.description}


def desired_package(registry: Registry, dataset: Dataset) -> dict[str, Any]:
    """Return what the dataset should look like in a CKAN with the default schema."""
    data = dataset.model_dump(mode="json")
    cov = dataset.temporal_coverage
    dcat = {
        "uri": registry.dataset_uri(dataset.id),
        "identifier": dataset.id,
        "frequency": vocabularies.FREQUENCIES[dataset.frequency].uri or "",
        "issued": dataset.releases.first_issued or "",
        "modified": dataset.releases.last_updated or "",
        "temporal_start": cov.start or "",
        "temporal_end": cov.end or "",
        "spatial_uri": json.dumps([vocabularies.GEOGRAPHIES[slug].uri for slug in dataset.spatial]),
        "access_rights": vocabularies.ACCESS_LEVELS[dataset.access.level].uri or "",
        "theme": json.dumps(
            [vocabularies.EU_THEMES[t.eu_theme].uri for t in registry.catalogue.themes if t.id in dataset.themes]
        ),
        "publisher_uri": registry.agent_uri(dataset.publisher),
        MARK: registry.catalogue.base_uri,
    }
    extras = {
        key: json.dumps(data[key], ensure_ascii=False, sort_keys=True) for key in extra_fields(type(dataset))
    } | dcat
    return {
        "id": registry.package_uuid(dataset.id),
        "name": dataset.id,
        "title": dataset.title,
        "notes": dataset.description,
        "url": dataset.landing_page,
        "owner_org": dataset.publisher,
        "license_id": CKAN_LICENCES[dataset_licence(dataset)][0],
        "maintainer": dataset.contact_point.name,
        "maintainer_email": dataset.contact_point.email or "",
        "tags": [{"name": keyword} for keyword in dataset.keywords if _TAG.match(keyword)],
        "groups": [{"name": theme} for theme in dataset.themes],
        "resources": [
            {
                "id": registry.resource_uuid(dataset.id, i),
                "name": dist.title,
                "url": dist.download_url or dist.access_url,
                "format": dist.format,
                "description": dist.description or "",
                "mimetype": dist.media_type or "",
            }
            for i, dist in enumerate(dataset.distributions)
        ],
        "extras": [{"key": key, "value": value} for key, value in sorted(extras.items())],
    }


def _comparable(package: dict[str, Any]) -> dict[str, Any]:
    """Return the parts of a package (ours or CKAN's answer) that publishing controls, normalised."""
    organization = package.get("organization")
    return {
        "title": package.get("title") or "",
        "notes": package.get("notes") or "",
        "url": package.get("url") or "",
        "owner_org": organization["name"] if isinstance(organization, dict) else package.get("owner_org"),
        "license_id": package.get("license_id") or "",
        "maintainer": package.get("maintainer") or "",
        "maintainer_email": package.get("maintainer_email") or "",
        "tags": sorted(tag["name"] for tag in package.get("tags", [])),
        "groups": sorted(group["name"] for group in package.get("groups", [])),
        "resources": [
            {key: resource.get(key) or "" for key in ("id", "name", "url", "format", "description", "mimetype")}
            for resource in package.get("resources", [])
        ],
        "extras": sorted((extra["key"], extra["value"]) for extra in package.get("extras", [])),
        "state": package.get("state", "active"),
    }


def _differences(wanted: dict[str, Any], existing: dict[str, Any]) -> list[str]:
    ours, theirs = _comparable(wanted), _comparable(existing)
    return [key for key in ours if ours[key] != theirs[key]]


def plan(registry: Registry, ckan: ckanapi.RemoteCKAN, *, prune: bool) -> list[Step]:
    """Return every step needed to make the CKAN match the registry (reads only)."""
    steps: list[Step] = []
    used_agents = sorted({d.publisher for d in registry.datasets.values()})
    for kind, names, desired, lister in [
        ("organization", used_agents, desired_organization, ckan.action.organization_list),
        ("group", [t.id for t in registry.catalogue.themes], desired_group, ckan.action.group_list),
    ]:
        listed = set(lister())
        show = ckan.action.organization_show if kind == "organization" else ckan.action.group_show
        for name in names:
            wanted = desired(registry, name)
            if name not in listed:
                steps.append(Step(kind, name, "create", payload=wanted))
                continue
            found = show(id=name)
            changed = [key for key in ("title", "description") if (found.get(key) or "") != wanted[key]]
            if changed:
                steps.append(Step(kind, name, "update", ", ".join(changed), {**wanted, "id": found["id"]}))
    remote = set(ckan.action.package_list())
    for dataset in registry.datasets.values():
        wanted = desired_package(registry, dataset)
        existing = _show(ckan, dataset.id) or _show(ckan, wanted["id"])
        if existing is None:
            steps.append(Step("dataset", dataset.id, "create", payload=wanted))
        elif _extra(existing, MARK) != registry.catalogue.base_uri:
            steps.append(Step("dataset", dataset.id, "skip", "exists in CKAN but was not published by this registry"))
        elif changed := _differences(wanted, existing):
            steps.append(Step("dataset", dataset.id, "update", ", ".join(changed), {**wanted, "id": existing["id"]}))
    if prune:
        for name in sorted(remote - set(registry.datasets)):
            existing = _show(ckan, name)
            if existing is not None and _extra(existing, MARK) == registry.catalogue.base_uri:
                steps.append(Step("dataset", name, "delete", "no longer in the registry", {"id": existing["id"]}))
    return steps


def apply(ckan: ckanapi.RemoteCKAN, steps: list[Step], progress: Callable[[Step], None]) -> None:
    """Carry out `steps` in order (organizations and groups before the datasets that use them)."""
    for step in steps:
        if step.action == "skip":
            continue
        progress(step)
        if step.kind == "dataset":
            call = {
                "create": ckan.action.package_create,
                "update": ckan.action.package_update,
                "delete": ckan.action.package_delete,
            }[step.action]
            payload = dict(step.payload)
            if step.action == "update":
                payload["state"] = "active"
            call(**payload)
        else:
            prefix = "organization" if step.kind == "organization" else "group"
            getattr(ckan.action, f"{prefix}_{'create' if step.action == 'create' else 'patch'}")(**step.payload)


def _show(ckan: ckanapi.RemoteCKAN, key: str) -> dict[str, Any] | None:
    try:
        return dict(ckan.action.package_show(id=key))
    except ckanapi.NotFound:
        return None


def _extra(package: dict[str, Any], key: str) -> str | None:
    return next((extra["value"] for extra in package.get("extras", []) if extra["key"] == key), None)
