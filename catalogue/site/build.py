"""Build the mkdocs-material site into the output folder (the build's first step: mkdocs empties it),
and render the dataset pages, which site_hook.py hands over once mkdocs has built the rest.

The dataset-page rendering lives here, not in the hook, because mkdocs loads hooks from their file
under a name worker processes cannot import.
"""

from __future__ import annotations

import gc
import html
import logging
import multiprocessing
import os
import re
from pathlib import Path
from typing import Any

from mkdocs import utils
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.build import get_context
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from catalogue.records.registry import Registry
from catalogue.site.dataset import DatasetPages
from catalogue.site.pages import dataset_jsonld

MKDOCS_YML = Path(__file__).resolve().parents[2] / "mkdocs.yml"
CURRENT: dict[str, Registry | None] = {"registry": None}  # read by site_hook.py during a build
# What the dataset pages need from the mkdocs build (registry, config, nav, env, files), kept by the
# hook from mkdocs' events; read by the forked workers.
BUILD: dict[str, Any] = {}
_PARALLEL_FROM = 200  # below this many datasets, worker processes cost more than they save


PREVIEW = {"on": False}  # set by `catalogue serve --watch`: pages then load the live-reload script


def write_site(registry: Registry, out: Path) -> None:
    """Render the site for `registry` into `out`."""
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    config = load_config(str(MKDOCS_YML), site_dir=str(out))
    if PREVIEW["on"]:
        config["extra_javascript"].append("javascripts/preview.js")
    CURRENT["registry"] = registry
    try:
        mkdocs_build(config)
    finally:
        CURRENT["registry"] = None


_KEEP_AS_IS = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.S | re.I)
_INDENT = re.compile(r"\n\s+")


def trim_whitespace(page: str) -> str:
    """Drop the theme templates' indentation and blank lines (a seventh of a dataset page), except
    inside <pre> and <textarea>, where whitespace is content."""
    parts = _KEEP_AS_IS.split(page)
    return "".join(part if i % 2 else _INDENT.sub("\n", part) for i, part in enumerate(parts))


def render_dataset_pages(dataset_ids: list[str]) -> list[dict[str, str]]:
    """Write the dataset pages, in one worker process per core when there are many; return their
    entries for the search index."""
    workers = min(os.cpu_count() or 1, 4)
    if len(dataset_ids) < _PARALLEL_FROM or workers == 1:
        return _render_datasets(dataset_ids)
    size = max(50, len(dataset_ids) // (workers * 8))
    gc.freeze()  # the workers' collections then skip the parent's objects (and leave their pages shared)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            batches = pool.map(_render_datasets, [dataset_ids[i : i + size] for i in range(0, len(dataset_ids), size)])
    finally:
        gc.unfreeze()
    return [entry for batch in batches for entry in batch]


def _render_datasets(dataset_ids: list[str]) -> list[dict[str, str]]:
    """Write each dataset's page with mkdocs' page context and the theme's main.html; return their
    search entries."""
    registry: Registry = BUILD["registry"]
    config: MkDocsConfig = BUILD["config"]
    nav, env, files = BUILD["nav"], BUILD["env"], BUILD["files"]
    template = env.get_template("main.html")
    pages = DatasetPages(registry)
    site_url = (config.site_url or "").rstrip("/")
    entries: list[dict[str, str]] = []
    for dataset_id in dataset_ids:
        dataset = registry.datasets[dataset_id]
        file = File.generated(config, f"dataset/{dataset_id}/index.md", content="")
        page = Page(html.escape(dataset.title), file, config)  # mkdocs' templates do not escape titles
        body, toc = pages.render(dataset)
        page.content, page.toc, page.meta = body, get_toc(toc), {}
        config._current_page = page
        page.active = True
        context = get_context(nav, files, config, page)
        context["dataset_jsonld"] = dataset_jsonld(registry, dataset, f"{site_url}/{page.url}")
        context["dataset_id"] = dataset_id
        output = trim_whitespace(template.render(context))
        utils.write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
        config._current_page = None
        entries.extend(pages.search_entries(dataset, page.url))
    return entries
