"""What a record says reaches every output as text: a hostile registry (tests/hostile.py: every text field of
the catalogue, an agent and a dataset holds script, markup, template, CDATA, Mermaid and line-breaking text),
built and served by the real `catalogue serve`, read in Chromium (every page type, the site search, the
finder, Mermaid charts) and by parsers (Atom, iCalendar, JSON-LD, DCAT, the CKAN API)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import httpx
import pytest
import rdflib
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from tests.conftest import METADATA, ServerProcess
from tests.e2e.test_site_browser import Visit, browser  # noqa: F401 (the fixture)
from tests.hostile import HOSTILE_AGENT, HOSTILE_DATASET, PAYLOAD, HostileFields, write_hostile_registry

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

# What a page shows of a hostile text when it is escaped: the markup as text, the template unexpanded.
SHOWN = PAYLOAD.split("[link]")[0].strip()
# The start of it, which a page that let the markup through would show without the rest.
OPENING = "</title><script>window.__pwned=1</script>"

# Run in each page: every element or attribute that hostile text could have made.
INJECTED_JS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) found.push(el.tagName + ' ' + a.name + '=' + a.value);
      if (/^\\s*javascript:/i.test(a.value) && a.value !== 'javascript:void(0)') found.push(el.tagName + ' ' + a.name);
    }
    if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') found.push('img src=x');
    if (el.tagName === 'SCRIPT' && el.type !== 'application/ld+json' && el.textContent.includes('__pwned'))
      found.push('script: ' + el.textContent.slice(0, 80));
  }
  return found;
}"""
JSON_LD_JS = """() => [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => s.textContent)"""
# material draws Mermaid charts in closed shadow roots; open them so the test can look inside
OPEN_SHADOW_ROOTS = (
    "const attach = Element.prototype.attachShadow;"
    "Element.prototype.attachShadow = function (o) { return attach.call(this, Object.assign({}, o, {mode: 'open'})); };"
)


def lines_as_xml_reads_them(text: str) -> str:
    """XML and iCalendar readers give every line break as LF (XML 1.0 2.11; RFC 5545 escapes one as \\n)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, HostileFields]:
    metadata = tmp_path_factory.mktemp("hostile") / "metadata"
    return metadata, write_hostile_registry(METADATA, metadata)


@pytest.fixture(scope="module")
def server(hostile: tuple[Path, HostileFields]) -> Iterator[ServerProcess]:
    metadata = hostile[0]
    with ServerProcess("--metadata", str(metadata), "--out", str(metadata.parent / "build")) as running:
        yield running


@pytest.fixture(scope="module")
def record(server: ServerProcess) -> dict[str, Any]:
    """The hostile dataset as the server has it (registry.json)."""
    found = httpx.get(server.url + "/registry.json", timeout=30).json()["datasets"][HOSTILE_DATASET]
    assert isinstance(found, dict)
    return found


def site_pages(server: ServerProcess, record: dict[str, Any]) -> list[str]:
    """Every page of the sitemap but the dataset pages, then the hostile dataset's page and those of the
    datasets it names as related (which show its relation notes)."""
    sitemap = ET.fromstring(httpx.get(server.url + "/sitemap.xml", timeout=30).content)
    paths = [urlparse(loc.text or "").path for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    pages = [p for p in paths if not p.startswith("/dataset/") or p == "/dataset/"]
    assert f"/dataset/{HOSTILE_DATASET}/" in paths
    assert f"/organization/{HOSTILE_AGENT}/" in pages
    related = sorted({f"/dataset/{other['id']}/" for other in record.get("related", [])})
    assert related, "the hostile record names no related dataset"
    return [*pages, f"/dataset/{HOSTILE_DATASET}/", *related]


def strings(value: Any) -> Iterator[str]:
    """Every string in a parsed JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def injected(page: Page) -> list[str]:
    found: list[str] = page.evaluate(INJECTED_JS)
    if page.evaluate("typeof window.__pwned") != "undefined":
        found.append(f"a script ran: window.__pwned = {page.evaluate('window.__pwned')}")
    return found


def shown_as_text(page: Page, where: str) -> int:
    """How many hostile texts the page shows; each must show whole, as text."""
    text = page.locator("body").inner_text()
    assert text.count(OPENING) == text.count(SHOWN), f"{where}: hostile markup did not show as text"
    return text.count(SHOWN)


def test_every_page_shows_the_hostile_text_as_text(
    browser: Browser,  # noqa: F811
    server: ServerProcess,
    record: dict[str, Any],
) -> None:
    visit = Visit(browser)
    visit.page.add_init_script(OPEN_SHADOW_ROOTS)
    shown: dict[str, int] = {}
    problems: list[str] = []
    for path in site_pages(server, record):
        page = visit.open(server.url + path)
        for chart in page.locator(".mermaid").all():
            chart.locator("svg").first.wait_for(timeout=15_000)
            label = chart.locator("svg").first.text_content() or ""
            # a chart that shows record text shows all of it as a label, with no link or handler made of it
            assert label.count("zq") == label.count(SHOWN), f"{path}: a Mermaid label lost hostile text"
            assert chart.locator("svg a").count() == 0, f"{path}: a Mermaid chart has a link"
        problems += [f"{path}: {what}" for what in injected(page)]
        shown[path] = shown_as_text(page, path)
        for block in page.evaluate(JSON_LD_JS):
            json.loads(block)  # every JSON-LD block parses
        if path == f"/dataset/{HOSTILE_DATASET}/":
            assert OPENING in page.title(), "the <title> does not hold the hostile title as text"
            blocks = [json.loads(block) for block in page.evaluate(JSON_LD_JS)]
            assert any(SHOWN in text for block in blocks for text in strings(block)), "JSON-LD lost the text"
    visit.close()
    assert problems == []
    related = site_pages(server, record)[-1]
    for path in (
        f"/dataset/{HOSTILE_DATASET}/",
        f"/organization/{HOSTILE_AGENT}/",
        "/dataset/",
        "/method-changes/",
        related,
    ):
        assert shown[path] > 0, f"{path} shows none of the hostile record's text"


def test_search_and_finder_show_hostile_text_as_text(
    browser: Browser,  # noqa: F811
    server: ServerProcess,
    hostile: tuple[Path, HostileFields],
) -> None:
    visit = Visit(browser)
    one_line = " ".join(PAYLOAD.split())
    marker = next(m for m, (path, _) in hostile[1].filled.items() if path == "dataset.title")
    # the site search: the title's marker finds the record; the hostile text typed as a query is inert too
    page = visit.open(server.url + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    search = page.locator("input.md-search__input")
    search.press_sequentially(marker, delay=20)
    expect(page.locator(".md-search-result")).to_contain_text(OPENING, timeout=15_000)
    assert injected(page) == []
    search.fill("")
    search.press_sequentially(one_line, delay=5)
    page.wait_for_timeout(1000)
    assert injected(page) == []
    visit.close()

    # the finder: typed, and from the address
    visit = Visit(browser)
    page = visit.open(server.url + "/finder/")
    page.fill("#finder-q", "zq")
    expect(page.locator("#finder-results")).to_contain_text(OPENING)
    assert shown_as_text(page, "finder") > 0
    page.fill("#finder-q", one_line)
    assert injected(page) == []
    page = visit.open(server.url + "/finder/?words=" + quote(one_line))
    assert page.locator("#finder-q").input_value() == one_line
    assert injected(page) == []
    visit.close()


def _hostile_titles(record: dict[str, Any]) -> tuple[str, str]:
    return record["title"], record["summary"]


def test_atom_feed_holds_the_text_as_text(server: ServerProcess, record: dict[str, Any]) -> None:
    title, summary = _hostile_titles(record)
    feed = ET.fromstring(httpx.get(server.url + "/changes.atom", timeout=30).content)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    assert lines_as_xml_reads_them(f"Added: {title}") in titles
    summaries = [entry.findtext(f"{atom}summary") for entry in feed.iter(f"{atom}entry")]
    assert " ".join(summary.split()) in summaries


def test_release_calendar_holds_the_text_as_text(server: ServerProcess, record: dict[str, Any]) -> None:
    title, summary = _hostile_titles(record)
    calendar = Calendar.from_ical(httpx.get(server.url + "/releases.ics", timeout=30).content)
    events = {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    event = next(e for uid, e in events.items() if uid.startswith(f"{HOSTILE_DATASET}-"))
    assert str(event["summary"]) == lines_as_xml_reads_them(f"Release: {title}")
    assert str(event["description"]) == lines_as_xml_reads_them(summary)


def test_dcat_and_the_api_hold_every_field_as_text(
    server: ServerProcess, hostile: tuple[Path, HostileFields], record: dict[str, Any]
) -> None:
    """Every text field of the hostile dataset comes back whole from its DCAT (Turtle, JSON-LD, RDF/XML)."""
    fields = hostile[1]
    texts = {value for path, value in fields.filled.values() if path.startswith("dataset.")}
    for extension, rdf_format, as_read in (
        ("ttl", "turtle", str),
        ("jsonld", "json-ld", str),
        ("rdf", "xml", lines_as_xml_reads_them),
    ):
        answer = httpx.get(f"{server.url}/dataset/{HOSTILE_DATASET}.{extension}", timeout=30)
        graph = rdflib.Graph().parse(data=answer.text, format=rdf_format)
        terms = {str(o) for o in graph.objects() if isinstance(o, rdflib.Literal | rdflib.URIRef)}
        # a text is a literal; a web or email address is (inside) an IRI
        holds = {as_read(text) for text in texts if any(as_read(text) in term for term in terms)}
        missing = sorted(
            path for path, value in fields.filled.values() if value in texts and as_read(value) not in holds
        )
        assert missing == [], f"{extension}: {missing[:5]}"
    package = httpx.get(f"{server.url}/api/3/action/package_show", params={"id": HOSTILE_DATASET}, timeout=30).json()
    assert package["result"]["title"] == record["title"]


def test_the_generator_fills_text_fields_of_every_kind(hostile: tuple[Path, HostileFields]) -> None:
    """The generator covers the model: a field of every kind of text the record has is filled."""
    paths = {
        re.sub(r"\.(\d+|[a-z0-9-]+(?=\.(title|url|note|publisher)$))", "", p) for p, _ in hostile[1].filled.values()
    }
    expected = ["dataset.title", "dataset.summary", "dataset.caveats.text", "dataset.sources.title"]
    for expected_path in [*expected, "agent.name", "catalogue.title", "catalogue.themes.label"]:
        assert expected_path in paths
