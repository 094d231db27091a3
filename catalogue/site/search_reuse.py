"""Search entries of mkdocs' own pages taken from the previous build when the page has not changed.

The theme's search plugin parses every page's finished HTML into sections (Python's HTMLParser) to make
its entries; on a one-record rebuild that was most of what mkdocs itself did, because the generated pages
that list every record (the asks pages, the breakdowns, the publishers and themes) are many megabytes at
10,000 records, and most of them do not show the record that changed. The entries are a function of what
the plugin reads from the page: its address, title, front matter, table of contents and HTML, and the
plugin's own version and settings. `SearchReuse` hashes exactly those into a key a page and, for a key the
previous build's page manifest (reuse.py) holds, adds the stored entries instead of parsing the page
again; the entries it stores are the ones the plugin made, so the index is byte for byte a full build's.

A generated page (the asks pages, the data-gaps register, the publishers and themes, the finder's
lists) is indexed as its search view: its prose and the headings of its HTML blocks, without the blocks'
tables and lists. Those rows repeat what the dataset pages say, and the dataset pages are indexed whole:
indexing them again made a search for a dataset's words return every list that names it, made the index
hundreds of megabytes at 10,000 records, and took most of a build's time parsing pages that are tens of
megabytes each. So a search for a heading (an ask, a breakdown, a publisher) finds the page's section, and
a search for a dataset's words finds the dataset.

The manifest is untrusted input: anything not of the expected shape is ignored, and the page is parsed.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

# a page's search view: the HTML the index takes from it, or None for the page's own content
SearchView = Callable[[Page], str | None]
_SEARCH_PLUGINS = ("material/search", "search")
Entries = list[dict[str, Any]]


def read_search_entries(manifest: dict[str, Any]) -> dict[str, Entries]:
    """The stored search entries of the previous build's mkdocs pages, by page key, from its page manifest
    as reuse.read_page_manifest parsed it (empty if none are usable)."""
    stored = manifest.get("search")
    if not isinstance(stored, dict):
        return {}
    return {
        key: value
        for key, value in stored.items()
        if isinstance(value, list) and all(isinstance(entry, dict) for entry in value)
    }


def _toc(items: list[AnchorLink]) -> list[Any]:
    return [[item.title, item.id, item.level, item.url, _toc(item.children)] for item in items]


class SearchReuse:
    """One site build's search entries for mkdocs' pages: those it reused and those the plugin made (`made`,
    by key, for the next build's manifest)."""

    def __init__(self, manifest: dict[str, Any]) -> None:
        self.stored = read_search_entries(manifest)
        self.made: dict[str, Entries] = {}
        self.reused = 0
        self._settings = ""
        self._entries: list[dict[str, Any]] | None = None  # the plugin's index's entries, once installed

    def install(self, config: MkDocsConfig, view: SearchView = lambda page: None) -> None:
        """Put the reuse in front of the search plugin's indexing of each page (nothing if there is no plugin);
        the plugin reads the page's `view` where there is one (a generated page's headings and prose)."""
        plugin = next((config.plugins[name] for name in _SEARCH_PLUGINS if name in config.plugins), None)
        index = getattr(plugin, "search_index", None)
        if index is None or not hasattr(index, "add_entry_from_context") or not isinstance(index.entries, list):
            return
        settings = dict(getattr(plugin, "config", {}))
        self._settings = json.dumps([version("mkdocs-material"), settings], sort_keys=True, default=str)
        parse: Callable[[Page], None] = index.add_entry_from_context
        self._entries = index.entries

        def add_entry_from_context(page: Page) -> None:
            content, shown = page.content, view(page)
            if shown is not None:
                page.content = shown
            try:
                key = self.key(page)
                found = self.stored.get(key)
                if found is not None:
                    index.entries.extend(found)  # fresh from the manifest, and the plugin never changes an entry
                    self.reused += 1
                    self.made[key] = found
                    return
                start = len(index.entries)
                parse(page)
                self.made[key] = index.entries[start:]  # the same objects, not copies
            finally:
                page.content = content

        index.add_entry_from_context = add_entry_from_context
        _skip_needless_attribute_strip(config, plugin)

    def add(self, entries: list[dict[str, Any]]) -> bool:
        """Add entries (the dataset pages', made by the site) to the plugin's index before it is written;
        False if there is no index to add them to."""
        if self._entries is None:
            return False
        self._entries.extend(entries)
        return True

    def key(self, page: Page) -> str:
        """Everything the search plugin reads from `page` to make its entries, hashed."""
        meta = page.meta or {}
        parts = [
            self._settings,
            page.url,
            page.title,
            json.dumps([meta.get("title"), meta.get("search"), meta.get("tags")], sort_keys=True, default=str),
            json.dumps(_toc(list(page.toc.items)), default=str),
            page.content or "",
        ]
        digest = hashlib.sha256()
        for part in parts:
            data = str(part).encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()


# The theme's search plugin's on_page_context as this module was checked against (mkdocs-material 9.8): index
# the page, then strip `data-search-*` attributes from its HTML with a regular expression that tries every
# position of the page (its optional `\s?` start), 0.3 s for a 27 MB page, seconds for the pages that list
# every record at 10,000 records, though no page of ours holds such an attribute.
_ON_PAGE_CONTEXT = "33eb62fd1688be4d99a4e7bf8fc51c1be3d37602b63ad5327c9be3abf5dc8d50"


def _skip_needless_attribute_strip(config: MkDocsConfig, plugin: Any) -> None:
    """Run the plugin's on_page_context only for a page that holds "data-search-" (its expression can match
    nowhere else); for the others, do the rest of what it does: index the page. Only for the exact version of
    the method read here (`_ON_PAGE_CONTEXT`); any other version runs as it is."""
    method = getattr(type(plugin), "on_page_context", None)
    try:
        source = inspect.getsource(method) if method is not None else ""
    except (OSError, TypeError):
        return
    if hashlib.sha256(source.encode()).hexdigest() != _ON_PAGE_CONTEXT:
        return
    events = getattr(config.plugins, "events", {}).get("page_context", [])
    original = plugin.on_page_context

    def on_page_context(context: Any, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        if "data-search-" in (page.content or ""):
            return original(context, page=page, config=config, nav=nav)
        if plugin.config.enabled:
            plugin.search_index.add_entry_from_context(page)
        return None

    for i, registered in enumerate(events):
        if registered == original:
            on_page_context.mkdocs_priority = getattr(original, "mkdocs_priority", 0)  # type: ignore[attr-defined]
            events[i] = on_page_context
