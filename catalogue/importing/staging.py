"""Import dataset records into a staging folder, as YAML: from a CKAN site's Action API (here) or a
DCAT catalogue (import_dcat.py), both through `stage`.

Fetching: httpx with a timeout, bounded retries with back-off, package_search paged to an empty page.
Mapping: a package this registry published carries every record field (DCAT fields at the top level,
the rest as JSON extras), so it maps back exactly; for other CKAN sites what maps is mapped, and
everything that does not is listed, never silently dropped. Records already in `metadata/` are never
overwritten: the importer shows a diff; `--into metadata` writes only new records.
"""

from __future__ import annotations

import difflib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml
from pydantic import ValidationError

from catalogue.ckan.packages import EXTRA_FIELDS
from catalogue.dcat.reader import align_order
from catalogue.records import vocabularies
from catalogue.records.errors import RecordErrors
from catalogue.records.loader import load_dataset_file
from catalogue.records.model import Dataset

ROWS = 1000
RETRIES = 3
_BY_URI = vocabularies.SLUGS_BY_URI
# Field order of the records we write, as producers write them.
ORDER = [
    "id",
    "title",
    "summary",
    "description",
    "publisher",
    "creator",
    "contact_point",
    "landing_page",
    "keywords",
    "themes",
    "statistics_status",
    "frequency",
    "temporal_coverage",
    "temporal_resolution",
    "spatial",
    "unit_of_measure",
    "releases",
    "distributions",
    "access",
    "breakdowns",
    "quality",
    "qaad",
    "caveats",
    "method_changes",
    "revisions",
    "related",
    "data_linkage",
    "figures",
    "unknowns",
    "described_from",
    "sources",
]


@dataclass
class Imported:
    record: dict[str, Any]
    unmapped: list[str] = field(default_factory=list)


class ImportError_(Exception):
    """The source could not be read; the message says why."""


def fetch_packages(
    base_url: str, *, timeout: float = 30.0, progress: Callable[[int, int], None] | None = None
) -> Iterator[dict[str, Any]]:
    """Yield every package of the CKAN at `base_url`, paging package_search until an empty page."""
    start = 0
    with httpx.Client(timeout=timeout, headers={"User-Agent": "modern-slavery-registry import"}) as client:
        while True:
            result = _get(
                client,
                f"{base_url.rstrip('/')}/api/3/action/package_search",
                {"rows": ROWS, "start": start, "sort": "id asc", "facet": "false"},
            )
            packages = result.get("results", [])
            if not packages:
                return
            start += len(packages)
            if progress:
                progress(start, int(result.get("count", start)))
            yield from packages


def request_with_retries(client: httpx.Client, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
    """GET `url`; retry transport errors and 5xx answers with back-off (0.5 s, 1 s, 2 s)."""
    last = ""
    for attempt in range(RETRIES + 1):
        try:
            response = client.get(url, params=params)
            if response.status_code < 500 or attempt == RETRIES:
                return response
            last = f"HTTP {response.status_code}"
        except httpx.TransportError as exc:
            last = f"{type(exc).__name__}: {exc}"
        if attempt < RETRIES:
            time.sleep(0.5 * 2**attempt)
    raise ImportError_(f"{url}: no answer after {RETRIES + 1} tries ({last})")


def _get(client: httpx.Client, url: str, params: dict[str, Any]) -> dict[str, Any]:
    """Return the `result` of a CKAN action, or raise ImportError_ saying what the site answered."""
    response = request_with_retries(client, url, params)
    try:
        body = response.json()
    except ValueError:
        body = response.text
    if not isinstance(body, dict) or not body.get("success"):
        raise ImportError_(f"{url} answered {response.status_code}: {str(body)[:200]}")
    return dict(body["result"])


def map_package(package: dict[str, Any]) -> Imported:
    """Return the record a CKAN package describes, and what could not be mapped."""
    extras = {extra["key"]: extra["value"] for extra in package.get("extras", [])}
    record: dict[str, Any] = {}
    unmapped: list[str] = []
    for key in EXTRA_FIELDS:
        if key in extras:
            try:
                record[key] = json.loads(extras.pop(key))
            except ValueError:
                unmapped.append(f"extras.{key} (not JSON)")
    record["id"] = package["name"]
    record["title"] = package.get("title") or package["name"]
    record.setdefault("summary", (package.get("notes") or record["title"]).split("\n")[0][:300])
    record["description"] = package.get("notes") or ""
    organization = package.get("organization") or {}
    record["publisher"] = organization.get("name") or "unknown"
    creators = [c.get("uri", "").rsplit("/", 1)[-1] for c in package.get("creator") or []]
    if creators:
        record["creator"] = creators
    contact = (package.get("contact") or [{}])[0]
    record["contact_point"] = {
        k: v
        for k, v in {
            "name": contact.get("name") or package.get("maintainer") or organization.get("title") or "unknown",
            "email": contact.get("email") or package.get("maintainer_email") or None,
            "url": contact.get("url") or None,
        }.items()
        if v
    }
    record["landing_page"] = package.get("url") or ""
    record["keywords"] = [tag["name"] for tag in package.get("tags", [])]
    record["themes"] = [group["name"] for group in package.get("groups", [])]
    frequency = _BY_URI["frequency"].get(package.get("frequency"))
    if frequency:
        record["frequency"] = frequency
    elif package.get("frequency"):
        unmapped.append(f"frequency {package['frequency']!r}")
    if "temporal_coverage" not in record:
        coverage = (package.get("temporal_coverage") or [{}])[0]
        record["temporal_coverage"] = {
            k: v for k, v in {"start": coverage.get("start"), "end": coverage.get("end")}.items() if v
        }
        record["temporal_coverage"]["ongoing"] = not coverage.get("end")
    if package.get("temporal_resolution"):
        record["temporal_resolution"] = package["temporal_resolution"]
    record["spatial"] = [
        _BY_URI["geography"][s["uri"]]
        for s in package.get("spatial_coverage") or []
        if s.get("uri") in _BY_URI["geography"]
    ]
    distributions = []
    for resource in [] if "distributions" in record else package.get("resources", []):
        dist = {
            "title": resource.get("name") or "",
            "description": resource.get("description") or None,
            "format": (resource.get("format") or "").upper(),
            "media_type": resource.get("mimetype"),
            "access_url": resource.get("access_url") or resource.get("url"),
            "download_url": resource.get("download_url"),
            "licence": _BY_URI["licence"].get(resource.get("license"), "unknown"),
            "byte_size": resource.get("size"),
        }
        distributions.append({k: v for k, v in dist.items() if v not in (None, "")})
        unmapped.append(f"resources[{len(distributions) - 1}].sources (CKAN resources carry no citations)")
    if distributions:
        record["distributions"] = distributions
    known = {"uri", "identifier", "registry_source"}
    unmapped += [f"extras.{key}" for key in extras if key not in known]
    return Imported(_ordered(record), unmapped)


def _ordered(record: dict[str, Any]) -> dict[str, Any]:
    return {key: _without_nulls(record[key]) for key in ORDER if key in record}


def _without_nulls(value: Any) -> Any:
    """Drop keys whose value is None: a record leaves out what it does not know."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def to_yaml(record: dict[str, Any], *, sort_keys: bool = False) -> str:
    return yaml.safe_dump(record, sort_keys=sort_keys, allow_unicode=True, width=100)


@dataclass
class Staged:
    """What happened to one imported record."""

    id: str
    status: str  # "new", "changed" or "same"
    diff: str = ""
    written: bool = False


def stage(imported: Imported, metadata: Path, staging: Path, into: Path | None) -> Staged:
    """Write `imported` into `staging`; compare it with the registry's record of the same id, if any.

    Repeated values that RDF or CKAN return in another order follow the record on disk, so an
    unchanged record gives an empty diff. Only a new record is ever written into `into`.
    """
    name = imported.record["id"]
    existing = metadata / "datasets" / f"{name}.yaml"
    record = _ordered(imported.record)
    current: Dataset | None = None
    if existing.exists():
        try:
            current = load_dataset_file(existing)
            record = _ordered(align_order(record, current.model_dump(mode="json")))
        except RecordErrors:
            pass  # a record that does not validate is compared as text
    text = to_yaml(record)
    (staging / f"{name}.yaml").write_text(text, encoding="utf-8")
    if existing.exists():
        changes = diff(existing, current, record)
        return Staged(name, "changed" if changes else "same", changes)
    target = into / "datasets" / f"{name}.yaml" if into is not None else None
    if target is not None and not target.exists():
        target.write_text(text, encoding="utf-8")
        return Staged(name, "new", written=True)
    return Staged(name, "new")


def diff(existing: Path, current: Dataset | None, imported: dict[str, Any]) -> str:
    """Return a unified diff between the record at `existing` (`current`, as the model read it, or
    None if it does not validate) and the imported one, both as the model reads them (so formatting,
    comments and YAML spelling make no difference); empty if they say the same."""
    # keys sorted on both sides: mappings (sources, quality) have no order that matters
    if current is not None:
        old = to_yaml(current.model_dump(mode="json", exclude_defaults=True), sort_keys=True)
    else:
        old = existing.read_text(encoding="utf-8")
    try:
        new = to_yaml(Dataset.model_validate(imported).model_dump(mode="json", exclude_defaults=True), sort_keys=True)
    except ValidationError:
        new = to_yaml(imported, sort_keys=True)
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile=str(existing), tofile="imported"
        )
    )
