"""The build folder's layout: every path a build writes and the server reads, and the shape of its index files.

The build and the server are two programs that agree on bytes on disk. Spelling each path once, here,
makes that agreement a contract the type checker sees: a writer and its reader cannot drift apart, and
a new output adds its paths here first. Nothing else in the package spells a build path.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

RDF_EXTENSIONS = ("ttl", "jsonld", "rdf")  # the DCAT serialisations, in the order the build writes them


class DcatIndex(TypedDict):
    """`dcat/index.json`: what the server needs to page the catalogue files without parsing them."""

    base_uri: str  # the catalogue's base URI at build time
    order: list[str]  # dataset ids, newest change first: the order of the datasets in the catalogue files
    modified: list[str]  # each dataset's metadata_modified, in `order`
    # per extension: the [start, end) byte offsets of each dataset's body in the catalogue file, in `order`
    spans: dict[str, Sequence[Sequence[int]]]


# URL paths of files in a build that are not published: the server's own indexes, the nginx configuration,
# and any dotfile (the build's marker); the app and the nginx configuration both answer 404 for them
PRIVATE_PREFIXES = ("/dcat/", "/ckan/index/", "/nginx/")


def is_private(url_path: str) -> bool:
    """Whether the URL path names a file of the build that is not published."""
    return url_path.startswith(PRIVATE_PREFIXES) or "/." in url_path


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """Put a build file at `target` as a hard link to `source` (no second copy on disk), or a copy with its times
    where the file system cannot link. Safe because a finished build's files are never written into again: a
    step that changes a page replaces the file (serve/static.py), so a link shared with another build stays as
    it was."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def record_cache(out: Path) -> Path:
    """The validated records of the last build into `out` (records/cached.py). Beside the build folder,
    not in it: the build replaces that folder whole, and the cache is no part of what it publishes."""
    return out.parent / ".catalogue-cache" / f"{out.name}.records.pickle"


@dataclass(frozen=True)
class BuildLayout:
    """The paths inside one build folder (`root`), named by what they hold."""

    root: Path

    # the whole registry
    @property
    def registry_json(self) -> Path:
        return self.root / "registry.json"

    @property
    def registry_manifest(self) -> Path:
        """Each dataset's key and where it lies in registry.json, for the next build to reuse (build.py)."""
        return self.root / ".catalogue-registry.json"

    # DCAT
    def catalog(self, extension: str) -> Path:
        """The whole catalogue in one file (served paged, and whole under /download/)."""
        return self.root / f"catalog.{extension}"

    @property
    def dataset_dir(self) -> Path:
        return self.root / "dataset"

    def dataset_file(self, dataset_id: str, extension: str) -> Path:
        """One dataset's DCAT document; `dataset_id` must already be a known record id."""
        return self.dataset_dir / f"{dataset_id}.{extension}"

    def dataset_page_dir(self, dataset_id: str) -> Path:
        """A dataset's site page (index.html) and its citation files; `dataset_id` a known record id."""
        return self.dataset_dir / dataset_id

    @property
    def page_manifest(self) -> Path:
        """Each dataset page's key and search entries, for the next build to reuse (site/reuse.py)."""
        return self.root / ".catalogue-pages.json"

    @property
    def fragments(self) -> Path:
        """The HTML of the generated pages' per-record parts, for the next build to reuse (site/fragments.py)."""
        return self.root / ".catalogue-fragments"

    @property
    def reuse_files(self) -> tuple[Path, ...]:
        """What the build keeps only for the next build to reuse, outside the server's private folders (which
        hold their own: dcat/reuse.json, ckan/index/): the manifests and the generated pages' parts."""
        return (self.page_manifest, self.fragments, self.quality_manifest, self.registry_manifest, self.ckan_manifest)

    @property
    def dcat_dir(self) -> Path:
        return self.root / "dcat"

    def dcat_header(self, extension: str) -> Path:
        """The catalogue node and the shared nodes, without the dataset links: the head of every page."""
        return self.dcat_dir / f"header.{extension}"

    def dcat_worker_dir(self, pid: int) -> Path:
        """Where one build worker writes dataset files before the parent moves them into dataset/."""
        return self.dcat_dir / f"worker-{pid}"

    @property
    def dcat_index(self) -> Path:
        return self.dcat_dir / "index.json"

    @property
    def dcat_reuse(self) -> Path:
        """Each dataset's key, shared nodes and file sizes, for the next build to reuse (dcat/reuse.py)."""
        return self.dcat_dir / "reuse.json"

    def write_dcat_index(self, index: DcatIndex) -> None:
        self.dcat_index.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")

    def read_dcat_index(self) -> DcatIndex:
        index: DcatIndex = json.loads(self.dcat_index.read_text("utf-8"))
        return index

    # metadata quality
    @property
    def quality_json(self) -> Path:
        """Every record's data.europa.eu metadata quality score (catalogue/quality)."""
        return self.root / "quality.json"

    @property
    def quality_manifest(self) -> Path:
        """Each record's key and score, for the next build to reuse (quality/reuse.py)."""
        return self.root / ".catalogue-quality.json"

    # CKAN
    @property
    def ckan_dir(self) -> Path:
        return self.root / "ckan"

    @property
    def ckan_datasets(self) -> Path:
        """One package dict a line, as `ckanapi dump` writes and `ckanapi load` reads."""
        return self.ckan_dir / "datasets.jsonl"

    @property
    def ckan_organizations(self) -> Path:
        return self.ckan_dir / "organizations.jsonl"

    @property
    def ckan_groups(self) -> Path:
        return self.ckan_dir / "groups.jsonl"

    @property
    def ckan_site(self) -> Path:
        """The catalogue's title and description, as status_show gives them: read by every server worker
        at start, which then need not parse registry.json (470 MB at 10,000 records) for two strings."""
        return self.ckan_dir / "site.json"

    @property
    def ckan_manifest(self) -> Path:
        """Each dataset's key and line in datasets.jsonl, for the next build to reuse (ckan/files.py)."""
        return self.ckan_dir / ".reuse.json"

    @property
    def search_index_dir(self) -> Path:
        """The full-text index behind package_search."""
        return self.ckan_dir / "index"

    @property
    def openapi_json(self) -> Path:
        return self.root / "openapi.json"

    # feeds
    @property
    def changes_atom(self) -> Path:
        return self.root / "changes.atom"

    @property
    def releases_ics(self) -> Path:
        return self.root / "releases.ics"

    # site (mkdocs writes the rest of its pages itself)
    @property
    def site_search_index(self) -> Path:
        return self.root / "search" / "search_index.json"

    @property
    def sitemap(self) -> Path:
        return self.root / "sitemap.xml"

    @property
    def sitemap_gz(self) -> Path:
        return self.root / "sitemap.xml.gz"

    # deployment: the nginx configuration for serving this folder in front of `catalogue serve`
    @property
    def nginx_dir(self) -> Path:
        return self.root / "nginx"

    @property
    def nginx_http_conf(self) -> Path:
        """Directives for nginx's http block (the Accept map, the upstream)."""
        return self.nginx_dir / "http.conf"

    @property
    def nginx_server_conf(self) -> Path:
        """Directives for a server block: files from this folder, negotiation, the proxy to the app."""
        return self.nginx_dir / "server.conf"

    @property
    def marker(self) -> Path:
        """Written first into every build: says the folder is the build's to replace, and which process
        is writing it (so a later build can clear the leftovers of one that was killed)."""
        return self.root / ".catalogue-build"

    def is_current(self) -> str | None:
        """Return why this folder cannot be served as it is (None if it can)."""
        if not self.registry_json.is_file():
            return f"{self.root} holds no build (no {self.registry_json.name})"
        if not self.dcat_index.is_file():
            return f"{self.root} was built by an older version (no dcat/index.json)"
        if not self.ckan_site.is_file():
            return f"{self.root} was built by an older version (no ckan/site.json)"
        return None
