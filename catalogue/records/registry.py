"""The validated registry as a whole, and the facts every output derives from it the same way.

Outputs (DCAT, CKAN, site, feeds) take a `Registry` and never re-read files; anything two outputs
both need (a dataset's URI, its modified time, its relations seen from both sides) lives here once.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import re
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from catalogue.records import ids, vocabularies
from catalogue.records.ids import UUID_NAMESPACE as UUID_NAMESPACE
from catalogue.records.model import Agent, CatalogueInfo, Dataset, Theme


@dataclass(frozen=True)
class Stamp:
    """When a record first appeared and last changed, keyed by the hash of its content."""

    created: str
    modified: str
    content_hash: str


@dataclass(frozen=True)
class Registry:
    root: str
    catalogue: CatalogueInfo
    agents: dict[str, Agent]
    datasets: dict[str, Dataset]
    stamps: dict[str, Stamp] = field(default_factory=dict)

    # identity ---------------------------------------------------------------------------------------

    def dataset_uri(self, dataset_id: str) -> str:
        return f"{self.catalogue.base_uri}/dataset/{dataset_id}"

    def agent_uri(self, agent_id: str) -> str:
        return f"{self.catalogue.base_uri}/organization/{agent_id}"

    def theme_uri(self, theme_id: str) -> str:
        return f"{self.catalogue.base_uri}/group/{theme_id}"

    def licence_uri(self, slug: str) -> str:
        """The EU licence vocabulary's IRI, or the registry's own for a licence the EU has none for."""
        return vocabularies.LICENCES[slug].uri or f"{self.catalogue.base_uri}/ns/licence/{slug}"

    @staticmethod
    def package_uuid(dataset_id: str) -> str:
        return str(uuid.uuid5(UUID_NAMESPACE, f"dataset:{dataset_id}"))

    @staticmethod
    def resource_uuid(dataset_id: str, position: int) -> str:
        return ids.resource_uuid(dataset_id, position)

    @staticmethod
    def agent_uuid(agent_id: str) -> str:
        return str(uuid.uuid5(UUID_NAMESPACE, f"agent:{agent_id}"))

    @staticmethod
    def tag_uuid(tag: str) -> str:
        return str(uuid.uuid5(UUID_NAMESPACE, f"tag:{tag}"))

    @staticmethod
    def theme_uuid(theme_id: str) -> str:
        return str(uuid.uuid5(UUID_NAMESPACE, f"theme:{theme_id}"))

    def theme(self, theme_id: str) -> Theme:
        """Return the catalogue's theme `theme_id` (the loader checked that every record's themes exist)."""
        return self._themes[theme_id]

    @cached_property
    def _themes(self) -> dict[str, Theme]:
        return {theme.id: theme for theme in self.catalogue.themes}

    # time -------------------------------------------------------------------------------------------

    def modified(self, dataset_id: str) -> str:
        """Return the CKAN-style timestamp of the record's last content change."""
        return self.stamps[dataset_id].modified

    def created(self, dataset_id: str) -> str:
        return self.stamps[dataset_id].created

    def catalogue_modified(self) -> str:
        return max((stamp.modified for stamp in self.stamps.values()), default=self.catalogue.issued)

    # relations --------------------------------------------------------------------------------------

    @cached_property
    def _naming(self) -> dict[str, list[tuple[str, str, str]]]:
        """For each dataset id, the (other id, note) of every record that names it in `related`, with the
        relation as seen from the named side; built once (a scan per dataset is quadratic)."""
        naming: dict[str, list[tuple[str, str, str]]] = {}
        for other in self.datasets.values():
            for rel in other.related:
                naming.setdefault(rel.id, []).append((vocabularies.INVERSE_RELATIONS[rel.relation], other.id, rel.note))
        return naming

    def relations_of(self, dataset_id: str) -> list[tuple[str, str, str]]:
        """Return (relation, other id, note) for `dataset_id`, both those it names and those naming it."""
        found = [(rel.relation, rel.id, rel.note) for rel in self.datasets[dataset_id].related]
        named = {(relation, other) for relation, other, _ in found}
        for inverse, other_id, note in self._naming.get(dataset_id, []):
            if (inverse, other_id) not in named:
                found.append((inverse, other_id, note))
                named.add((inverse, other_id))
        return sorted(found, key=lambda item: (item[0], item[1]))

    def datasets_of_agent(self, agent_id: str) -> list[Dataset]:
        return [d for d in self.datasets.values() if d.publisher == agent_id or agent_id in d.creator]

    def datasets_of_theme(self, theme_id: str) -> list[Dataset]:
        return [d for d in self.datasets.values() if theme_id in d.themes]


# Optional fields added to the model after records were first stamped, by the dotted path of the model that
# holds them: left out of the hash while unset, so that adding a field does not re-date every record that
# does not use it (a record that sets one changes, and is stamped, as with any other edit).
LATER_FIELDS: dict[str, tuple[str, ...]] = {"": ("checked",), "distributions": ("rights",)}


def content_hash(dataset: Dataset) -> str:
    """Return a hash of what the record says, blind to comments, key order and whitespace."""
    data = dataset.model_dump(mode="json")
    for path, names in LATER_FIELDS.items():
        holders = data.get(path, []) if path else [data]
        for holder in holders:
            for name in names:
                if holder.get(name) is None:
                    holder.pop(name, None)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def now_timestamp() -> str:
    """Return the current UTC time as CKAN writes timestamps (no zone, microseconds)."""
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def provisional_stamps(hashes: dict[str, str], stamps: dict[str, Stamp]) -> dict[str, Stamp]:
    """Return `stamps` brought up to date, given each record's `content_hash` by id: unchanged records
    keep theirs, new or changed ones get now."""
    now = now_timestamp()
    updated = {}
    for key, digest in sorted(hashes.items()):
        old = stamps.get(key)
        if old is not None and old.content_hash == digest:
            updated[key] = old
        else:
            updated[key] = Stamp(old.created if old else now, now, digest)
    return updated


class BadBaseUri(ValueError):
    """A base URI given at build or serve time that the catalogue record could not hold; says why."""


def with_base_uri(registry: Registry, base_uri: str) -> Registry:
    """Return `registry` as deployed at `base_uri` instead of the catalogue record's `base_uri`.

    A deployment decides its own address, so `catalogue build --base-uri` (or CATALOGUE_BASE_URI)
    replaces the record's, and every identifier is built from it; the record's `homepage` follows
    when it was the record's base (it names the deployed catalogue, not another site). The value is
    checked by the catalogue model itself, so an override can never hold what the record could not."""
    old = registry.catalogue
    if base_uri == old.base_uri:
        return registry
    parts = urlsplit(base_uri)
    if parts.query or parts.fragment or "?" in base_uri or "#" in base_uri:
        raise BadBaseUri(f"{base_uri!r} has a query or fragment; give only scheme, host and path")
    data = old.model_dump()
    data["base_uri"] = base_uri
    if old.homepage.rstrip("/") == old.base_uri:
        data["homepage"] = base_uri
    try:
        catalogue = type(old).model_validate(data)
    except ValidationError as exc:
        reasons = "; ".join(error["msg"] for error in exc.errors() if "base_uri" in error["loc"] or not error["loc"])
        raise BadBaseUri(f"{base_uri!r} cannot be the base URI: {reasons or exc.errors()[0]['msg']}") from None
    return dataclasses.replace(registry, catalogue=catalogue)


def shared_key(registry: Registry, *parts: Any) -> str:
    """A hash of what every dataset's outputs share (the catalogue record and the agents, the Python and
    libraries installed) and of `parts` (a step's format, code hash and settings): the common half of the
    keys by which an incremental build decides that a dataset's outputs from the previous build still hold
    (dcat/reuse.py, site/reuse.py)."""
    inputs = [
        *parts,
        installed(),
        registry.catalogue.model_dump(mode="json"),
        {key: agent.model_dump(mode="json") for key, agent in registry.agents.items()},
    ]
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()


def source_hash(root: Path, names: Iterable[str]) -> str:
    """A hash of every file under `names` (files or folders, relative to `root`) and its path, but compiled
    Python's folders: the code part of a reuse key (site/reuse.py, dcat/reuse.py, site/render.py)."""
    files: list[Path] = []
    for name in names:
        path = root / name
        files += [path] if path.is_file() else [found for found in path.rglob("*") if found.is_file()]
    digest = hashlib.sha256()
    for path in sorted(found for found in files if "__pycache__" not in found.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def installed() -> list[str]:
    """Python's version and every installed distribution's name and version. The outputs are made by
    libraries as much as by our code (rdflib serialises the DCAT files, mkdocs-material draws every page):
    after an upgrade, a build that kept the previous build's bytes for unchanged records would mix two
    versions' output, which no build from nothing writes. Our own distribution is left out (its code is in
    the code hashes, and a checkout's stale egg-info is seen from some working folders and not others), and
    so is a folder without a name (a broken install)."""
    found = set()
    for dist in importlib.metadata.distributions():
        if "Name" not in dist.metadata:  # not .get: the metadata's declared type has no such method
            continue
        name = dist.metadata["Name"]
        if name and _normalised(name) != _OURS:
            found.add(f"{_normalised(name)}=={dist.version}")
    return [sys.version, *sorted(found)]


_OURS = "modern-slavery-registry"


def _normalised(name: str) -> str:
    """A distribution's name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()
