"""Dataset pages (rendered from the records as HTML) and what the site build adds for them."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from catalogue.records.registry import Registry
from catalogue.site.dataset import DatasetPages
from catalogue.site.plugin import trim_whitespace
from catalogue.site.render import RecordMarkdown
from tests.golden import GOLDEN, check_golden

HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="alert(1)">'


def _article(site: Path, dataset_id: str) -> str:
    page = (site / "dataset" / dataset_id / "index.html").read_text()
    return page[page.index("<article") : page.index("</article>")]


def test_dataset_page_body_golden(registry: Registry) -> None:
    body, _ = DatasetPages(registry, built="2026-11-30").render(registry.datasets["nrm-dtn-quarterly"])
    check_golden(GOLDEN / "nrm-dtn-quarterly.html", body)


def test_headings_make_the_table_of_contents(registry: Registry) -> None:
    _, toc = DatasetPages(registry).render(registry.datasets["nrm-dtn-quarterly"])
    assert [t["id"] for t in toc] == ["nrm-dtn-quarterly"]
    sections = [t["id"] for t in toc[0]["children"]]
    assert sections[:5] == ["summary", "download", "figures", "caveats", "about-these-statistics"]
    quality = next(t for t in toc[0]["children"] if t["id"] == "quality")
    assert quality["children"]
    assert all(child["level"] == 3 for child in quality["children"])


def test_hostile_record_text_is_escaped(registry: Registry) -> None:
    dataset = registry.datasets["nrm-dtn-quarterly"].model_copy(
        update={
            "title": f"Title {HOSTILE}",
            "summary": f"Summary {HOSTILE}",
            "description": f"Described {HOSTILE}",
            "caveats": [
                c.model_copy(update={"title": f"Caveat {HOSTILE}", "text": f"Text {HOSTILE}"})
                for c in registry.datasets["nrm-dtn-quarterly"].caveats
            ],
            "method_changes": [
                m.model_copy(update={"title": f"Change {HOSTILE}"})
                for m in registry.datasets["nrm-dtn-quarterly"].method_changes
            ],
        }
    )
    pages = DatasetPages(registry)
    body, toc = pages.render(dataset)
    entries = pages.search_entries(dataset, "dataset/nrm-dtn-quarterly/")
    for text in [body, json.dumps(toc), json.dumps(entries)]:
        assert "<script>" not in text
        assert "<img" not in text
    assert body.count("&lt;script&gt;window.__pwned = 1&lt;/script&gt;") >= 4


def test_breaks_come_first_and_the_2019_break_leads(site: Path) -> None:
    """The breaks, one line each, come before the key facts; the full caveats, the 2019 break first, follow."""
    article = _article(site, "nrm-dtn-quarterly")
    first = re.search(r'<div class="admonition (\w+)"[^>]*>\s*<p class="admonition-title">([^<]*)', article)
    assert first is not None
    assert first.group(1) == "danger"
    assert "2019" in first.group(2)
    breaks = re.search(r'<ul class="registry-breaks"[^>]*>\s*<li>(.*?)</li>', article, re.S)
    assert breaks is not None
    assert "2019" in breaks.group(1)
    assert article.index('class="registry-breaks"') < article.index('id="summary"') < article.index('id="caveats"')


def test_head_carries_schema_org_dataset(site: Path) -> None:
    page = (site / "dataset" / "nrm-dtn-quarterly" / "index.html").read_text()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert script is not None
    data = json.loads(script.group(1))
    assert data["@type"] == "Dataset"
    assert data["url"].endswith("/dataset/nrm-dtn-quarterly/")


def test_related_datasets_show_in_both_directions(registry: Registry, site: Path) -> None:
    names = [(d.id, r.id) for d in registry.datasets.values() for r in d.related]
    assert names
    for source, target in names:
        assert f'href="../{target}/"' in _article(site, source)
        assert f'href="../{source}/"' in _article(site, target), (source, target)


def test_dataset_pages_are_in_the_search_index_and_sitemap(registry: Registry, site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    sitemap = gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode()
    for dataset_id in registry.datasets:
        assert f"dataset/{dataset_id}/" in locations
        assert f"/dataset/{dataset_id}/</loc>" in sitemap
    assert "guides/producers/" in locations  # mkdocs' own pages are still there
    sections = {doc["location"] for doc in index["docs"] if doc["location"].startswith("dataset/nrm-dtn-quarterly/")}
    assert sections == {
        f"dataset/nrm-dtn-quarterly/{anchor}" for anchor in ("", "#caveats", "#method-changes", "#quality")
    }


def test_trimming_keeps_preformatted_text() -> None:
    page = "<div>\n    <p>a</p>\n\n  </div>\n<pre>  keep\n\n    this</pre>\n   <textarea> x\n  y</textarea>"
    assert (
        trim_whitespace(page) == "<div>\n<p>a</p>\n</div>\n<pre>  keep\n\n    this</pre>\n<textarea> x\n  y</textarea>"
    )


def test_generated_pages_are_indexed_by_their_headings_not_their_rows(registry: Registry, site: Path) -> None:
    """A generated page's tables repeat the dataset pages, which are indexed whole (search_reuse.py)."""
    docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    by_location = {doc["location"]: doc for doc in docs}
    dataset = next(iter(registry.datasets.values()))
    listing = " ".join(doc["text"] for doc in docs if doc["location"].split("#")[0] == "dataset/")
    assert dataset.title not in listing  # the list of all datasets: its table is not indexed
    assert by_location[f"dataset/{dataset.id}/"]["title"] == dataset.title  # the dataset's own page is
    headings = [doc["title"] for doc in docs if doc["location"].startswith("asks/breakdowns/#")]
    assert len(headings) >= 3, headings  # the ask's sections, from the headings its blocks hold


def test_record_markdown_keeps_conversions_only_while_a_build_remembers() -> None:
    markdown = RecordMarkdown()
    with markdown.remembering({"*a*": "<p>from the previous build</p>"}):
        assert markdown.block("*a*") == "<p>from the previous build</p>"
        assert markdown.block("*b* <i>") == "<p><em>b</em> &lt;i&gt;</p>"
        assert markdown.made == {"*a*": "<p>from the previous build</p>", "*b* <i>": "<p><em>b</em> &lt;i&gt;</p>"}
    assert markdown.made is None
    assert markdown.block("*a*") == "<p><em>a</em></p>"
