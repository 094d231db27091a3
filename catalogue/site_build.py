"""Build the mkdocs-material site into the output folder (the build's first step: mkdocs empties it)."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config

from catalogue.registry import Registry

MKDOCS_YML = Path(__file__).resolve().parent.parent / "mkdocs.yml"
CURRENT: dict[str, Registry | None] = {"registry": None}  # read by site_hook.py during a build


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
