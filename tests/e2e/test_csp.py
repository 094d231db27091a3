"""The Content-Security-Policy `catalogue serve` sends, as Chromium enforces it: every page type loads with no
violation, and what runs scripts (the theme, the site search, the finder, Mermaid, the live preview) still works."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import METADATA, ServerProcess
from tests.e2e.test_site_browser import Visit, browser  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

# Every violation the page reports, kept where the test can read it (and Chromium's console line for it).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
"""
OPEN_SHADOW_ROOTS = (
    "const attach = Element.prototype.attachShadow;"
    "Element.prototype.attachShadow = function (o) { return attach.call(this, Object.assign({}, o, {mode: 'open'})); };"
)


class CspVisit(Visit):
    def __init__(self, browser: Browser) -> None:  # noqa: F811
        super().__init__(browser)
        self.page.add_init_script(RECORD_VIOLATIONS)
        self.page.add_init_script(OPEN_SHADOW_ROOTS)

    def violations(self, page: Page) -> list[str]:
        reported: list[str] = page.evaluate("window.__csp")
        return reported + [e for e in self.errors if "Content Security Policy" in e]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("csp") / "build"
    with ServerProcess("--out", str(out)) as running:
        yield running


def test_every_answer_carries_the_policy(server: ServerProcess) -> None:
    for path in ("/", "/dataset/nrm-dtn-quarterly/", "/catalog.ttl", "/api/3/action/package_list", "/nowhere"):
        policy = httpx.get(server.url + path, timeout=30).headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, path
        script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src, path
        assert "'unsafe-eval'" not in policy, path


def _pages(server: ServerProcess) -> list[str]:
    """Every page in the sitemap but all dataset pages after the first two (one template)."""
    sitemap = ET.fromstring(httpx.get(server.url + "/sitemap.xml", timeout=30).content)
    paths = [urlparse(loc.text or "").path for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    datasets = [p for p in paths if p.startswith("/dataset/") and p != "/dataset/"]
    return [p for p in paths if p not in datasets] + datasets[:2] + ["/no-such-page/"]


def test_every_page_loads_with_no_violation(browser: Browser, server: ServerProcess) -> None:  # noqa: F811
    visit = CspVisit(browser)
    found: dict[str, list[str]] = {}
    inline: dict[str, int] = {}
    for path in _pages(server):
        page = visit.open(server.url + path)
        for chart in page.locator(".mermaid").all():
            chart.locator("svg").first.wait_for(timeout=15_000)
        if violations := visit.violations(page):
            found[path] = violations
        visit.errors.clear()
        # no inline script the policy would refuse: the theme's own are files (site/javascripts/theme/)
        count = page.evaluate(
            "[...document.scripts].filter((s) => !s.src && !/^application\\/(ld\\+)?json$/.test(s.type)).length"
        )
        if count:
            inline[path] = count
    visit.close()
    assert found == {}
    assert inline == {}


def test_search_finder_and_mermaid_work_under_the_policy(browser: Browser, server: ServerProcess) -> None:  # noqa: F811
    visit = CspVisit(browser)
    page = visit.open(server.url + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("referral", delay=30)
    expect(page.locator(".md-search-result")).to_contain_text("National Referral Mechanism", timeout=15_000)
    assert visit.violations(page) == []

    page = visit.open(server.url + "/finder/")
    page.fill("#finder-q", "undercount")
    expect(page.locator("#finder-count")).not_to_contain_text("0 of", timeout=10_000)
    assert page.locator("#finder-results li").count() > 0
    assert visit.violations(page) == []

    page = visit.open(server.url + "/nrm-journey/")
    chart = page.locator(".mermaid svg").first
    chart.wait_for(timeout=15_000)
    assert "Reasonable-grounds decision" in (chart.text_content() or "")
    assert visit.violations(page) == []
    visit.close()


def test_live_preview_reloads_under_the_policy(browser: Browser, tmp_path: Path) -> None:  # noqa: F811
    metadata = tmp_path / "metadata"
    shutil.copytree(METADATA, metadata)
    record = metadata / "datasets" / "nrm-dtn-annual.yaml"
    original = record.read_text(encoding="utf-8")
    with ServerProcess("--watch", "--metadata", str(metadata), "--out", str(tmp_path / "out")) as server:
        visit = CspVisit(browser)
        page = visit.open(f"{server.url}/dataset/nrm-dtn-annual/")
        assert "content-security-policy" in httpx.get(f"{server.url}/dataset/nrm-dtn-annual/").headers
        # a broken record: the preview script shows why, in a banner it draws itself
        record.write_text(original.replace("frequency: annual", "frequency: yearly"), encoding="utf-8")
        expect(page.locator("#preview-error")).to_contain_text("is not a known frequency", timeout=120_000)
        # mended: the preview script reloads the page with the new build
        record.write_text(
            original.replace('end of year summary"', 'end of year summary (csp edit)"', 1), encoding="utf-8"
        )
        expect(page.locator("article")).to_contain_text("(csp edit)", timeout=120_000)
        assert visit.violations(page) == []
        visit.close()
