"""How much a first visit costs, measured in Chromium against the real `catalogue serve`: a dataset page under
500 KB transferred (compressed, every request it makes counted), Mermaid only on the page with a diagram, and gzip
on the site and the feeds."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Request

from tests.conftest import ServerProcess
from tests.e2e.test_site_browser import Visit, browser  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
FIRST_LOAD_BUDGET = 500_000  # bytes on the wire: headers and (compressed) bodies
MERMAID = "/javascripts/vendor/mermaid-"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("weight") / "build"
    with ServerProcess("--out", str(out)) as running:
        yield running


def _transferred(requests: list[Request]) -> dict[str, int]:
    """Bytes received for each request: response headers and body as sent (encoded), once it has finished."""
    sizes = {}
    for request in requests:
        response = request.response()
        assert response is not None, request.url
        response.finished()
        size = request.sizes()
        sizes[request.url] = size["responseHeadersSize"] + size["responseBodySize"]
    return sizes


@pytest.mark.parametrize("width", [1280, 390])
def test_dataset_page_first_load_is_under_500_kb(browser: Browser, server: ServerProcess, width: int) -> None:  # noqa: F811
    visit = Visit(browser, width, 844)  # a new context: an empty cache
    finished: list[Request] = []
    visit.page.on("requestfinished", lambda request: finished.append(request))
    visit.open(server.url + "/dataset/nrm-dtn-quarterly/")
    visit.page.wait_for_load_state("networkidle")
    sizes = _transferred(finished)
    total = sum(sizes.values())
    report = sorted(sizes.items(), key=lambda item: -item[1])
    assert total < FIRST_LOAD_BUDGET, (total, report)
    assert not [url for url in sizes if MERMAID in url]
    # what the budget rests on: the page and the theme's script and CSS came compressed
    page = next(r for r in finished if r.url.endswith("/dataset/nrm-dtn-quarterly/"))
    assert page.response().header_value("content-encoding") == "gzip"  # type: ignore[union-attr]
    assert visit.errors == []
    visit.close()


def test_mermaid_loads_only_where_there_is_a_diagram(browser: Browser, server: ServerProcess) -> None:  # noqa: F811
    visit = Visit(browser)
    for path in ("/", "/finder/", "/dataset/nrm-dtn-quarterly/", "/method-changes/", "/no-such-page/"):
        visit.requests.clear()
        visit.open(server.url + path)
        assert [url for url in visit.requests if MERMAID in url] == [], path
    visit.errors.clear()  # the console's line for the 404 page's own status
    visit.requests.clear()
    page = visit.open(server.url + "/nrm-journey/")
    assert [url for url in visit.requests if MERMAID in url]
    page.locator(".mermaid").first.wait_for(timeout=15_000)  # drawn (material replaces the block with its own)
    assert page.evaluate("typeof window.mermaid") == "object"
    assert visit.outside_requests() == []  # the theme did not fall back to a CDN copy
    assert visit.errors == []
    visit.close()


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/", "text/html"),
        ("/dataset/nrm-dtn-quarterly/", "text/html"),
        ("/search/search_index.json", "application/json"),
        ("/catalog.ttl", "text/turtle"),
        ("/catalog", "application/ld+json"),
        ("/dataset/nrm-dtn-quarterly.rdf", "application/rdf+xml"),
        ("/changes.atom", "application/atom+xml"),
        ("/no-such-page/", "text/html"),
    ],
)
def test_site_and_feeds_are_sent_gzipped_to_who_accepts_it(server: ServerProcess, path: str, accept: str) -> None:
    plain = httpx.get(server.url + path, headers={"Accept": accept, "Accept-Encoding": "identity"}, timeout=30)
    zipped = httpx.get(server.url + path, headers={"Accept": accept, "Accept-Encoding": "gzip"}, timeout=30)
    assert plain.status_code == zipped.status_code
    assert "content-encoding" not in plain.headers
    assert zipped.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in zipped.headers["vary"].lower()
    assert zipped.content == plain.content  # httpx decoded it: the same bytes
    assert zipped.num_bytes_downloaded < len(plain.content) / 2  # bytes on the wire
    assert "content-security-policy" in zipped.headers
