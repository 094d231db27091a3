"""The theme's search plugin strips `data-search-*` attributes from every page with an expression that tries every
position of the page; search_reuse.py runs it only where such an attribute can be, and indexes every page as before."""

from __future__ import annotations

import hashlib
import inspect

from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from catalogue.site import search_reuse
from catalogue.site.build import MKDOCS_YML


def _page(config, path: str, content: str) -> Page:  # type: ignore[no-untyped-def]
    file = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
    page = Page("A page", file, config)
    page.content, page.toc, page.meta = content, get_toc([]), {}
    return page


def test_the_attribute_strip_runs_only_where_an_attribute_can_be() -> None:
    config = load_config(str(MKDOCS_YML))
    plugin = config.plugins["material/search"]
    plugin.on_config(config)
    original = plugin.on_page_context
    source = inspect.getsource(type(plugin).on_page_context)
    search_reuse.SearchReuse({}).install(config)
    events = config.plugins.events["page_context"]
    if hashlib.sha256(source.encode()).hexdigest() != search_reuse._ON_PAGE_CONTEXT:
        assert original in events  # another version of the theme: its method runs as it is
        return
    assert original not in events
    (wrapper,) = [event for event in events if getattr(event, "__qualname__", "").endswith("on_page_context")]
    marked = _page(config, "a.md", '<h1 id="a">A</h1><p data-search-exclude="1">kept out</p>')
    plain = _page(config, "b.md", '<h1 id="b">B</h1><p>plain\n text</p>')
    before = plain.content
    for page in (marked, plain):
        wrapper({}, page=page, config=config, nav=None)
    assert marked.content == '<h1 id="a">A</h1><p>kept out</p>'  # the theme's own strip ran
    assert plain.content is before  # nothing to strip: the page is left as it was
    assert {entry["location"] for entry in plugin.search_index.entries} == {"a/", "b/"}  # both indexed
