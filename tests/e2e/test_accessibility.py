"""WCAG 2.2 AA in Chromium: axe-core (vendored, tests/vendor/axe-core-4.14.1, MPL-2.0) on every page type at a laptop's
and a phone's width, the keyboard on the phone menu and the finder, visible focus, and the site's chrome (the footer's
facts, the accessibility statement, a 404 page that helps, a navigation without twice-named entries).

axe is injected into each page by the test only; the site never serves it. The served pages carry a
Content-Security-Policy that refuses inline scripts, so the test's browser context bypasses it (bypass_csp) to add
axe as a script element; test_csp.py checks the policy itself.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from catalogue.records import vocabularies
from catalogue.records.loader import load_registry
from tests.conftest import METADATA, ServerProcess
from tests.e2e.test_site_browser import browser  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
AXE = (Path(__file__).parents[1] / "vendor" / "axe-core-4.14.1" / "axe.min.js").read_text(encoding="utf-8")
# axe's tags for the success criteria of WCAG 2.0, 2.1 and 2.2 at levels A and AA (2.2 added no level-A rule)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = [(1280, 800), (390, 844)]
# material draws a Mermaid diagram in a closed shadow root, where axe cannot look; open it
OPEN_SHADOW_ROOTS = (
    "const attach = Element.prototype.attachShadow;"
    "Element.prototype.attachShadow = function (o) { return attach.call(this, Object.assign({}, o, {mode: 'open'})); };"
)
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + (n.failureSummary || '').split('\\n')[1]),
  }));
}"""
FINDER_WITH_FILTERS = "/finder/?publisher=home-office&frequency=quarterly&words=undercount"
# a dataset page with download buttons (its record has distributions with a download_url)
WITH_DOWNLOADS = "/dataset/nrm-dtn-quarterly/"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("a11y") / "build"
    with ServerProcess("--out", str(out)) as running:
        yield running


def page_types(server: ServerProcess) -> list[str]:
    """Every page of the sitemap but, of the pages made from one template, the first two (datasets, and one with
    download buttons) or the first (publishers, themes); the finder with filters applied; a missing page (the 404)."""
    sitemap = ET.fromstring(httpx.get(server.url + "/sitemap.xml", timeout=30).content)
    paths = [urlparse(loc.text or "").path for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    datasets = [p for p in paths if re.fullmatch(r"/dataset/[^/]+/", p)]
    publishers = [p for p in paths if re.fullmatch(r"/organization/[^/]+/", p)]
    themes = [p for p in paths if re.fullmatch(r"/group/[^/]+/", p)]
    one_template = set(datasets + publishers + themes)
    others = [p for p in paths if p not in one_template]
    with_downloads = [WITH_DOWNLOADS] if WITH_DOWNLOADS not in datasets[:2] else []
    return [
        *others,
        *datasets[:2],
        *with_downloads,
        *publishers[:1],
        *themes[:1],
        FINDER_WITH_FILTERS,
        "/no-such-page/",
    ]


class AxeVisit:
    """A browser context at one width that may add scripts to pages (the site's policy refuses inline ones)."""

    def __init__(self, browser: Browser, width: int, height: int) -> None:  # noqa: F811
        self.width = width
        self.context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        self.context.add_init_script(OPEN_SHADOW_ROOTS)
        self.page: Page = self.context.new_page()

    def open(self, url: str) -> Page:
        self.page.goto(url, wait_until="networkidle")
        for chart in self.page.locator(".mermaid").all():
            chart.locator("svg").first.wait_for(timeout=15_000)
        self.settle()
        return self.page

    def settle(self) -> None:
        """Wait for running transitions (the search dialog fades in): axe measures colours as they are drawn."""
        self.page.evaluate("() => Promise.all(document.getAnimations().map((a) => a.finished))")

    def violations(self) -> list[dict[str, Any]]:
        if not self.page.evaluate("typeof window.axe === 'object'"):
            self.page.add_script_tag(content=AXE)
        found: list[dict[str, Any]] = self.page.evaluate(RUN_AXE, WCAG_TAGS)
        return found

    def open_search(self, words: str) -> Page:
        """Open the site search (the header's button on a phone, the box itself on a laptop) and type `words`."""
        page = self.page
        if self.width < 960:
            page.locator("label.md-header__button[for='__search']").click()
        else:
            page.locator("input.md-search__input").click()
        page.locator("input.md-search__input").press_sequentially(words, delay=30)
        page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
        self.settle()
        return page

    def close(self) -> None:
        self.context.close()


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_axe_finds_no_violation_on_any_page_type(
    browser: Browser,  # noqa: F811
    server: ServerProcess,
    width: int,
    height: int,
) -> None:
    pages = page_types(server)
    for expected in (FINDER_WITH_FILTERS, "/glossary/", "/data-gaps/", "/accessibility/", "/no-such-page/"):
        assert expected in pages
    assert sum(p.startswith("/asks/") for p in pages) >= 10, pages  # every ask's page
    visit = AxeVisit(browser, width, height)
    found: dict[str, list[dict[str, Any]]] = {}
    for path in pages:
        visit.open(server.url + path)
        if path == FINDER_WITH_FILTERS:  # the filters took: fewer results than datasets
            expect(visit.page.locator("#finder-count")).not_to_have_text(re.compile(r"^(\d+) of \1 "))
        if path == WITH_DOWNLOADS:  # the buttons are there to be checked
            expect(visit.page.locator(".registry-downloads a.md-button").first).to_be_visible()
        if violations := visit.violations():
            found[path] = violations
    visit.close()
    assert found == {}


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_axe_finds_no_violation_with_search_results_open(
    browser: Browser,  # noqa: F811
    server: ServerProcess,
    width: int,
    height: int,
) -> None:
    visit = AxeVisit(browser, width, height)
    visit.open(server.url + "/")
    page = visit.open_search("referral")
    assert page.locator(".md-search-result__item").count() > 0
    assert page.locator(".md-search[role='dialog']").get_attribute("aria-label")  # the dialog has a name
    assert visit.violations() == []
    visit.close()


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {
    tag: el.tagName, text: (el.getAttribute('aria-label') || el.textContent || el.id || '').trim().slice(0, 40),
    id: el.id, outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
    inMenu: !!el.closest('.md-sidebar--primary'),
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth,
  };
}"""


def _tab_stops(page: Page, presses: int) -> list[dict[str, Any]]:
    stops = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        if (stop := page.evaluate(FOCUSED)) is not None:
            stops.append(stop)
    return stops


def test_phone_menu_takes_no_tab_stop_until_opened_by_keyboard(browser: Browser, server: ServerProcess) -> None:  # noqa: F811
    visit = AxeVisit(browser, 390, 844)
    page = visit.open(server.url + "/dataset/nrm-dtn-quarterly/")
    stops = _tab_stops(page, 40)
    assert stops, "nothing took the focus"
    assert [s for s in stops if s["inMenu"]] == []
    assert [s for s in stops if not s["onScreen"]] == []
    # the menu button is a Tab stop; Enter opens the menu, whose links then take the focus
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".md-header label[for='__drawer']").focus()
    assert page.evaluate(FOCUSED)["text"] == "Menu"
    page.keyboard.press("Enter")
    expect(page.locator(".md-header label[for='__drawer']")).to_have_attribute("aria-expanded", "true")
    opened = _tab_stops(page, 15)
    assert any(s["inMenu"] and s["onScreen"] for s in opened), opened
    visit.close()


@pytest.mark.parametrize("path", ["/finder/", "/dataset/nrm-dtn-quarterly/", "/no-such-page/"])
def test_every_tab_stop_shows_a_focus_outline(browser: Browser, server: ServerProcess, path: str) -> None:  # noqa: F811
    visit = AxeVisit(browser, 1280, 800)
    page = visit.open(server.url + path)
    stops = _tab_stops(page, 60)
    assert len(stops) > 10
    if path == "/finder/":
        assert "finder-q" in [s["id"] for s in stops]  # the words box, whose focus the theme did not show
    assert [s for s in stops if s["outline"] < 2] == []
    visit.close()


def test_footer_states_the_licence_build_date_and_contact_from_the_catalogue_record(
    browser: Browser,  # noqa: F811
    server: ServerProcess,
) -> None:
    catalogue = load_registry(METADATA, check_stamps=False).catalogue
    licence = vocabularies.LICENCES[catalogue.licence]
    contact = f"mailto:{catalogue.contact.email}" if catalogue.contact.email else catalogue.contact.url
    today = date.today()  # SiteBuild.built's clock
    visit = AxeVisit(browser, 1280, 800)
    for path in ("/", "/dataset/nrm-dtn-quarterly/", "/no-such-page/"):
        footer = visit.open(server.url + path).locator("footer .md-copyright")
        text = footer.inner_text()
        assert licence.label in text, path
        assert footer.get_by_role("link", name=licence.label).get_attribute("href") == licence.uri
        built = footer.locator("time").first.get_attribute("datetime")
        assert built in {today.isoformat(), (today - timedelta(days=1)).isoformat()}, (path, built)  # near midnight
        assert footer.get_by_role("link", name=catalogue.contact.name).get_attribute("href") == contact
        footer.get_by_role("link", name="Accessibility statement").click()
        expect(visit.page.locator("h1")).to_contain_text(f"Accessibility statement for the {catalogue.title}")
    statement = visit.page.locator("article").inner_text()
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "Preparation of this accessibility statement",
    ):
        assert heading in statement
    assert "prepared on 30 November 2026" in statement
    visit.close()


def test_missing_page_answers_404_with_ways_on(browser: Browser, server: ServerProcess) -> None:  # noqa: F811
    answer = httpx.get(server.url + "/dataset/no-such-thing/deeper/", timeout=30)
    assert answer.status_code == 404
    assert "Page not found" in answer.text
    visit = AxeVisit(browser, 390, 844)
    page = visit.open(server.url + "/dataset/no-such-thing/deeper/")
    assert page.get_by_role("link", name="The finder").get_attribute("href") == "/finder/"
    assert page.get_by_role("link", name="The home page").get_attribute("href") == "/"
    page.get_by_role("searchbox", name="Search this site").fill("referral")
    page.get_by_role("search", name="Search this site").get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/\?q=referral$"))
    expect(page.locator(".md-search-result")).to_contain_text("National Referral Mechanism", timeout=15_000)
    visit.close()


def test_navigation_names_each_entry_once(browser: Browser, server: ServerProcess) -> None:  # noqa: F811
    visit = AxeVisit(browser, 1280, 800)
    page = visit.open(server.url + "/")
    names = [n.strip() for n in page.locator("nav.md-nav--primary a.md-nav__link").all_inner_texts()]
    assert len(names) > 20
    assert sorted({n for n in names if names.count(n) > 1}) == []
    visit.close()
