"""The mkdocs-material site: generated pages, dataset pages and the hook that adds them to mkdocs' build.

One way to render: every generated page and HTML block is a Jinja2 template in templates/, rendered
autoescaped by the one Environment in render.py (record text reaches HTML only that way). One build
context: `write_site(SiteBuild(registry, preview=..., extra_pages=...), out)` (context.py); mkdocs
loads hook.py itself, and the build reaches it through `SitePlugin.attach` (plugin.py), the one
hand-off. facts.py says what pages show about records, pages.py and asks.py gather it per page,
dataset.py renders dataset page bodies, plugin.py writes them (in forked workers, catalogue/parallel.py).
"""
