"""End-to-end: the issue's four comparisons give the same verdict and reasons from the real `catalogue
compare` command, from /api/compare on a real `catalogue serve`, and on the site's compare page in
Chromium; the dataset and cross-source pages link to it; bad input is a clear message, never a 500."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import METADATA, ROOT, ServerProcess
from tests.e2e.test_site_browser import Visit, browser  # noqa: F401  (the browser fixture)

pytestmark = [pytest.mark.e2e]

EXAMPLES = {
    "exploitation type 2018 and 2020": (
        "nrm-dtn-quarterly:2018:exploitation-type",
        "nrm-dtn-quarterly:2020:exploitation-type",
        "not comparable",
        ("nrm-dtn-quarterly", "caveats[0]"),
    ),
    "reasonable grounds 2022 and 2023": (
        "nrm-dtn-quarterly:2022:decision",
        "nrm-dtn-quarterly:2023:decision",
        "not comparable",
        ("nrm-dtn-quarterly", "caveats[3]"),
    ),
    "police offences and NRM referrals": (
        "police-recorded-crime-ew:2019",
        "nrm-dtn-annual:2019",
        "not comparable",
        ("police-recorded-crime-ew", "unit_of_measure"),
    ),
    "England and Wales and Scotland": (
        "police-recorded-crime-ew:2016",
        "scotland-trafficking-strategy-reports:2017",
        "not comparable",
        ("scotland-trafficking-strategy-reports", "caveats[1]"),
    ),
    "two quiet quarters": ("nrm-dtn-quarterly:2024-Q1", "nrm-dtn-quarterly:2024-Q3", "comparable", None),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("compare") / "build"
    with ServerProcess("--metadata", str(METADATA), "--out", str(out)) as running:
        yield running


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "catalogue", "compare", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _breaking(result: dict[str, object]) -> set[tuple[str, str]]:
    reasons = result["reasons"]
    assert isinstance(reasons, list)
    return {
        (cite["record"], cite["field"])
        for reason in reasons
        if reason["effect"] == "not comparable"
        for cite in reason["cited"]
    }


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_the_command_and_the_api_agree(server: ServerProcess, name: str) -> None:
    a, b, verdict, breaking = EXAMPLES[name]
    command = _command(a, b, "--format", "json")
    assert command.returncode == 0, command.stderr
    by_command = json.loads(command.stdout)
    response = httpx.get(f"{server.url}/api/compare", params={"a": a, "b": b}, timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-security-policy"]  # served like every other answer
    body = response.json()
    assert body["success"] is True
    assert body["result"] == by_command
    assert by_command["verdict"] == verdict
    if breaking:
        assert breaking in _breaking(by_command)
    text = _command(a, b)
    assert text.returncode == 0
    assert f"Verdict: {verdict}\n" in text.stdout


def test_the_command_explains_a_bad_side() -> None:
    result = _command("nrm-dtn-quartely:2023", "nrm-dtn-annual:2023-Q5:exploitaton-type")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "A: no dataset 'nrm-dtn-quartely'; did you mean 'nrm-dtn-quarterly'?" in result.stderr
    assert "'2023-Q5' is not a period" in result.stderr
    assert "did you mean 'exploitation-type'?" in result.stderr


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 409),
        ("a=nrm-dtn-annual&b=nope", 409),
        ("a=%ff%fe%00&b=%3Cscript%3E", 409),
        ("a=nrm-dtn-annual&b=nrm-dtn-annual&x=" + "y" * 9000, 400),
    ],
)
def test_bad_requests_get_the_envelope_never_a_500(server: ServerProcess, query: str, status: int) -> None:
    response = httpx.get(f"{server.url}/api/compare?{query}", timeout=30)
    assert response.status_code == status
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] in ("Validation Error", "Bad Request")


def test_openapi_documents_the_endpoint(server: ServerProcess) -> None:
    document = httpx.get(f"{server.url}/openapi.json", timeout=30).json()
    assert document["paths"]["/api/compare"]["get"]["operationId"] == "compare"


@pytest.mark.browser
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_the_page_gives_the_same_verdict(browser: Browser, server: ServerProcess, name: str) -> None:  # noqa: F811
    a, b, verdict, breaking = EXAMPLES[name]
    visit = Visit(browser)
    page = visit.open(f"{server.url}/compare/?{urlencode({'a': a, 'b': b})}")
    expect(page.locator("#compare-verdict")).to_have_text(f"Verdict: {verdict}", timeout=15_000)
    assert page.locator("#compare-a-dataset").input_value() == a.split(":")[0]
    assert page.locator("#compare-b-period").input_value() == b.split(":")[1]
    api = httpx.get(f"{server.url}/api/compare", params={"a": a, "b": b}, timeout=30).json()["result"]
    shown = page.locator(".compare-reason-text").all_inner_texts()
    assert shown
    assert sorted(shown) == sorted(reason["text"] for reason in api["reasons"])
    if breaking:
        cited = page.locator("ul[data-effect='not comparable'] .compare-cited").all_inner_texts()
        assert any(breaking[0] in line and breaking[1] in line for line in cited), cited
    assert not visit.errors, visit.errors
    assert not visit.outside_requests()
    visit.close()


@pytest.mark.browser
def test_picking_two_sides_puts_them_in_the_address(browser: Browser, server: ServerProcess) -> None:  # noqa: F811
    visit = Visit(browser)
    page = visit.open(f"{server.url}/compare/")
    page.select_option("#compare-a-dataset", "nrm-dtn-quarterly")
    page.fill("#compare-a-period", "2022")
    page.select_option("#compare-a-breakdown", "decision")
    page.select_option("#compare-b-dataset", "nrm-dtn-quarterly")
    page.fill("#compare-b-period", "2023")
    page.select_option("#compare-b-breakdown", "decision")
    page.click("#compare-submit")
    expect(page.locator("#compare-verdict")).to_have_text("Verdict: not comparable", timeout=15_000)
    assert "a=nrm-dtn-quarterly%3A2022%3Adecision&b=nrm-dtn-quarterly%3A2023%3Adecision" in page.url
    page.fill("#compare-b-period", "2023-13")  # the field's pattern admits it; the server says what is wrong
    page.click("#compare-submit")
    expect(page.locator("#compare-b-problem")).to_contain_text("'2023-13' has no month 13", timeout=15_000)
    expect(page.locator("#compare-verdict")).to_have_count(0)
    assert not visit.errors or all("409" in error for error in visit.errors), visit.errors
    visit.close()


@pytest.mark.browser
def test_hostile_sides_in_the_address_stay_text(browser: Browser, server: ServerProcess) -> None:  # noqa: F811
    hostile = '<img src=x onerror="window.__pwned=1">'
    visit = Visit(browser)
    page = visit.open(f"{server.url}/compare/?{urlencode({'a': hostile, 'b': 'nrm-dtn-annual'})}")
    expect(page.locator("#compare-a-problem")).to_contain_text("no dataset", timeout=15_000)
    assert hostile in page.locator("#compare-a-problem").inner_text()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#compare-result img, #compare-a-problem img").count() == 0
    visit.close()


def test_dataset_and_cross_source_pages_link_to_the_compare_page(server: ServerProcess) -> None:
    page = httpx.get(f"{server.url}/dataset/nrm-dtn-quarterly/", timeout=30).text
    link = "../../compare/?a=nrm-dtn-quarterly:2022:decision&amp;b=nrm-dtn-quarterly:2023:decision"
    assert f'<a href="{link}">compare 2022 with 2023 by decision type and outcome' in page
    assert '<a href="../../compare/?a=nrm-dtn-quarterly&amp;b=police-recorded-crime-ew">' in page
    for path in ("/method-changes/", "/breakdowns/"):
        assert 'href="../compare/"' in httpx.get(f"{server.url}{path}", timeout=30).text, path
    assert httpx.get(f"{server.url}/compare/", timeout=30).status_code == 200
