"""Write the CKAN outputs: dumps in the format `ckanapi load` reads, and the package_search index.

A dataset's package dict is a function of what its key (dcat/reuse.py) hashes, and making it was most
of this step (six of eleven seconds at 10,000 records): a dataset whose key the previous build's
manifest holds has its line taken from the previous datasets.jsonl (read as untrusted: the file must
have the size the manifest says, each line must be whole, parse, and name its dataset) instead.
The search index is written again whole (tantivy's files cannot be spliced).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from catalogue.ckan.openapi import openapi_document
from catalogue.ckan.packages import group_dict, organization_dict, package_dict
from catalogue.ckan.search import write_index
from catalogue.dcat.reuse import dataset_keys, kept_spans, write_manifest
from catalogue.layout import BuildLayout
from catalogue.records.registry import Registry

OUTPUT = "ckan"


def _line(item: dict[str, Any]) -> bytes:
    """One JSON object a line, as `ckanapi dump` writes them."""
    return orjson.dumps(item, option=orjson.OPT_SORT_KEYS) + b"\n"


def _jsonl(path: Path, items: list[dict[str, Any]]) -> None:
    path.write_bytes(b"".join(_line(item) for item in items))


def _kept_lines(previous: Path | None, keys: dict[str, str]) -> dict[str, tuple[bytes, dict[str, Any]]]:
    """The previous build's datasets.jsonl line (and its package dict) of each dataset whose key it holds."""
    if previous is None:
        return {}
    layout = BuildLayout(previous)
    lines = kept_spans(layout.ckan_manifest, layout.ckan_datasets, OUTPUT, keys)
    kept = {}
    for dataset_id, line in lines.items():
        if not line.endswith(b"\n") or line.count(b"\n") != 1:
            continue
        try:
            package = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        if isinstance(package, dict) and package.get("name") == dataset_id:
            kept[dataset_id] = (line, package)
    return kept


def write_ckan(registry: Registry, out: Path, previous: Path | None = None) -> None:
    """Write ckan/datasets.jsonl, organizations.jsonl, groups.jsonl, site.json, ckan/index/ and openapi.json into `out`,
    taking unchanged datasets' lines from the build `previous`."""
    layout = BuildLayout(out)
    layout.ckan_dir.mkdir()
    keys = dataset_keys(registry, OUTPUT)
    kept = _kept_lines(previous, keys)
    packages, lines, spans, position = [], [], {}, 0
    for dataset in registry.datasets.values():
        if dataset.id in kept:
            line, package = kept[dataset.id]
        else:
            package = package_dict(registry, dataset)
            line = _line(package)
        packages.append(package)
        lines.append(line)
        if dataset.id in keys:
            spans[dataset.id] = [keys[dataset.id], position, position + len(line)]
        position += len(line)
    layout.ckan_datasets.write_bytes(b"".join(lines))
    write_manifest(layout.ckan_manifest, OUTPUT, {"size": position, "spans": spans})
    _jsonl(layout.ckan_organizations, [organization_dict(registry, agent) for agent in registry.agents.values()])
    _jsonl(layout.ckan_groups, [group_dict(registry, theme) for theme in registry.catalogue.themes])
    write_index(packages, layout.search_index_dir)
    site = {"site_title": registry.catalogue.title, "site_description": registry.catalogue.description}
    layout.ckan_site.write_bytes(orjson.dumps(site))
    document = openapi_document(registry.catalogue.title, registry.catalogue.description)
    layout.openapi_json.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2))
