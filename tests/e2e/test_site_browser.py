"""The real site from `catalogue serve`, in Debian's Chromium driven by Playwright."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from catalogue.records.loader import load_registry
from catalogue.site.journey import latest_counts
from tests.conftest import METADATA, ServerProcess

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As the machine notes advise: no background networking, so the browser itself makes no outside requests.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def metadata(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped registry plus one record whose text is hostile."""
    metadata = tmp_path_factory.mktemp("site") / "metadata"
    shutil.copytree(METADATA, metadata)
    text = (Path(__file__).parents[1] / "data" / "minimal-dataset.yaml").read_text()
    text = text.replace("id: minimal", "id: hostile")
    text = text.replace("title: A minimal valid record", f"title: 'Hostile {HOSTILE}'")
    text = text.replace("description: Used by the tests only.", f"description: 'Described {HOSTILE}'")
    text = text.replace("    text: Some text.", f"    text: 'Caveat {HOSTILE}'")
    (metadata / "datasets" / "hostile.yaml").write_text(text)
    subprocess.run(
        [sys.executable, "-m", "catalogue", "stamp", "--metadata", str(metadata)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return metadata


@pytest.fixture(scope="module")
def server(metadata: Path) -> Iterator[ServerProcess]:
    with ServerProcess("--metadata", str(metadata), "--out", str(metadata.parent / "build")) as running:
        yield running


class Visit:
    """A page with every console error and every request recorded."""

    def __init__(self, browser: Browser, width: int = 1280, height: int = 800) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def open(self, url: str) -> Page:
        self.page.goto(url, wait_until="networkidle")
        return self.page

    def close(self) -> None:
        self.context.close()

    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(("http://127.0.0.1", "data:", "blob:"))]


PAGES = [
    "/",
    "/finder/",
    "/dataset/nrm-dtn-quarterly/",
    "/dataset/nca-nrm-statistics/",
    "/nrm-journey/",
    "/method-changes/",
    "/breakdowns/",
    "/organization/home-office/",
    "/group/children/",
    "/dataset/",
    "/guides/producers/",
    "/guides/harvesters/",
    "/guides/schema/",
    "/dcat-mapping/",
]


def test_search_for_referral_finds_the_nrm_statistics(browser: Browser, server: ServerProcess) -> None:
    visit = Visit(browser)
    page = visit.open(server.url + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("referral", delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert (
        "National Referral Mechanism and Duty to Notify statistics UK (quarterly)"
        in page.locator(".md-search-result").inner_text()
    )
    visit.close()


def _titles(page: Page) -> list[str]:
    """The finder's result titles (an entry may add a flag after the linked title)."""
    return page.locator("#finder-results li a").all_inner_texts()


def test_finder_filters_narrow_and_survive_a_reload(browser: Browser, server: ServerProcess, metadata: Path) -> None:
    registry = load_registry(metadata)
    datasets = list(registry.datasets.values())
    quarterly_home_office = [d for d in datasets if d.publisher == "home-office" and d.frequency == "quarterly"]
    # the finder's own index, as served, for the words: each must be in an entry's text
    index = {d["id"]: d for d in httpx.get(server.url + "/finder.json").json()["datasets"]}
    with_word = [d.title for d in quarterly_home_office if "undercount" in index[d.id]["text"]]
    assert 1 < len(quarterly_home_office) < len(datasets)
    assert 0 < len(with_word) < len(quarterly_home_office)

    visit = Visit(browser)
    page = visit.open(server.url + "/finder/")
    count = page.locator("#finder-count")
    expect(count).to_have_text(f"{len(datasets)} of {len(datasets)} datasets")
    assert sorted(_titles(page)) == sorted(d.title for d in datasets)
    page.select_option("#finder-publisher", "home-office")
    page.select_option("#finder-frequency", "quarterly")
    expect(count).to_have_text(f"{len(quarterly_home_office)} of {len(datasets)} datasets")
    titles = _titles(page)
    assert sorted(titles) == sorted(d.title for d in quarterly_home_office)
    assert "publisher=home-office" in page.url
    assert "frequency=quarterly" in page.url
    page.reload(wait_until="networkidle")
    assert page.locator("#finder-publisher").input_value() == "home-office"
    expect(count).to_have_text(f"{len(quarterly_home_office)} of {len(datasets)} datasets")
    assert _titles(page) == titles
    page.fill("#finder-q", "undercount")
    expect(count).to_have_text(f"{len(with_word)} of {len(datasets)} datasets")
    assert sorted(_titles(page)) == sorted(with_word)
    assert "Modern Slavery: National Referral Mechanism and Duty to Notify statistics UK (quarterly)" in with_word
    visit.close()


def test_dataset_page_shows_caveats_above_the_fold(browser: Browser, server: ServerProcess) -> None:
    for width, height in [(1280, 800), (390, 844)]:
        visit = Visit(browser, width, height)
        page = visit.open(server.url + "/dataset/nrm-dtn-quarterly/")
        first = page.locator(".md-content .registry-breaks li").first  # each break in one line, before key facts
        assert "Break" in first.inner_text()
        assert "2019" in first.inner_text()
        box = first.bounding_box()
        assert box is not None, width
        assert box["y"] < height, (width, box)
        visit.close()


def test_mermaid_chart_renders_as_svg_with_a_text_alternative(browser: Browser, server: ServerProcess) -> None:
    visit = Visit(browser)
    # material draws the chart in a closed shadow root; open it so the test can look inside
    visit.page.add_init_script(
        "const attach = Element.prototype.attachShadow;"
        "Element.prototype.attachShadow = function (o) { return attach.call(this, "
        "Object.assign({}, o, {mode: 'open'})); };"
    )
    page = visit.open(server.url + "/nrm-journey/")
    chart = page.locator(".mermaid svg").first
    chart.wait_for(timeout=15_000)
    assert "Reasonable-grounds decision" in chart.text_content()
    counts = latest_counts(load_registry(METADATA))
    assert {"referrals", "notifications"} <= set(counts)  # the records hold whole-year counts for both
    for figure in counts.values():  # the published counts are on the chart, from the records
        assert f"{figure.value:,.0f} in {figure.period}" in (chart.text_content() or "")
    assert chart.bounding_box()["height"] > 300  # type: ignore[index]
    assert "text alternative" in page.locator("article").inner_text()
    visit.close()


def test_no_console_errors_no_outside_requests_no_horizontal_scroll(browser: Browser, server: ServerProcess) -> None:
    for width in (1280, 390):
        visit = Visit(browser, width, 844)
        for path in PAGES:
            page = visit.open(server.url + path)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, (path, width, scroll)
        assert visit.errors == []
        assert visit.outside_requests() == []
        visit.close()


def test_keyboard_reaches_the_finder(browser: Browser, server: ServerProcess) -> None:
    visit = Visit(browser)
    page = visit.open(server.url + "/finder/")
    focused = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement && document.activeElement.id"))
    assert "finder-q" in focused
    assert "finder-publisher" in focused
    visit.close()


def test_hostile_record_text_is_inert(browser: Browser, server: ServerProcess) -> None:
    visit = Visit(browser)
    page = visit.open(server.url + "/dataset/hostile/")
    assert "<script>window.__pwned = 1</script>" in page.locator("article").inner_text()
    assert page.evaluate("window.__pwned") is None
    page = visit.open(server.url + "/finder/?words=hostile")
    assert "<script>" in page.locator("#finder-results").inner_text()
    assert page.evaluate("window.__pwned") is None
    page = visit.open(server.url + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("hostile", delay=30)
    # wait until the hostile record's result is drawn (its text shows as text), not for a fixed time
    expect(page.locator(".md-search-result")).to_contain_text("window.__pwned = 1", timeout=15_000)
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".md-search-result img").count() == 0
    visit.close()
