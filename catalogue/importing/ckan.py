"""Import dataset records from a CKAN site's Action API.

Fetching: package_search paged to an empty page, through http.py's bounded, retrying Fetcher. Mapping: a
package this registry published carries every record field (CKAN's own keys for the fields CKAN
has, `CKAN_FIELDS`; the rest as JSON extras, `extra_fields`), so it maps back exactly; for other
CKAN sites what maps is mapped, and everything that does not is listed, never silently dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import orjson
from pydantic import BaseModel

from catalogue.ckan.packages import KEYWORDS_EXTRA, extra_fields, extra_key, format_code, media_type_code
from catalogue.importing.http import Fetcher, ImportError_
from catalogue.importing.staging import Imported, ordered
from catalogue.records import vocabularies
from catalogue.records.model import Dataset

ROWS = 1000
_BY_URI = vocabularies.SLUGS_BY_URI
# Extras a package of ours carries besides the record's fields (publish.py's DCAT extras).
_KNOWN_EXTRAS = {"uri", "identifier", "registry_source", KEYWORDS_EXTRA}


def fetch_packages(
    base_url: str, fetcher: Fetcher, *, progress: Callable[[int, int], None] | None = None
) -> Iterator[dict[str, Any]]:
    """Yield every package of the CKAN at `base_url`, paging package_search until an empty page,
    within the fetcher's limits on pages and datasets (a site that says it holds more than the
    dataset limit is refused at its first page)."""
    limits = fetcher.limits
    start = pages = 0
    while True:
        limits.check_pages(pages, base_url)
        pages += 1
        result = _get(
            fetcher,
            f"{base_url.rstrip('/')}/api/3/action/package_search",
            {"rows": ROWS, "start": start, "sort": "id asc", "facet": "false"},
        )
        count, packages = result.get("count"), result.get("results") or []
        if not isinstance(packages, list):
            raise ImportError_(f"{base_url}: package_search answered results that are not a list")
        if isinstance(count, int):
            limits.check_datasets(count, base_url, declared=True)
        if not packages:
            return
        start += len(packages)
        limits.check_datasets(start, base_url)
        if progress:
            progress(start, count if isinstance(count, int) else start)
        yield from (package if isinstance(package, dict) else {} for package in packages)


def _get(fetcher: Fetcher, url: str, params: dict[str, Any]) -> dict[str, Any]:
    """Return the `result` of a CKAN action, or raise ImportError_ saying what the site answered."""
    response = fetcher.get(url, params=params, accept="application/json")
    try:
        body = orjson.loads(response.body)
    except orjson.JSONDecodeError:
        body = response.body[:200].decode("utf-8", "replace")
    if not isinstance(body, dict) or not body.get("success") or not isinstance(body.get("result"), dict):
        raise ImportError_(f"{url} answered {response.status}: {' '.join(str(body)[:200].split())}")
    return dict(body["result"])


def fetch_records(
    base_url: str, fetcher: Fetcher, *, progress: Callable[[int, int], None] | None = None
) -> Iterator[Imported]:
    """Yield every package of the CKAN at `base_url` as a record; a package that cannot be one (no
    name, or not shaped as CKAN's) comes with the problem, for staging to refuse and report."""
    for package in fetch_packages(base_url, fetcher, progress=progress):
        label = f"a package (id {str(package.get('id'))[:60]!r}, title {str(package.get('title'))[:60]!r})"
        if not isinstance(package.get("name"), str) or not package["name"]:
            yield Imported({}, problem=f"{label} with no name; skipped")
            continue
        try:
            yield map_package(package)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            yield Imported({}, problem=f"{label} not shaped as CKAN's ({type(exc).__name__}: {exc}); skipped")


def map_package(package: dict[str, Any], model: type[BaseModel] = Dataset) -> Imported:
    """Return the record a CKAN package describes, and what could not be mapped.

    The JSON extras first (every field of `model` CKAN has no key for); then CKAN's own keys, and,
    for another site's package without our extras, CKAN's forms of coverage and resources."""
    extras = {extra["key"]: extra["value"] for extra in package.get("extras", [])}
    unmapped: list[str] = []
    record = _from_extras(extras, model, unmapped)
    record |= _from_package(package) | _lists(package) | _frequency(package, unmapped)
    if isinstance(written := extras.get(KEYWORDS_EXTRA), str):  # the keywords as written, where tags differ
        record["keywords"] = json.loads(written)
    record.setdefault("summary", (package.get("notes") or record["title"]).split("\n")[0][:300])
    if "temporal_coverage" not in record:
        record["temporal_coverage"] = _coverage(package)
    if "distributions" not in record and (distributions := _distributions(package.get("resources", []), unmapped)):
        record["distributions"] = distributions
    unmapped += [f"extras.{key}" for key in extras if key not in _KNOWN_EXTRAS]
    return Imported(ordered(record, model), unmapped)


def _from_extras(extras: dict[str, str], model: type[BaseModel], unmapped: list[str]) -> dict[str, Any]:
    """Take the record's fields out of `extras` (what is left there is not the record's)."""
    record: dict[str, Any] = {}
    for key in extra_fields(model):
        if extra_key(key) in extras:
            try:
                record[key] = json.loads(extras.pop(extra_key(key)))
            except ValueError:
                unmapped.append(f"extras.{key} (not JSON)")
    return record


def _from_package(package: dict[str, Any]) -> dict[str, Any]:
    """Return the record fields CKAN has keys of its own for (`CKAN_FIELDS`), but lists and frequency."""
    organization = package.get("organization") or {}
    record: dict[str, Any] = {
        "id": package.get("name"),  # None if missing: staging refuses the package, saying so
        "title": package.get("title") or package.get("name") or "",
        "description": package.get("notes") or "",
        "publisher": organization.get("name") or "unknown",
        "contact_point": _contact(package, organization),
        "landing_page": package.get("url") or "",
    }
    if package.get("temporal_resolution"):
        record["temporal_resolution"] = package["temporal_resolution"]
    return record


def _lists(package: dict[str, Any]) -> dict[str, Any]:
    """Return creators (if any), keywords, themes and the places we know (ckanext-dcat's spatial_coverage)."""
    creators = [c.get("uri", "").rsplit("/", 1)[-1] for c in package.get("creator") or []]
    places = [s.get("uri") for s in package.get("spatial_coverage") or []]
    return ({"creator": creators} if creators else {}) | {
        "keywords": [tag["name"] for tag in package.get("tags", [])],
        "themes": [group["name"] for group in package.get("groups", [])],
        "spatial": [_BY_URI["geography"][uri] for uri in places if uri in _BY_URI["geography"]],
    }


def _frequency(package: dict[str, Any], unmapped: list[str]) -> dict[str, Any]:
    frequency = _BY_URI["frequency"].get(package.get("frequency") or "")
    if not frequency and package.get("frequency"):
        unmapped.append(f"frequency {package['frequency']!r}")
    return {"frequency": frequency} if frequency else {}


def _contact(package: dict[str, Any], organization: dict[str, Any]) -> dict[str, Any]:
    """ckanext-dcat's `contact`, else CKAN's maintainer, else the organization."""
    contact = (package.get("contact") or [{}])[0]
    found = {
        "name": contact.get("name") or package.get("maintainer") or organization.get("title") or "unknown",
        "email": contact.get("email") or package.get("maintainer_email") or None,
        "url": contact.get("url") or None,
    }
    return {key: value for key, value in found.items() if value}


def _coverage(package: dict[str, Any]) -> dict[str, Any]:
    """ckanext-dcat's temporal coverage; a period without an end goes on."""
    coverage = (package.get("temporal_coverage") or [{}])[0]
    found: dict[str, Any] = {k: v for k, v in {"start": coverage.get("start"), "end": coverage.get("end")}.items() if v}
    found["ongoing"] = not coverage.get("end")
    return found


def _distributions(resources: list[dict[str, Any]], unmapped: list[str]) -> list[dict[str, Any]]:
    """CKAN resources as distributions (they carry no citations: each is listed as not mapped)."""
    distributions = []
    for resource in resources:
        dist = {
            "title": resource.get("name") or "",
            "description": resource.get("description") or None,
            "format": format_code(resource.get("format") or "").upper(),
            "media_type": media_type_code(resource.get("mimetype") or "") or None,
            "access_url": resource.get("access_url") or resource.get("url"),
            "download_url": resource.get("download_url"),
            "licence": _BY_URI["licence"].get(resource.get("license") or "", "unknown"),
            "byte_size": resource.get("size"),
            "rights": resource.get("rights"),
        }
        distributions.append({k: v for k, v in dist.items() if v not in (None, "")})
        unmapped.append(f"resources[{len(distributions) - 1}].sources (CKAN resources carry no citations)")
    return distributions


__all__ = ["ROWS", "fetch_packages", "fetch_records", "map_package"]
