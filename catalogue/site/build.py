"""Build the mkdocs-material site into the output folder (the build's first step: mkdocs empties it).

mkdocs builds the site through its own API, with the hook mkdocs.yml names (hook.py); the build's
inputs (`SiteBuild`) reach it through `SitePlugin.attach`, the one hand-off.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from catalogue.site.context import SiteBuild
from catalogue.site.plugin import SitePlugin
from catalogue.site.render import record_markdown
from catalogue.site.reuse import read_markdown

MKDOCS_YML = Path(__file__).resolve().parents[2] / "mkdocs.yml"

__all__ = ["MKDOCS_YML", "SiteBuild", "write_site"]


def write_site(site: SiteBuild, out: Path) -> None:
    """Render the site for `site` into `out`.

    mkdocs' `site_url` (canonical links, the sitemap, each page's JSON-LD `url`) is the catalogue's base
    URI, so a build for another address (`catalogue build --base-uri`) names that address throughout."""
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    site_url = f"{site.registry.catalogue.base_uri}/"
    config = load_config(str(MKDOCS_YML), site_dir=str(out), site_url=site_url)
    if site.preview:
        config["extra_javascript"].append("javascripts/preview.js")
    plugin = SitePlugin.attach(config, site)
    # record text's conversions kept for the build, starting from the previous build's (render.RecordMarkdown)
    with record_markdown().remembering(read_markdown(plugin.previous_manifest)):
        mkdocs_build(config)
