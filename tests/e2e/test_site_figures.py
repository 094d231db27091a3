"""The figures and finding parts of issue 17 on a real `catalogue serve`, in Debian's Chromium via Playwright:
the NRM quarterly chart with its break markers and its table, the source table of a point one click away,
charts readable on a phone, search order for "referral", the finder's sort, schema.org on every dataset page,
the cite box and its files, and the breakdown matrix on a phone."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from catalogue.records.loader import load_registry
from catalogue.records.registry import Registry
from catalogue.site.figures import markers as record_markers
from catalogue.site.figures import series_of
from catalogue.site.render import figure_value
from tests.conftest import METADATA, ServerProcess
from tests.test_site_schema_org import google_dataset_problems

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
QUARTERLY = "/dataset/nrm-dtn-quarterly/"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(METADATA)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("figures") / "build"
    with ServerProcess("--metadata", str(METADATA), "--out", str(out)) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _open(browser: Browser, url: str, width: int = 1280, height: int = 800) -> tuple[Page, list[str], list[str]]:
    """A page at `url`, with its console errors and its requests recorded."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="networkidle")
    return page, errors, requests


def _markers(page: Page, chart: str) -> list[dict[str, object]]:
    canvas = page.locator(f'canvas[data-chart="{chart}-data"]')
    expect(canvas).to_have_attribute("data-markers", re.compile(r"^\[.+\]$"), timeout=15_000)
    return list(json.loads(canvas.get_attribute("data-markers") or "[]"))


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_nrm_quarterly_chart_draws_its_points_and_break_markers(
    browser: Browser, server: ServerProcess, registry: Registry, width: int, height: int
) -> None:
    page, errors, requests = _open(browser, server.url + QUARTERLY, width, height)
    dataset = registry.datasets["nrm-dtn-quarterly"]
    series, _ = series_of(dataset)
    canvas = page.locator('canvas[data-chart="chart-1-data"]')
    expect(canvas).to_have_attribute("data-rendered", str(len(series[0].points)), timeout=15_000)
    markers = _markers(page, "chart-1")
    drawn = {(m["n"], m["kind"]) for m in markers}

    def number(title: str) -> int:
        """The marker number of the caveat titled `title` (numbers follow the dates, so not fixed)."""
        return next(int(m["n"]) for m in record_markers(dataset) if title in m["text"])

    # the early-quarters break, the 2019 exploitation-type break and the 2023 reasonable-grounds break,
    # each on the time axis, in that order
    early = number("Quarters before 2014 are less reliable")
    exploitation = number("Exploitation type is not comparable before 2019")
    grounds = number("Reasonable-grounds test changed in 2023")
    assert {(early, "break"), (exploitation, "break"), (grounds, "break")} <= drawn
    xs = {m["n"]: m["x"] for m in markers}
    assert all(isinstance(xs[n], (int, float)) for n in (early, exploitation, grounds))
    assert xs[early] < xs[exploitation] < xs[grounds]
    # the 2023 break sits on the time axis between the last point before it starts and the first point after
    rg_break = next(c for c in dataset.caveats if c.breaks_comparability and c.periods and c.periods[0].start)
    year, month = str(rg_break.periods[0].start).split("-")[:2]
    after = next(i for i, (span, _) in enumerate(series[0].points) if span.first >= int(year) * 12 + int(month) - 1)
    assert after > 0  # points on both sides, or the placement is not tested
    # each drawn point's period and x (the chart's data also holds a gap, y null, wherever periods are missing)
    drawn_points = dict(
        page.evaluate(
            "() => { const chart = Chart.getChart(document.querySelector('canvas[data-chart=\"chart-1-data\"]'));"
            " const raw = chart.data.datasets[0].data;"
            " return chart.getDatasetMeta(0).data.map((point, i) => [raw[i].period, point.x])"
            ".filter(([period]) => period); }"
        )
    )
    before, first = series[0].points[after - 1][1].period, series[0].points[after][1].period
    assert drawn_points[before] < xs[grounds] <= drawn_points[first], (before, first, drawn_points, xs)
    box = canvas.bounding_box()
    assert box is not None
    assert box["width"] <= width
    assert box["height"] >= 200  # readable on a phone, not a sliver
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width  # the page never scrolls sideways
    assert any(url.endswith("/javascripts/vendor/chart-4.6.1.umd.min.js") for url in requests)
    assert not [url for url in requests if not url.startswith(server.url)]  # served from the build, no CDN
    assert errors == []
    page.context.close()


def test_the_table_beside_the_chart_is_the_records_figures(
    browser: Browser, server: ServerProcess, registry: Registry
) -> None:
    page, _, _ = _open(browser, server.url + QUARTERLY)
    dataset = registry.datasets["nrm-dtn-quarterly"]
    for n, series in enumerate(series_of(dataset)[0], start=1):
        rows = page.locator(f"#chart-{n} table tbody tr")
        cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
        expected = [(f.period, figure_value(f.value)) for _, f in series.points]
        assert [(c[0], c[1]) for c in cells] == expected
        links = [rows.nth(i).locator("a").get_attribute("href") for i in range(rows.count())]
        assert links == [dataset.sources[f.sources[0]].url for _, f in series.points]
    page.context.close()


def test_a_point_opens_its_source_table(browser: Browser, server: ServerProcess, registry: Registry) -> None:
    """One click on a point goes to the source of its figure (answered here by a stand-in: no network)."""
    page, _, _ = _open(browser, server.url + QUARTERLY)
    asked: list[str] = []

    def stand_in(route: Route) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>source</title>")

    page.context.route(re.compile(r"^https://"), stand_in)
    expect(page.locator('canvas[data-chart="chart-1-data"]')).to_have_attribute("data-rendered", re.compile(r"\d"))
    page.locator('canvas[data-chart="chart-1-data"]').evaluate("c => c.scrollIntoView({block: 'center'})")
    point = page.evaluate(
        "() => { const c = document.querySelector('canvas[data-chart=\"chart-1-data\"]');"
        " const p = Chart.getChart(c).getDatasetMeta(0).data[0]; const r = c.getBoundingClientRect();"
        " return [r.left + p.x, r.top + p.y]; }"
    )
    page.mouse.click(point[0], point[1])
    page.wait_for_url(re.compile(r"^https://"), timeout=10_000)
    series, _ = series_of(registry.datasets["nrm-dtn-quarterly"])
    first = series[0].points[0][1]
    assert asked[0].rstrip("/") == registry.datasets["nrm-dtn-quarterly"].sources[first.sources[0]].url.rstrip("/")
    page.context.close()


def test_chart_code_loads_only_where_there_is_a_chart(
    browser: Browser, server: ServerProcess, registry: Registry
) -> None:
    # a record with figures but no series to chart (each figure stands alone, in a table)
    no_chart = min(k for k, d in registry.datasets.items() if d.figures and not series_of(d)[0])
    page, errors, requests = _open(browser, server.url + f"/dataset/{no_chart}/")
    assert page.locator("canvas[data-chart]").count() == 0
    assert not [url for url in requests if "chart" in url.rsplit("/", 1)[-1]]
    assert errors == []
    page.context.close()


def test_search_for_referral_puts_the_nrm_quarterly_statistics_first(browser: Browser, server: ServerProcess) -> None:
    page, _, _ = _open(browser, server.url + "/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("referral", delay=30)
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    page.wait_for_timeout(300)
    links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))")
    paths = [re.sub(r"^https?://[^/]+|\?.*$", "", link) for link in links]
    assert paths[0] == QUARTERLY
    assert "/dataset/nrm-dtn-annual/" in paths[:3]
    page.context.close()


def test_finder_sorts_and_names_the_breaks(browser: Browser, server: ServerProcess, registry: Registry) -> None:
    page, _, _ = _open(browser, server.url + "/finder/")
    titles = page.locator("#finder-results li > a")
    expect(titles.first).to_be_visible(timeout=15_000)
    page.fill("#finder-q", "referral")
    expect(titles.first).to_have_text(registry.datasets["nrm-dtn-quarterly"].title)
    page.fill("#finder-q", "")
    page.select_option("#finder-sort", "title")
    shown = titles.all_inner_texts()
    assert shown == sorted(shown, key=str.casefold) or shown == sorted(d.title for d in registry.datasets.values())
    assert "sort=title" in page.url
    page.select_option("#finder-sort", "latest")
    shown = titles.all_inner_texts()
    by_title = {d.title: d for d in registry.datasets.values()}
    dates = [by_title[t].releases.last_updated or "" for t in shown]
    assert dates == sorted(dates, reverse=True)
    page.reload(wait_until="networkidle")
    assert page.locator("#finder-sort").input_value() == "latest"
    quarterly = page.locator("#finder-results li", has=page.locator(f"a[href$='{QUARTERLY[1:]}']"))
    expect(quarterly.locator(".finder-break")).to_have_text(
        [
            "Comparability break: Exploitation type is not comparable before 2019",
            "Comparability break: Reasonable-grounds test changed in 2023",
            "Comparability break: Quarters before 2014 are less reliable,"
            " and before April 2019 were not the Home Office's",
        ]
    )
    page.context.close()


def test_every_dataset_page_has_valid_schema_org(server: ServerProcess, registry: Registry) -> None:
    for dataset_id in registry.datasets:
        html = httpx.get(f"{server.url}/dataset/{dataset_id}/", timeout=30).text
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert block is not None, dataset_id
        data = json.loads(block.group(1))
        assert google_dataset_problems(data) == [], dataset_id
        assert data["url"].endswith(f"/dataset/{dataset_id}/")


def test_cite_box_and_its_files(browser: Browser, server: ServerProcess) -> None:
    page, _, _ = _open(browser, server.url + QUARTERLY)
    text = page.locator(".registry-cite-text").inner_text()
    bibtex = page.locator(".registry-cite-bibtex").inner_text()
    ris = page.locator(".registry-cite-ris").inner_text()
    assert text.startswith("Home Office (2026). Modern Slavery: National Referral Mechanism")
    assert "[data set]" in text
    assert "(accessed " in text
    bib_file = httpx.get(server.url + QUARTERLY + "cite.bib").text
    ris_file = httpx.get(server.url + QUARTERLY + "cite.ris").text
    assert bib_file.strip() == bibtex.strip()
    assert bibtex.startswith("@misc{NrmDtnQuarterly,")
    assert ris_file.replace("\r\n", "\n").strip() == ris.strip()
    assert ris.splitlines()[0] == "TY  - DATA"
    with page.expect_download() as download:
        page.locator("a[href='cite.bib']").click()
    assert download.value.suggested_filename == "nrm-dtn-quarterly.bib"
    page.context.close()


def test_key_facts_and_downloads_come_early_on_a_phone(browser: Browser, server: ServerProcess) -> None:
    page, _, _ = _open(browser, server.url + QUARTERLY, 390, 844)
    facts = page.locator("#summary").bounding_box()
    downloads = page.locator("#download").bounding_box()  # the Download section (buttons only where files are)
    assert facts is not None
    assert downloads is not None
    assert facts["y"] < 2 * 844  # was 2,868 px down
    assert downloads["y"] < 4 * 844  # was 11,754 px down
    expect(page.locator(".registry-page-toc")).to_be_visible()  # phones get a table of contents
    expect(page.locator("#not-confirmed ~ ul").first).not_to_contain_text("distributions[")
    page.context.close()


def test_breakdown_matrix_keeps_its_names_in_view_on_a_phone(browser: Browser, server: ServerProcess) -> None:
    page, _, _ = _open(browser, server.url + "/breakdowns/", 390, 844)
    region = page.locator(".registry-matrix .md-typeset__scrollwrap")  # the theme's scrolling wrapper
    first = page.locator(".registry-matrix tbody td:first-child").first
    second = page.locator(".registry-matrix tbody td:nth-child(2)").first
    positions = []
    for scroll in (200, 400):
        region.evaluate(f"el => {{ el.scrollLeft = {scroll}; }}")
        name, cell = first.bounding_box(), second.bounding_box()
        assert name is not None
        assert cell is not None
        positions.append((name["x"], cell["x"]))
    # sticky: the source's name stays in view while the cells under it scroll past
    assert abs(positions[0][0] - positions[1][0]) < 1
    assert positions[0][1] - positions[1][1] > 150
    assert region.evaluate("el => el.scrollLeft") > 0
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    page.context.close()


def test_home_page_lists_the_nrm_statistics_first(server: ServerProcess) -> None:
    html = httpx.get(server.url + "/").text
    block = html[html.index('id="series-people-come-for"') :]
    assert re.findall(r'href="dataset/([^/]+)/"', block)[0] == "nrm-dtn-quarterly"
