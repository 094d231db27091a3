"""The mkdocs hook that adds the generated pages to the site at build time (never committed).

`catalogue build` hands the validated registry over through `site_build.CURRENT` (mkdocs loads this
file as a module of its own, so the hand-over lives in a module both import); a plain `mkdocs build`
or `mkdocs serve` loads `metadata/` itself through the loader.
"""

from __future__ import annotations

import json
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from catalogue.registry import Registry
from catalogue.schema_docs import schema_reference_page
from catalogue.site import dataset_jsonld, finder_index, generated_pages
from catalogue.site_asks import asks_pages
from catalogue.site_build import CURRENT

_jsonld: dict[str, str] = {}


def _registry() -> Registry:
    if CURRENT.get("registry") is None:
        from catalogue.load import load_registry

        return load_registry("metadata", check_stamps=False)
    return CURRENT["registry"]  # type: ignore[no-any-return]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    registry = _registry()
    for path, content in (generated_pages(registry) | asks_pages(registry)).items():
        files.append(File.generated(config, path, content=content))
    files.append(File.generated(config, "guides/schema.md", content=schema_reference_page()))
    files.append(File.generated(config, "finder.json", content=json.dumps(finder_index(registry))))
    site_url = (config.site_url or "").rstrip("/")
    _jsonld.clear()
    _jsonld.update({
        f"dataset/{d.id}/index.md": dataset_jsonld(registry, d, f"{site_url}/dataset/{d.id}/")
        for d in registry.datasets.values()
    })
    return files


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    context["dataset_jsonld"] = _jsonld.get(page.file.src_uri)
    if context["dataset_jsonld"]:
        context["dataset_id"] = page.file.src_uri.split("/")[1]
    return context
