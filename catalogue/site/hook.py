"""The mkdocs hook (mkdocs.yml `hooks:`) that adds the generated pages to the site at build time.

mkdocs loads this file as a module of its own, so it holds nothing: each event goes to the build's
`SitePlugin` (plugin.py), which `write_site` attached to mkdocs' config (`SitePlugin.attach`, the one
hand-off). A plain `mkdocs build` or `mkdocs serve` gets a plugin for `metadata/`.
"""

from __future__ import annotations

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from catalogue.site import render
from catalogue.site.footer import footer_html
from catalogue.site.plugin import SitePlugin


def on_files(files: Files, config: MkDocsConfig) -> Files:
    return SitePlugin.of(config).on_files(files, config)


def on_page_content(page_html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return SitePlugin.of(config).on_page_content(page_html, page)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    SitePlugin.of(config).nav = nav
    return nav


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    env.bytecode_cache = render.THEME_TEMPLATES  # compiled once (render.CompiledTemplates)
    plugin = SitePlugin.of(config)
    plugin.env, plugin.files = env, files
    # the footer's facts, for site/overrides/partials/copyright.html
    env.globals["registry_footer"] = footer_html(plugin.registry, plugin.site.built)
    return env


@event_priority(100)  # before the search plugin writes its index, so the dataset pages' entries go into it
def on_post_build(config: MkDocsConfig) -> None:
    SitePlugin.of(config).on_post_build(config)
