"""The mkdocs hook that adds the generated pages to the site at build time (never committed).

`catalogue build` hands the validated registry over through `site_build.CURRENT` (mkdocs loads this
file as a module of its own, so the hand-over lives in a module both import); a plain `mkdocs build`
or `mkdocs serve` loads `metadata/` itself through the loader.

Dataset pages are not mkdocs pages: at 10,000 datasets mkdocs' one-page-at-a-time loop (Markdown,
then the search plugin parsing each page's HTML) took ten minutes. After mkdocs has built the rest,
`on_post_build` renders them with mkdocs' own page context and the theme's `main.html`, their bodies
straight from the records (site_dataset.py), in one worker process per core; their search entries
and sitemap entries are added to what mkdocs wrote.
"""

from __future__ import annotations

import gzip
import html
import json
import logging
from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from catalogue.layout import BuildLayout
from catalogue.records.registry import Registry
from catalogue.records.schema_docs import schema_reference_page
from catalogue.site.asks import asks_pages
from catalogue.site.build import BUILD as _BUILD
from catalogue.site.build import CURRENT, render_dataset_pages
from catalogue.site.pages import HTML_BLOCKS, finder_index, generated_pages, put_back_html_blocks

log = logging.getLogger("mkdocs.plugins.catalogue")


def _registry() -> Registry:
    if CURRENT.get("registry") is None:
        from catalogue.records.loader import load_registry

        return load_registry("metadata", check_stamps=False)
    return CURRENT["registry"]  # type: ignore[no-any-return]


def on_files(files: Files, config: MkDocsConfig) -> Files:
    registry = _registry()
    HTML_BLOCKS.clear()
    _BUILD.clear()
    _BUILD["registry"] = registry
    for path, content in (generated_pages(registry) | asks_pages(registry)).items():
        files.append(File.generated(config, path, content=content))
    files.append(File.generated(config, "guides/schema.md", content=schema_reference_page()))
    files.append(File.generated(config, "finder.json", content=json.dumps(finder_index(registry))))
    return files


def on_page_content(page_html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return put_back_html_blocks(page_html)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    _BUILD["nav"] = nav
    return nav


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    _BUILD["env"] = env
    _BUILD["files"] = files
    return env


def on_post_build(config: MkDocsConfig) -> None:
    registry: Registry = _BUILD["registry"]
    _BUILD["config"] = config
    entries = render_dataset_pages(list(registry.datasets))
    _add_search_entries(Path(config.site_dir), entries)
    _add_to_sitemap(config, registry)


def _add_search_entries(site: Path, entries: list[dict[str, str]]) -> None:
    index_path = BuildLayout(site).site_search_index
    if not index_path.exists():
        log.warning("no search index to add the dataset pages to (is the search plugin enabled?)")
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    index["docs"].extend(entries)
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _add_to_sitemap(config: MkDocsConfig, registry: Registry) -> None:
    """Add each dataset page to sitemap.xml (and its .gz), last modified when its record last changed."""
    layout = BuildLayout(Path(config.site_dir))
    sitemap = layout.sitemap
    if not sitemap.exists() or not config.site_url:
        return
    base = config.site_url.rstrip("/")
    urls = "".join(
        f"    <url>\n         <loc>{html.escape(f'{base}/dataset/{key}/')}</loc>\n"
        f"         <lastmod>{registry.modified(key)[:10]}</lastmod>\n    </url>\n"
        for key in registry.datasets
    )
    text = sitemap.read_text(encoding="utf-8").replace("</urlset>", urls + "</urlset>")
    sitemap.write_text(text, encoding="utf-8")
    layout.sitemap_gz.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
