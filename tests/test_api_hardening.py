"""Regression tests for what a hostile or careless client did to the Action API: each case answered
wrongly before (a 500, a leak of internal error text, a search that matched everything or nothing)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import orjson
import pytest

from catalogue.ckan.api import ActionApi
from catalogue.records.registry import Registry


@pytest.fixture(scope="module")
def api(served_outputs: Path) -> ActionApi:
    """The Action API on the shared build (conftest.served_outputs)."""
    return ActionApi(served_outputs)


def _get(api: ActionApi, action: str, **params: str) -> tuple[int, dict]:
    status, body = api.respond(action, urlencode(params).encode(), b"", "http", b"testserver")
    return status, orjson.loads(body)


def _names(answer: dict) -> set[str]:
    return {package["name"] for package in answer["result"]["results"]}


def test_a_huge_facet_mincount_gives_no_facets_not_internal_text(api: ActionApi) -> None:
    status, answer = _get(api, "package_search", **{"facet.field": '["tags"]', "facet.mincount": "9" * 30})
    assert status == 200
    assert answer["result"]["facets"] == {"tags": {}}


def test_a_date_range_beyond_2262_matches_nothing(api: ActionApi, registry: Registry) -> None:
    status, answer = _get(api, "package_search", q="metadata_modified:[2999-01-01T00:00:00Z TO *]")
    assert (status, answer["result"]["count"]) == (200, 0)
    status, answer = _get(api, "package_search", q="metadata_modified:[* TO 2999-01-01T00:00:00Z]")
    assert (status, answer["result"]["count"]) == (200, len(registry.datasets))


def test_a_boost_ranks_but_does_not_change_what_matches(api: ActionApi) -> None:
    _, plain = _get(api, "package_search", q="title:referral", rows="100")
    _, boosted = _get(api, "package_search", q="title:referral^2", rows="100")
    assert plain["result"]["count"] > 0
    assert _names(boosted) == _names(plain)


def test_the_caveats_json_keys_are_not_searchable_words(api: ActionApi) -> None:
    # Every dataset with a caveat matched `severity` when the caveats' JSON was indexed. Now only the one
    # record whose words stem alike does ("several" and "severity" are both "sever" to the English stemmer).
    _, answer = _get(api, "package_search", q="severity", rows="100")
    assert _names(answer) == {"cps-modern-slavery-data"}
    _, answer = _get(api, "package_search", q="breaks_comparability", rows="100")
    assert answer["result"]["count"] == 0


def test_the_help_link_of_every_answer_answers(api: ActionApi) -> None:
    _, answer = _get(api, "package_search", q="referral")
    help_url = answer["help"]
    assert help_url == "http://testserver/api/3/action/help_show?name=package_search"
    status, helped = _get(api, "help_show", name="package_search")
    assert status == 200
    assert helped["result"].startswith("Search datasets")
    assert ":param q:" in helped["result"]
    status, missing = _get(api, "help_show", name="no_such_action")
    assert status == 404
    assert missing["error"]["__type"] == "Not Found Error"
