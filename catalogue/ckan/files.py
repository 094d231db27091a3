"""Write the CKAN outputs: dumps in the format `ckanapi load` reads, and the package_search index."""

from __future__ import annotations

from pathlib import Path

import orjson

from catalogue.ckan.openapi import openapi_document
from catalogue.ckan.packages import group_dict, organization_dict, package_dict
from catalogue.ckan.search import write_index
from catalogue.layout import BuildLayout
from catalogue.records.registry import Registry


def _jsonl(path: Path, items: list[dict[str, object]]) -> None:
    """Write one compact JSON object a line, keys sorted, as `ckanapi dump` writes them."""
    path.write_bytes(b"".join(orjson.dumps(item, option=orjson.OPT_SORT_KEYS) + b"\n" for item in items))


def write_ckan(registry: Registry, out: Path) -> None:
    """Write ckan/datasets.jsonl, organizations.jsonl, groups.jsonl, ckan/index/ and openapi.json into `out`."""
    layout = BuildLayout(out)
    layout.ckan_dir.mkdir()
    packages = [package_dict(registry, dataset) for dataset in registry.datasets.values()]
    _jsonl(layout.ckan_datasets, packages)
    _jsonl(layout.ckan_organizations, [organization_dict(registry, agent) for agent in registry.agents.values()])
    _jsonl(layout.ckan_groups, [group_dict(registry, theme) for theme in registry.catalogue.themes])
    write_index(packages, layout.search_index_dir)
    document = openapi_document(registry.catalogue.title, registry.catalogue.description)
    layout.openapi_json.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2))
