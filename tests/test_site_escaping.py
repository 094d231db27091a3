"""Record text reaches the built site only escaped: a hostile title, agent name or theme label makes no
<script> element on any page (its <title>, body, JSON-LD and search index included)."""

from __future__ import annotations

import dataclasses
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from catalogue.records.registry import Registry
from catalogue.site.build import SiteBuild, write_site

HOSTILE = "</title><script>alert(1)</script>"
DATASET = "nrm-dtn-quarterly"  # in the NRM theme: on the asks pages too


class _Scripts(HTMLParser):
    """The <script> elements of a page, as (attributes, content), and its <title> text."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append((dict(attrs), ""))
        if tag in ("script", "title"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            attrs, content = self.scripts[-1]
            self.scripts[-1] = (attrs, content + data)
        elif self._in == "title":
            self.title += data


def _hostile(registry: Registry) -> Registry:
    dataset = registry.datasets[DATASET]
    agent = registry.agents[dataset.publisher]
    theme = registry.theme(dataset.themes[0])
    datasets = dict(registry.datasets)
    datasets[DATASET] = dataset.model_copy(
        update={
            "title": f"Title {HOSTILE}",
            "caveats": [c.model_copy(update={"title": f"Caveat {HOSTILE}"}) for c in dataset.caveats],
            "method_changes": [m.model_copy(update={"title": f"Change {HOSTILE}"}) for m in dataset.method_changes],
        }
    )
    agents = dict(registry.agents) | {agent.id: agent.model_copy(update={"name": f"Agent {HOSTILE}"})}
    themes = [
        t.model_copy(update={"label": f"Theme {HOSTILE}"}) if t.id == theme.id else t for t in registry.catalogue.themes
    ]
    catalogue = registry.catalogue.model_copy(update={"themes": themes})
    return dataclasses.replace(registry, datasets=datasets, agents=agents, catalogue=catalogue)


@pytest.fixture(scope="module")
def site(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("hostile") / "site"
    out.mkdir()
    write_site(SiteBuild(_hostile(registry)), out)
    return out


def _pages(site: Path) -> dict[str, _Scripts]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        parser = _Scripts()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[str(path.relative_to(site))] = parser
    return pages


def test_no_record_text_makes_a_script_element(site: Path) -> None:
    pages = _pages(site)
    showing = [name for name in pages if "alert(1)" in (site / name).read_text(encoding="utf-8")]
    # the record's text is on its page, its publisher's and theme's, the indexes and the asks pages
    for page in [f"dataset/{DATASET}/index.html", "dataset/index.html", "method-changes/index.html"]:
        assert page in showing
    assert any(name.startswith("organization/") for name in showing)
    assert any(name.startswith("group/") for name in showing)
    assert any(name.startswith("asks/") for name in showing)
    for name, page in pages.items():
        for attrs, content in page.scripts:
            if attrs.get("type") in ("application/ld+json", "application/json"):  # JSON-LD, a chart's data
                assert "<" not in content, name  # nothing in a data block can close its element
                json.loads(content)
            else:
                assert "alert" not in content, (name, content)
                assert "alert" not in str(attrs.get("src")), (name, attrs)


def test_titles_show_the_text_as_written(site: Path) -> None:
    pages = _pages(site)
    dataset_page = pages[f"dataset/{DATASET}/index.html"]
    assert dataset_page.title.startswith(f"Title {HOSTILE} - ")
    (jsonld,) = [content for attrs, content in dataset_page.scripts if attrs.get("type") == "application/ld+json"]
    assert json.loads(jsonld)["name"] == f"Title {HOSTILE}"
    assert json.loads(jsonld)["publisher"]["name"] == f"Agent {HOSTILE}"
    publisher = next(page for name, page in pages.items() if name.startswith("organization/") and HOSTILE in page.title)
    assert publisher.title.startswith(f"Agent {HOSTILE} - ")
    theme = next(page for name, page in pages.items() if name.startswith("group/") and HOSTILE in page.title)
    assert theme.title.startswith(f"Theme {HOSTILE} - ")


def test_search_index_holds_the_text_escaped(site: Path) -> None:
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "alert(1)" in index
    assert "<script" not in index
    assert "<\\/script" not in index
