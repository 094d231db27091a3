"""The CKAN outputs of one build held in memory for the Action API: each package once, as the bytes
the dump wrote, and the small indexes the read actions look things up in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from catalogue.ckan.search import SearchIndex
from catalogue.layout import BuildLayout


class PackageStore:
    """The CKAN outputs of one build, in memory: each package once as JSON bytes, plus small indexes."""

    def __init__(self, build: Path) -> None:
        layout = BuildLayout(build)
        self.package_bytes: list[bytes] = []
        self.names: list[str] = []
        self.by_key: dict[str, int] = {}
        self.resources: dict[str, tuple[int, int]] = {}
        self.members: dict[tuple[str, str], list[int]] = {}  # ("organization" | "groups", name) -> positions
        self.tags: dict[str, dict[str, Any]] = {}
        modified: list[str] = []
        with open(layout.ckan_datasets, "rb") as lines:
            for position, line in enumerate(lines):
                self._index(position, line.rstrip(b"\n"), modified)
        self.organizations = [orjson.loads(line) for line in layout.ckan_organizations.read_bytes().splitlines()]
        self.groups = [orjson.loads(line) for line in layout.ckan_groups.read_bytes().splitlines()]
        self.index = SearchIndex(layout.search_index_dir)
        self.newest_first = sorted(range(len(self.names)), key=lambda i: (modified[i], self.names[i]), reverse=True)
        site = orjson.loads(layout.ckan_site.read_bytes())
        self.site_title, self.site_description = site["site_title"], site["site_description"]
        self.display_names = {org["name"]: org["title"] for org in self.organizations + self.groups}

    def _index(self, position: int, line: bytes, modified: list[str]) -> None:
        """Keep the package's JSON as the dump wrote it (compact, keys sorted) and index what actions need."""
        package = orjson.loads(line)
        self.package_bytes.append(line)
        self.names.append(package["name"])
        modified.append(package["metadata_modified"])
        self.by_key[package["id"]] = self.by_key[package["name"]] = position
        for index, resource in enumerate(package["resources"]):
            self.resources[resource["id"]] = (position, index)
        self.members.setdefault(("organization", package["organization"]["name"]), []).append(position)
        for group in package["groups"]:
            self.members.setdefault(("groups", group["name"]), []).append(position)
        for tag in package["tags"]:
            self.tags.setdefault(tag["name"], {key: tag[key] for key in ("id", "name", "vocabulary_id")})

    def package(self, position: int) -> dict[str, Any]:
        return dict(orjson.loads(self.package_bytes[position]))
