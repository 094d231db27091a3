"""Publish the registry to a real CKAN through the ckanapi library: organizations, groups, datasets.

For a user whose needs outgrow one machine: CKAN itself (on Solr and PostgreSQL) then serves the
catalogue. What exists is found through organization_list / group_list / package_list and the
*_show actions, never package_search (a CKAN's search index can lag or be missing). Every dataset we
create carries the extra `registry_source` (the catalogue's base URI): only those are ever updated or,
with prune, deleted. A second run with nothing changed makes no write calls.

What is sent is our own package_show (packages.py) in the form the target stores: the target's schema is
asked for first (detect_target), so a CKAN with ckanext-dcat's DCAT-AP schema gets the schema fields as
such, and one with CKAN's default schema gets them as ckanext-dcat's extras, with a line saying what had no
place there. tests/e2e/test_ckan_routes.py reads every dataset back from both and compares it with ours.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ckanapi

from catalogue.ckan.packages import MARK, SCHEMA_FIELDS, package_dict
from catalogue.records.model import Dataset
from catalogue.records.registry import Registry

TOKEN_VARIABLE = "CKAN_API_TOKEN"
# Keys of package_show the target sets itself (or derives from others); never sent.
SERVER_SET = frozenset(
    [
        "creator_user_id",
        "isopen",
        "license_title",
        "license_url",
        "metadata_created",
        "metadata_modified",
        "num_resources",
        "num_tags",
        "organization",
        "relationships_as_object",
        "relationships_as_subject",
    ]
)
_RESOURCE_SERVER_SET = frozenset({"metadata_modified", "package_id", "position", "state"})


@dataclass
class Step:
    kind: str  # organization, group, dataset, schema
    name: str
    action: str  # create, update, delete, skip, note
    detail: str = ""
    payload: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.action:7} {self.kind:12} {self.name}" + (f"  ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class Target:
    """What the target CKAN can store: ckanext-scheming's dataset fields, or None for CKAN's default schema."""

    schema_fields: frozenset[str] | None

    @property
    def label(self) -> str:
        return "default CKAN schema" if self.schema_fields is None else "ckanext-scheming dataset schema"


def detect_target(ckan: ckanapi.RemoteCKAN) -> Target:
    """Ask the CKAN which schema it runs: status_show lists its plugins; with scheming_datasets,
    scheming_dataset_schema_show gives the dataset fields."""
    extensions = ckan.action.status_show().get("extensions") or []
    if "scheming_datasets" not in extensions:
        return Target(None)
    schema = ckan.action.scheming_dataset_schema_show(type="dataset")
    return Target(frozenset(str(item["field_name"]) for item in schema.get("dataset_fields") or []))


def desired_organization(registry: Registry, agent_id: str) -> dict[str, Any]:
    agent = registry.agents[agent_id]
    return {"name": agent.id, "title": agent.name, "description": agent.description or ""}


def desired_group(registry: Registry, theme_id: str) -> dict[str, Any]:
    theme = registry.theme(theme_id)
    return {"name": theme.id, "title": theme.label, "description": theme.description}


def desired_package(registry: Registry, dataset: Dataset, target: Target | None = None) -> dict[str, Any]:
    """Return what package_create should get for the dataset on `target`: our package_show (packages.py) without
    what the target sets itself, organization and groups by name, in the form the target stores."""
    return sendable(package_dict(registry, dataset), target or Target(SCHEMA_FIELDS))[0]


def sendable(package: dict[str, Any], target: Target) -> tuple[dict[str, Any], list[str]]:
    """Return `package` (our package_show) as package_create takes it on `target`, and what had to be left out."""
    payload = {key: value for key, value in package.items() if key not in SERVER_SET}
    payload["owner_org"] = package["organization"]["name"]
    payload["groups"] = [{"name": group["name"]} for group in package["groups"]]
    payload["tags"] = [{"name": tag["name"]} for tag in package["tags"]]
    payload["resources"] = [
        {key: value for key, value in resource.items() if key not in _RESOURCE_SERVER_SET}
        for resource in package["resources"]
    ]
    if target.schema_fields is None:
        return default_schema(payload)
    left_out = sorted(key for key in set(payload) & SCHEMA_FIELDS if key not in target.schema_fields)
    return {key: value for key, value in payload.items() if key not in left_out}, left_out


def default_schema(payload: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Return a DCAT-AP schema payload as a CKAN with the default schema stores it, and what it cannot store.

    The schema fields become the extras ckanext-dcat's own RDF parser writes without scheming (uri, identifier,
    frequency, ...; theme as a JSON list; the first contact, publisher and creator as contact_*, publisher_*,
    creator_*; the first period as temporal_start and temporal_end; the first place as spatial_uri and
    spatial_text), so ckanext-dcat serialises them as it would its own. A second creator, period or place has
    no place there."""
    out = {key: value for key, value in payload.items() if key not in SCHEMA_FIELDS or key in _CORE}
    extras = {extra["key"]: extra["value"] for extra in payload.get("extras", [])}
    left_out: list[str] = []
    for key in ("uri", "identifier", "issued", "modified", "frequency", "dcat_type", "access_rights"):
        if key in payload:
            extras[key] = payload[key]
    if "temporal_resolution" in payload:
        extras["temporal_resolution"] = payload["temporal_resolution"]
    if "theme" in payload:
        extras["theme"] = json.dumps(payload["theme"])
    # ckanext-dcat keeps no legacy extra for these; the `related` extra holds them in the record's form
    left_out += [key for key in ("qualified_relation", "is_referenced_by") if payload.get(key)]
    for key, prefix, subfields in _FLATTENED:
        entries = payload.get(key) or []
        extras |= {f"{prefix}_{sub}": str(entries[0][sub]) for sub in subfields if entries and entries[0].get(sub)}
        if len(entries) > 1:
            left_out.append(f"{key}[1:]")
    out["extras"] = [{"key": key, "value": extras[key]} for key in sorted(extras)]
    return out, left_out


# CKAN's own package columns among the schema's fields.
_CORE = frozenset({"title", "name", "notes", "license_id", "owner_org", "url", "version"})
_FLATTENED = (
    ("contact", "contact", ("uri", "name", "email", "url")),
    ("publisher", "publisher", ("uri", "name", "email", "url", "type")),
    ("creator", "creator", ("uri", "name", "email", "url", "type")),
    ("temporal_coverage", "temporal", ("start", "end")),
    ("spatial_coverage", "spatial", ("uri", "text")),
)


def _normal(value: Any) -> Any:
    """Return `value` as compared: lists of named things by name, empty as None, dicts without empty values."""
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in sorted(value.items()) if item not in (None, "", [])}
    if isinstance(value, list):
        items = [_normal(item) for item in value]
        return items or None
    return None if value == "" else value


def _field(package: dict[str, Any], key: str, like: Any = None) -> Any:
    """Return `key` of a package (what we send, or CKAN's answer) as compared: organization, groups and tags by
    name, extras as sorted pairs, each resource only in the keys of `like` (the resource we send)."""
    if key == "owner_org" and isinstance(package.get("organization"), dict):
        return package["organization"].get("name")
    value = package.get(key)
    if key in ("groups", "tags"):
        return sorted(item["name"] for item in value or [])
    if key == "extras":
        return sorted((extra["key"], extra["value"]) for extra in value or [])
    if key == "resources" and isinstance(like, list):
        theirs = list(value or [])
        return [
            _normal({name: resource.get(name) for name in (ours or resource)})
            for resource, ours in zip(theirs, like + [None] * (len(theirs) - len(like)), strict=False)
        ] + [None] * (len(like) - len(theirs))
    return _normal(value)


def _differences(wanted: dict[str, Any], existing: dict[str, Any]) -> list[str]:
    """Return the keys of `wanted` whose value in `existing` (package_show) differs, and `state` if not active."""
    found = [key for key in wanted if _field(wanted, key, wanted.get(key)) != _field(existing, key, wanted.get(key))]
    return found + (["state"] if existing.get("state", "active") != "active" else [])


def plan(registry: Registry, ckan: ckanapi.RemoteCKAN, *, prune: bool) -> list[Step]:
    """Return every step needed to make the CKAN match the registry (reads only): a note on what the
    target's schema cannot store first, then organizations and groups, then datasets."""
    target = detect_target(ckan)
    remote = set(ckan.action.package_list())
    steps = _group_steps(registry, ckan)
    dataset_steps, left_out = _dataset_steps(registry, ckan, target)
    detail = "; ".join(f"left out {key} of {len(ids)} datasets: {', '.join(ids)}" for key, ids in left_out.items())
    steps = [Step("schema", target.label, "note", detail or "every field fits"), *steps, *dataset_steps]
    if prune:
        steps += _prune_steps(registry, ckan, remote)
    return steps


def _group_steps(registry: Registry, ckan: ckanapi.RemoteCKAN) -> list[Step]:
    """Create or update the organizations the datasets use and the theme groups."""
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
    return steps


def _dataset_steps(
    registry: Registry, ckan: ckanapi.RemoteCKAN, target: Target
) -> tuple[list[Step], dict[str, list[str]]]:
    """Create, update or skip each dataset; return the steps and, by key, the datasets the target could
    not store that key of."""
    steps: list[Step] = []
    left_out: dict[str, list[str]] = {}
    for dataset in registry.datasets.values():
        wanted, lost = sendable(package_dict(registry, dataset), target)
        for key in lost:
            left_out.setdefault(key, []).append(dataset.id)
        existing = _show(ckan, dataset.id) or _show(ckan, wanted["id"])
        if existing is None:
            steps.append(Step("dataset", dataset.id, "create", payload=wanted))
        elif _extra(existing, MARK) != registry.catalogue.base_uri:
            steps.append(Step("dataset", dataset.id, "skip", "exists in CKAN but was not published by this registry"))
        elif changed := _differences(wanted, existing):
            steps.append(Step("dataset", dataset.id, "update", ", ".join(changed), {**wanted, "id": existing["id"]}))
    return steps, left_out


def _prune_steps(registry: Registry, ckan: ckanapi.RemoteCKAN, remote: set[str]) -> list[Step]:
    """Delete the datasets this registry published that it no longer has (never anyone else's)."""
    steps = []
    for name in sorted(remote - set(registry.datasets)):
        existing = _show(ckan, name)
        if existing is not None and _extra(existing, MARK) == registry.catalogue.base_uri:
            steps.append(Step("dataset", name, "delete", "no longer in the registry", {"id": existing["id"]}))
    return steps


def apply(ckan: ckanapi.RemoteCKAN, steps: list[Step], progress: Callable[[Step], None]) -> None:
    """Carry out `steps` in order (organizations and groups before the datasets that use them)."""
    for step in steps:
        if step.action in ("skip", "note"):
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
