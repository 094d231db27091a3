"""Dataset pages taken from the previous build when nothing they show has changed.

Rendering the dataset pages was most of a site build at 10,000 records, and a one-record edit changed
one or a few of them. Each page (with its citation files and search entries) is a function of: its
record and stamp, its quality score, the records it relates to (both directions, by title and content),
and what every page shares (the catalogue record, the agents, the themes, the navigation, the build
date, the preview flag, the site address, and the code and templates that render it). Not the catalogue's
last-change date: a dataset page's footer shows its own record's (footer.py).
`page_keys` hashes exactly those into one key a page; a page whose key the previous build's manifest
holds, with its files still there, is hard-linked from it instead of rendered, so the bytes are the
ones a full build writes (the byte-equality test builds both ways and compares every file).

The manifest is read as untrusted: anything unreadable or of another shape means no page is reused.
It also holds each file's size and modification time as this step left them: a later step that
rewrites pages in place (`build --static` adds links to them) changes those, and such a page is
rendered again rather than reused. A build that rewrites pages in place must not reuse them (the
file it would write into is the previous build's too): `catalogue build --static` passes no
previous build.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from catalogue.layout import BuildLayout, link_or_copy
from catalogue.records.registry import shared_key, source_hash
from catalogue.site.context import SiteBuild
from catalogue.site.fragments import FORMAT as FRAGMENTS_FORMAT
from catalogue.site.render import RecordMarkdown

FORMAT = "catalogue-dataset-pages 4"
_PAGE_FILES = ("index.html", "cite.bib", "cite.ris")
_ROOT = Path(__file__).resolve().parents[2]


# The code a dataset page is made by: the site package, the layers below it that it imports (records, layout,
# parallel) and the site's templates and configuration. Not the whole package: a change to the DCAT writer
# or the server does not change a page, and in a tree others edit it made every page render again.
# Of site/, only the theme's templates (mkdocs.yml's custom_dir): the written pages (guides, glossary, ...)
# reach a dataset page only through the navigation, which each page's key holds (plugin.on_post_build), and
# the scripts and stylesheets only by their addresses; with all of site/ here, fixing a typo in a guide
# rendered every dataset page and every part of the generated pages again (126 s at 10,000 records).
# tests/test_site_incremental.py checks that every module the site imports, and the theme's folder, are in here.
CODE_PATHS = (
    "catalogue/__init__.py",
    "catalogue/layout.py",
    "catalogue/parallel.py",
    "catalogue/records",
    "catalogue/site",
    "site/overrides",
    "mkdocs.yml",
)


def _code_hash() -> str:
    """The site's code, theme templates and mkdocs.yml (`CODE_PATHS`): any change renders every page."""
    return source_hash(_ROOT, CODE_PATHS)


def fragment_salt(site: SiteBuild, site_url: str) -> str:
    """What every part of the generated pages shares (fragments.py): the site's code and templates, the
    catalogue record and agents, and the site's address. Not the build date, which no part shows."""
    return shared_key(site.registry, FRAGMENTS_FORMAT, _code_hash(), site_url)


def page_keys(site: SiteBuild, shared: Any) -> dict[str, str]:
    """Each dataset page's key: `shared` (what mkdocs gives every page: navigation, address, scripts)
    and the build's common inputs, then the page's own."""
    registry = site.registry
    common = shared_key(registry, FORMAT, _code_hash(), shared, site.preview, site.built)
    keys = {}
    for dataset_id in registry.datasets:
        stamp = registry.stamps[dataset_id]
        related = [
            (relation, other, note, registry.datasets[other].title, registry.stamps[other].content_hash)
            for relation, other, note in registry.relations_of(dataset_id)
        ]
        own = [common, dataset_id, vars(stamp), site.quality.get(dataset_id), related]
        keys[dataset_id] = hashlib.sha256(json.dumps(own, sort_keys=True, default=str).encode()).hexdigest()
    return keys


class PageReuse:
    """The previous build's dataset pages that can be linked into this one, and the manifest for the next."""

    def __init__(self, previous: Path | None, keys: dict[str, str], manifest: dict[str, Any]) -> None:
        """`manifest`: the previous build's page manifest as `read_page_manifest` parsed it."""
        self.previous = previous
        self.keys = keys
        self.entries: dict[str, list[dict[str, Any]]] = {}  # reusable id -> its search entries
        if previous is not None:
            old = _pages(manifest)
            for dataset_id, key in keys.items():
                found = old.get(dataset_id)
                if found is not None and found[0] == key and _stats(previous, dataset_id) == found[2]:
                    self.entries[dataset_id] = found[1]

    def link(self, site_dir: Path) -> None:
        """Hard-link every reusable page's files into `site_dir` (copy where links cannot be made)."""
        assert self.previous is not None or not self.entries
        for dataset_id in self.entries:
            source = BuildLayout(self.previous).dataset_page_dir(dataset_id)  # type: ignore[arg-type]
            target = BuildLayout(site_dir).dataset_page_dir(dataset_id)
            target.mkdir(parents=True, exist_ok=True)
            for name in _PAGE_FILES:
                link_or_copy(source / name, target / name)

    def write_manifest(
        self,
        site_dir: Path,
        entries: dict[str, list[dict[str, Any]]],
        search: dict[str, list[dict[str, Any]]],
        markdown: dict[str, str],
        fragments: dict[str, Any],
    ) -> None:
        """Write each page's key, search entries and files' stats, `search`: the search entries of mkdocs'
        own pages by their key (search_reuse.py), `markdown`: the record text this build converted, with
        its HTML (render.RecordMarkdown), and `fragments`: where the generated pages' parts are (fragments.py)."""
        pages = {
            dataset_id: [key, entries[dataset_id], _stats(site_dir, dataset_id)]
            for dataset_id, key in self.keys.items()
        }
        converted = {"version": RecordMarkdown.VERSION, "html": markdown}
        data = {"format": FORMAT, "pages": pages, "search": search, "markdown": converted, "fragments": fragments}
        # json.dumps, not json.dump: dump encodes in pure Python, several times slower on the large search entries
        text = json.dumps(data, separators=(",", ":"), default=str)
        BuildLayout(site_dir).page_manifest.write_text(text, encoding="utf-8")


_Manifest = dict[str, tuple[str, list[dict[str, Any]], list[list[int]] | None]]


def read_page_manifest(previous: Path | None) -> dict[str, Any]:
    """The previous build's page manifest, parsed once for both its readers (PageReuse: the dataset pages;
    search_reuse.py: mkdocs' own pages' search entries). It is the build's largest file, hundreds of
    megabytes of search entries at 10,000 records. {} if there is none, or none of this format."""
    if previous is None:
        return {}
    try:
        data = json.loads(BuildLayout(previous).page_manifest.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("format") == FORMAT else {}


def read_markdown(manifest: dict[str, Any]) -> dict[str, str]:
    """The previous build's record text and its HTML (render.RecordMarkdown), if made by this Markdown."""
    stored = manifest.get("markdown")
    if not isinstance(stored, dict) or stored.get("version") != RecordMarkdown.VERSION:
        return {}
    converted = stored.get("html")
    if not isinstance(converted, dict):
        return {}
    return {text: html for text, html in converted.items() if isinstance(text, str) and isinstance(html, str)}


def _pages(manifest: dict[str, Any]) -> _Manifest:
    """The dataset pages the manifest holds, each of the shape `write_manifest` writes (others left out)."""
    pages = manifest.get("pages")
    if not isinstance(pages, dict):
        return {}
    found: _Manifest = {}
    for dataset_id, value in pages.items():
        if (
            isinstance(value, list)
            and len(value) == 3
            and isinstance(value[0], str)
            and isinstance(value[1], list)
            and all(isinstance(entry, dict) for entry in value[1])
            and isinstance(value[2], list)
        ):
            found[dataset_id] = (value[0], value[1], value[2])
    return found


def _stats(build: Path, dataset_id: str) -> list[list[int]] | None:
    """The size and modification time of each of a page's files (None if one is missing or not a plain file)."""
    folder = BuildLayout(build).dataset_page_dir(dataset_id)
    found = []
    for name in _PAGE_FILES:
        try:
            stat = os.lstat(folder / name)
        except OSError:
            return None
        if not os.path.isfile(folder / name) or os.path.islink(folder / name):
            return None
        found.append([stat.st_size, stat.st_mtime_ns])
    return found
