"""What a site build is given (SiteBuild): pages other packages made, and the live-preview switch."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.records.registry import Registry
from catalogue.site.build import SiteBuild, write_site

MAPPING = "# DCAT mapping\n\nA generated table, marker 7f3a:\n\n| field | DCAT |\n|---|---|\n| title | `dct:title` |\n"


def _build(registry: Registry, out: Path, *, preview: bool = False, extra_pages: dict[str, str] | None = None) -> Path:
    out.mkdir()
    write_site(SiteBuild(registry, preview=preview, extra_pages=extra_pages or {}), out)
    return out


@pytest.fixture(scope="module")
def preview_site(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Path:
    extra = {"dcat-mapping.md": MAPPING, "extra/generated.md": "# Generated here\n\nFrom another package.\n"}
    return _build(registry, tmp_path_factory.mktemp("preview") / "site", preview=True, extra_pages=extra)


def test_extra_pages_are_built_and_replace_written_ones(preview_site: Path) -> None:
    mapping = (preview_site / "dcat-mapping" / "index.html").read_text(encoding="utf-8")
    assert "marker 7f3a" in mapping
    assert "<td><code>dct:title</code></td>" in mapping  # Markdown, rendered by mkdocs
    assert "ckanext-dcat" not in mapping.split("<article", 1)[1]  # the written page is gone, not appended to
    generated = (preview_site / "extra" / "generated" / "index.html").read_text(encoding="utf-8")
    assert "From another package." in generated


def test_preview_pages_load_the_live_reload_script(preview_site: Path, site: Path) -> None:
    """`site` (conftest) is a build without preview: its pages load no preview script."""
    script = 'src="{}javascripts/preview.js"'
    assert script.format("") in (preview_site / "index.html").read_text(encoding="utf-8")
    assert script.format("../../") in (preview_site / "dataset" / "nrm-dtn-quarterly" / "index.html").read_text()
    plain = site
    assert "preview.js" not in (plain / "index.html").read_text(encoding="utf-8")
    assert "preview.js" not in (plain / "dataset" / "nrm-dtn-quarterly" / "index.html").read_text()
