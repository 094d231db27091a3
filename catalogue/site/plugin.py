"""What the site build adds to mkdocs' own: the generated pages, their HTML blocks, the dataset pages,
and their search and sitemap entries. One `SitePlugin` a mkdocs build; hook.py forwards mkdocs' events to it.

Dataset pages are not mkdocs pages: at 10,000 datasets mkdocs' one-page-at-a-time loop (Markdown,
then the search plugin parsing each page's HTML) took ten minutes. After mkdocs has built the rest,
`on_post_build` renders them with mkdocs' own page context and the theme's `main.html`, in forked
worker processes when there are many (`render_dataset_pages`), or links them from the previous build
(reuse.py); their search entries go to the search plugin's index before it is written, and their sitemap
entries are added to the sitemap mkdocs wrote. mkdocs' own pages keep their search entries from the previous
build when unchanged (search_reuse.py).
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import re
from pathlib import Path
from typing import Any

import jinja2
from mkdocs import utils
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents, get_toc

from catalogue import parallel
from catalogue.layout import BuildLayout
from catalogue.records.registry import Registry
from catalogue.records.schema_docs import schema_reference_page
from catalogue.site.asks import asks_pages
from catalogue.site.asks_detail import gathering_once
from catalogue.site.context import SiteBuild
from catalogue.site.data_gaps import data_gaps_page
from catalogue.site.dataset import DatasetPages
from catalogue.site.facts import dataset_jsonld, finder_index
from catalogue.site.footer import footer_html
from catalogue.site.fragments import FORMAT as FRAGMENTS_FORMAT
from catalogue.site.fragments import Fragments, keeping, read_index
from catalogue.site.home import HOME_MARKER, home_block
from catalogue.site.journey import with_counts
from catalogue.site.pages import generated_pages
from catalogue.site.render import HtmlBlocks, environment, escape, oneline, record_markdown, render
from catalogue.site.reuse import PageReuse, fragment_salt, page_keys, read_page_manifest
from catalogue.site.search_reuse import SearchReuse

log = logging.getLogger("mkdocs.plugins.catalogue")
_CONFIG_KEY = "catalogue_site_plugin"


class SitePlugin:
    """One mkdocs build of the site: its `SiteBuild`, the generated pages' HTML blocks, and what the
    dataset pages need from mkdocs (nav, Jinja environment, files, config), kept from mkdocs' events."""

    def __init__(self, site: SiteBuild) -> None:
        self.site = site
        self.blocks = HtmlBlocks()
        self.nav: Navigation | None = None
        self.env: jinja2.Environment | None = None
        self.files: Files | None = None
        self.config: MkDocsConfig | None = None
        # the previous build's page manifest, read once: mkdocs' pages' search entries (search_reuse.py) now,
        # the dataset pages (reuse.py) in on_post_build, which then lets it go
        self.previous_manifest = read_page_manifest(site.previous)
        self.search = SearchReuse(self.previous_manifest)
        # a generated page's HTML as the search index takes it (its blocks' headings, not their tables), by page
        self.search_views: dict[str, str] = {}
        self.fragments: Fragments | None = None  # the generated pages' parts (fragments.py), once on_files made them

    # The hand-off. mkdocs builds through its own API and loads hook.py itself, so `write_site` cannot
    # pass the SiteBuild as an argument: it attaches a plugin to the loaded config, and every event hook.py
    # receives finds it there (`of`). This is the only way a build's inputs reach the hook.
    @staticmethod
    def attach(config: MkDocsConfig, site: SiteBuild) -> SitePlugin:
        plugin = SitePlugin(site)
        config[_CONFIG_KEY] = plugin
        return plugin

    @staticmethod
    def of(config: MkDocsConfig) -> SitePlugin:
        """The plugin `write_site` attached to `config`; a plain `mkdocs build` or `mkdocs serve`
        (nothing attached) gets one for `metadata/`, read through the loader."""
        plugin = config.get(_CONFIG_KEY)
        if isinstance(plugin, SitePlugin):
            return plugin
        from catalogue.records.loader import load_registry

        return SitePlugin.attach(config, SiteBuild(load_registry("metadata", check_stamps=False)))

    @property
    def registry(self) -> Registry:
        return self.site.registry

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self.search.install(config, lambda page: self.search_views.get(page.file.src_uri))
        registry = self.registry
        self.fragments = self._fragments(config)
        try:
            # the pages' per-record parts from the previous build where unchanged; what two pages gather, once
            with keeping(self.fragments), gathering_once():
                pages = generated_pages(registry, self.blocks) | asks_pages(registry, self.blocks)
                pages["data-gaps/index.md"] = data_gaps_page(registry, self.blocks)
        finally:
            self.fragments.close()
        pages["guides/schema.md"] = schema_reference_page()
        for path, content in (pages | dict(self.site.extra_pages)).items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                files.remove(existing)  # a generated page replaces a written one of the same path
            files.append(File.generated(config, path, content=content))
        files.append(File.generated(config, "finder.json", content=json.dumps(finder_index(registry))))
        return files

    def _fragments(self, config: MkDocsConfig) -> Fragments:
        """This build's parts of the generated pages (fragments.py), written into the site as they are made."""
        salt = fragment_salt(self.site, config.site_url or "")
        previous = None
        if self.site.previous is not None:
            previous = (BuildLayout(self.site.previous).fragments, read_index(self.previous_manifest, salt))
        hashes = {key: stamp.content_hash for key, stamp in self.registry.stamps.items()}
        fragments = Fragments(salt, hashes, previous)
        fragments.open(BuildLayout(Path(config.site_dir)).fragments)
        return fragments

    def on_page_content(self, page_html: str, page: Page) -> str:
        headings = self.blocks.tocs.get(page.file.src_uri)
        if headings is not None and headings.tokens:
            page.toc = _with_headings(headings.tokens, page.toc)
        if page.file.src_uri == "index.md" and HOME_MARKER in page_html:
            page_html = page_html.replace(HOME_MARKER, home_block(self.registry), 1)
        if page.file.src_uri == "nrm-journey/index.md":
            page_html = with_counts(page_html, self.registry)
        view = self.blocks.headings_only(page_html)
        if view is not None:
            self.search_views[page.file.src_uri] = view
        return self.blocks.put_back(page_html)

    def on_post_build(self, config: MkDocsConfig) -> None:
        self.config = config
        site_dir = Path(config.site_dir)
        # every page draws the navigation: each entry's title and address, and what the theme shows beside it
        # from the page's front matter (icon, subtitle, status), which str(nav) leaves out
        pages = self.nav.pages if self.nav else []
        entries = [(page.url, page.title, _canonical(page.meta)) for page in pages]
        shared: list[Any] = [str(self.nav), entries, config.site_url, [str(s) for s in config["extra_javascript"]]]
        reuse = PageReuse(self.site.previous, page_keys(self.site, shared), self.previous_manifest)
        self.previous_manifest = {}
        reuse.link(site_dir)
        todo = [key for key in self.registry.datasets if key not in reuse.entries]
        by_id = reuse.entries | dict(render_dataset_pages(self, todo))
        self._add_search_entries(site_dir, [entry for key in self.registry.datasets for entry in by_id[key]])
        kept = self.fragments
        parts = {"format": FRAGMENTS_FORMAT, "salt": kept.salt, "index": kept.index} if kept else {}
        reuse.write_manifest(site_dir, by_id, self.search.made, record_markdown().made or {}, parts)
        self._add_to_sitemap(config)

    def _add_search_entries(self, site: Path, entries: list[dict[str, Any]]) -> None:
        """Give the dataset pages' entries to the search plugin, whose index mkdocs writes after this
        (hook.py runs `on_post_build` first): reading back and rewriting the file it wrote cost seconds and
        hundreds of megabytes at 10,000 records. Without the plugin's index, the file is amended as before."""
        if self.search.add(entries):
            return
        index_path = BuildLayout(site).site_search_index
        if not index_path.exists():
            log.warning("no search index to add the dataset pages to (is the search plugin enabled?)")
            return
        index = json.loads(index_path.read_text(encoding="utf-8"))
        index["docs"].extend(entries)
        index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    def _add_to_sitemap(self, config: MkDocsConfig) -> None:
        """Add each dataset page to sitemap.xml (and its .gz), last modified when its record last changed."""
        layout = BuildLayout(Path(config.site_dir))
        sitemap = layout.sitemap
        if not sitemap.exists() or not config.site_url:
            return
        urls: list[dict[str, Any]] = [
            {"loc": f"{config.site_url.rstrip('/')}/dataset/{key}/", "lastmod": self.registry.modified(key)[:10]}
            for key in self.registry.datasets
        ]
        text = sitemap.read_text(encoding="utf-8").replace("</urlset>", render("sitemap.xml", urls=urls) + "</urlset>")
        sitemap.write_text(text, encoding="utf-8")
        layout.sitemap_gz.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def _with_headings(tokens: list[dict[str, Any]], toc: TableOfContents) -> TableOfContents:
    """A generated page's table of contents: the headings its HTML blocks hold (its h1, which comes
    first), then Markdown's, each under the last heading of a higher level."""
    merged = get_toc(tokens)  # type: ignore[arg-type]
    for item in toc.items:
        parents: list[AnchorLink] = merged.items
        while parents and parents[-1].level < item.level:
            parents = parents[-1].children
        parents.append(item)
    return merged


_KEEP_AS_IS = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.S | re.I)
_INDENT = re.compile(r"\n\s+")


def trim_whitespace(page: str) -> str:
    """Drop the theme templates' indentation and blank lines (a seventh of a dataset page), except
    inside <pre> and <textarea>, where whitespace is content."""
    parts = _KEEP_AS_IS.split(page)
    return "".join(part if i % 2 else _INDENT.sub("\n", part) for i, part in enumerate(parts))


def render_dataset_pages(plugin: SitePlugin, dataset_ids: list[str]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Write the dataset pages, in one worker process per core (at most four) when there are many;
    return each one's entries for the search index, by id."""
    render = functools.partial(_render_datasets, plugin)
    with parallel.batch_results(
        render, dataset_ids, workers=parallel.worker_count(most=4), batches_per_worker=8
    ) as batches:
        return [entry for batch in batches for entry in batch]


def _render_datasets(plugin: SitePlugin, dataset_ids: list[str]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Write each dataset's page with mkdocs' page context and the theme's main.html; return their
    search entries."""
    registry, config = plugin.registry, plugin.config
    assert config is not None, "mkdocs has not built the site yet"
    assert plugin.env is not None, "mkdocs has not built the site yet"
    template = plugin.env.get_template("main.html")
    jsonld = environment().get_template("jsonld.json")
    pages = DatasetPages(registry, plugin.site.quality, plugin.site.built)
    site_url = (config.site_url or "").rstrip("/")
    entries: list[tuple[str, list[dict[str, Any]]]] = []
    for dataset_id in dataset_ids:
        dataset = registry.datasets[dataset_id]
        file = File.generated(config, f"dataset/{dataset_id}/index.md", content="")
        # mkdocs' templates do not escape: <title> prints page.meta.title as it is, so it gets the title escaped
        title = str(escape(oneline(dataset.title)))
        page = Page(title, file, config)
        body, toc = pages.render(dataset)
        page.content, page.toc, page.meta = body, get_toc(toc), {"title": title}  # type: ignore[arg-type]
        config._current_page = page
        page.active = True
        data = dataset_jsonld(registry, dataset, f"{site_url}/{page.url}")
        context: dict[str, Any] = dict(get_context(plugin.nav, plugin.files, config, page))  # type: ignore[arg-type]
        context |= {"dataset_jsonld": jsonld.render(data=data), "dataset_id": dataset_id}
        context["registry_footer"] = footer_html(registry, plugin.site.built, dataset_id)  # its record's date
        output = trim_whitespace(template.render(context))
        utils.write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
        cite = pages.citation(dataset)  # the "cite this dataset" box's downloads, beside the page
        folder = Path(page.file.abs_dest_path).parent
        (folder / "cite.bib").write_text(cite.bibtex(), encoding="utf-8")
        (folder / "cite.ris").write_text(cite.ris().replace("\n", "\r\n"), encoding="utf-8", newline="")
        config._current_page = None
        entries.append((dataset_id, pages.search_entries(dataset, page.url)))
    return entries


def _canonical(value: Any) -> Any:
    """`value` (a page's front matter) as JSON can hold it the same way in every build: keys as text (a date
    or number key made the page keys' json.dumps fail), sets as sorted lists (their order varies between
    processes)."""
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_canonical(item) for item in value), key=repr)
    return value
