"""The comparison engine on the shipped records: the issue's four examples and others, golden and checked
reason by reason; sides that name nothing known; every reason cited.

Golden files (tests/golden/compare/*.json) hold the whole answer; the assertions beside them say which
verdict and which reasons each case must give, so a golden rewritten by mistake still fails here.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from catalogue.compare.engine import compare_text
from catalogue.compare.report import to_text
from catalogue.compare.sides import SideErrors, parse_period
from catalogue.records.registry import Registry
from tests.golden import GOLDEN, check_golden

# name: (A, B, verdict, [(effect, record, field)] that must be among the reasons)
CASES = {
    # The first example, one source at two periods: the 2019 change in exploitation-type recording.
    "nrm-referrals-2018-2020-exploitation-type": (
        "nrm-dtn-quarterly:2018:exploitation-type",
        "nrm-dtn-quarterly:2020:exploitation-type",
        "not comparable",
        [
            ("not comparable", "nrm-dtn-quarterly", "caveats[0]"),
            # the record's figures reach back to 2009, but its exploitation-type breakdown only to 2019-04
            ("not known", "nrm-dtn-quarterly", "breakdowns[0]"),
            ("with care", "nrm-dtn-quarterly", "method_changes[1]"),
            ("with care", "nrm-dtn-quarterly", "method_changes[0]"),
        ],
    ),
    # The same across the two series that hold 2018 and 2020.
    "nca-2018-annual-2020-exploitation-type": (
        "nca-nrm-statistics:2018:exploitation-type",
        "nrm-dtn-annual:2020:exploitation-type",
        "not comparable",
        [
            ("not comparable", "nca-nrm-statistics", "caveats[0]"),
            ("with care", "nca-nrm-statistics", "breakdowns[0]"),  # both define the categories, differently
            ("with care", "nca-nrm-statistics", "statistics_status"),
            ("comparable", "nca-nrm-statistics", "unit_of_measure"),
        ],
    ),
    # The second example: positive reasonable-grounds decisions, 2022 and 2023 (the 2023 threshold).
    "reasonable-grounds-2022-2023": (
        "nrm-dtn-quarterly:2022:decision",
        "nrm-dtn-quarterly:2023:decision",
        "not comparable",
        [
            ("not comparable", "nrm-dtn-quarterly", "caveats[3]"),
            ("with care", "nrm-dtn-quarterly", "method_changes[3]"),
            ("with care", "nrm-dtn-quarterly", "method_changes[4]"),
            ("comparable", "nrm-dtn-quarterly", "breakdowns[10]"),  # decisions are published from 2019-04
        ],
    ),
    # The third example: police-recorded modern slavery offences against NRM referrals.
    "police-recorded-crime-nrm-referrals": (
        "police-recorded-crime-ew:2019",
        "nrm-dtn-annual:2019",
        "not comparable",
        [
            ("not comparable", "police-recorded-crime-ew", "unit_of_measure"),
            ("not comparable", "police-recorded-crime-ew", "caveats[1]"),  # Greater Manchester missing
            ("with care", "police-recorded-crime-ew", "spatial"),
            ("not known", "police-recorded-crime-ew", "related"),
        ],
    ),
    # The same against the quarterly series, which the police record names to compare with.
    "police-recorded-crime-nrm-quarterly": (
        "police-recorded-crime-ew",
        "nrm-dtn-quarterly",
        "not comparable",
        [
            ("not comparable", "police-recorded-crime-ew", "unit_of_measure"),
            ("context", "police-recorded-crime-ew", "related[0]"),
            ("with care", "nrm-dtn-quarterly", "method_changes[3]"),
        ],
    ),
    # The fourth example: England and Wales against Scotland, the Scottish offences from 31 May 2016.
    "england-and-wales-scotland": (
        "police-recorded-crime-ew:2016",
        "scotland-trafficking-strategy-reports:2017",
        "not comparable",
        [
            ("not comparable", "scotland-trafficking-strategy-reports", "caveats[1]"),
            ("not comparable", "scotland-trafficking-strategy-reports", "caveats[0]"),
            ("not comparable", "police-recorded-crime-ew", "unit_of_measure"),
            ("with care", "scotland-trafficking-strategy-reports", "method_changes[0]"),
            ("with care", "scotland-trafficking-strategy-reports", "method_changes[1]"),
            ("with care", "police-recorded-crime-ew", "spatial"),
            ("not known", "scotland-trafficking-strategy-reports", "temporal_resolution"),
        ],
    ),
    # Nothing between two quarters of 2024.
    "nrm-quarterly-2024-q1-q3": (
        "nrm-dtn-quarterly:2024-Q1",
        "nrm-dtn-quarterly:2024-Q3",
        "comparable",
        [
            ("comparable", "nrm-dtn-quarterly", "method_changes"),
            ("comparable", "nrm-dtn-quarterly", "temporal_coverage"),
            ("context", "nrm-dtn-quarterly", "caveats[1]"),  # the undercount applies to both alike
        ],
    ),
    # Totals across the NCA and Home Office series: care, not a break.
    "nca-2018-annual-2020-totals": (
        "nca-nrm-statistics:2018",
        "nrm-dtn-annual:2020",
        "comparable with care",
        [
            ("with care", "nrm-dtn-annual", "statistics_status"),
            ("not known", "nca-nrm-statistics", "temporal_resolution"),
            ("not known", "nrm-dtn-annual", "related"),
        ],
    ),
    # A year where the annual series gives only years: a quarter is finer than it publishes.
    "annual-quarter": (
        "nrm-dtn-annual:2023-Q1",
        "nrm-dtn-quarterly:2023-Q1",
        "not comparable",
        [
            ("not comparable", "nrm-dtn-annual", "temporal_resolution"),
            ("context", "nrm-dtn-annual", "related[0]"),
        ],
    ),
}


def _cited(result: dict[str, object]) -> set[tuple[str, str, str]]:
    reasons = result["reasons"]
    assert isinstance(reasons, list)
    return {(reason["effect"], cite["record"], cite["field"]) for reason in reasons for cite in reason["cited"]}


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_comparisons(registry: Registry, name: str) -> None:
    a, b, verdict, expected = CASES[name]
    result = compare_text(registry, a, b).to_dict(registry)
    assert result["verdict"] == verdict
    missing = [reason for reason in expected if reason not in _cited(result)]
    assert not missing, f"{name}: reasons missing: {missing}\n{json.dumps(result['reasons'], indent=1)}"
    check_golden(GOLDEN / "compare" / f"{name}.json", json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def test_the_2023_threshold_is_dated_from_the_record(registry: Registry) -> None:
    result = compare_text(registry, "nrm-dtn-quarterly:2022:decision", "nrm-dtn-quarterly:2023:decision")
    dated = {reason.date for reason in result.reasons if reason.topic == "method-change"}
    assert dated == {"2023-01-30", "2023-07"}
    caveat = next(reason for reason in result.reasons if reason.topic == "caveat" and reason.effect == "not comparable")
    assert caveat.date == "2023-01 to 2023-07"
    assert "none of 2022 and part of 2023" in caveat.text


def test_every_reason_cites_a_record_field_and_real_source_keys(registry: Registry) -> None:
    for a, b, _, _ in CASES.values():
        comparison = compare_text(registry, a, b)
        assert comparison.reasons
        for reason in comparison.reasons:
            assert reason.cited, reason
            for cite in reason.cited:
                dataset = registry.datasets[cite.record]
                root = cite.field.split("[")[0].split(".")[0]
                assert root in type(dataset).model_fields, cite
                assert set(cite.sources) <= set(dataset.sources), cite


def test_a_coverage_gap_points_to_the_series_that_holds_the_period(registry: Registry) -> None:
    # the quarterly record's figures now reach back to 2009 (Table 2), so the gap is made here: the Home
    # Office series as it began in April 2019, with the NCA's series (which it replaces) holding 2017
    quarterly = registry.datasets["nrm-dtn-quarterly"]
    began = quarterly.model_copy(
        update={"temporal_coverage": quarterly.temporal_coverage.model_copy(update={"start": "2019-04"})}
    )
    registry = dataclasses.replace(registry, datasets={**registry.datasets, "nrm-dtn-quarterly": began})
    comparison = compare_text(registry, "nrm-dtn-quarterly:2017", "nrm-dtn-quarterly:2020")
    gap = next(
        reason for reason in comparison.reasons if reason.topic == "coverage" and reason.effect == "not comparable"
    )
    assert "replaces nca-nrm-statistics, which covers 2009-04 to 2019-03" in gap.text


def test_the_text_report_names_the_verdict_reasons_and_sources(registry: Registry) -> None:
    comparison = compare_text(registry, "nrm-dtn-quarterly:2022:decision", "nrm-dtn-quarterly:2023:decision")
    text = to_text(comparison, registry)
    assert "Verdict: not comparable" in text
    assert "from nrm-dtn-quarterly caveats[3] (sources: q1-2023, righttoremain-2023)" in text
    assert "  nrm-dtn-quarterly righttoremain-2023: https://righttoremain.org.uk/" in text


@pytest.mark.parametrize(
    ("a", "b", "problems"),
    [
        (
            "nrm-dtn-quartely",
            "nrm-dtn-annual",
            {"a": "no dataset 'nrm-dtn-quartely'; did you mean 'nrm-dtn-quarterly'?"},
        ),
        (
            "nrm-dtn-annual:2023-Q5",
            "nrm-dtn-annual:2023-13",
            {
                "a": "'2023-Q5' is not a period; expected a year (2023), a quarter (2023-Q1) or a month (2023-04)",
                "b": "'2023-13' has no month 13: months are 01 to 12",
            },
        ),
        ("nrm-dtn-annual::exploitaton-type", "x", {"a": "did you mean 'exploitation-type'?", "b": "no dataset 'x'"}),
        ("nrm-dtn-annual::zzzz", " ", {"a": "expected one of: exploitation-type, ", "b": "a side is empty"}),
        ("a:b:c:d", "nrm-dtn-annual", {"a": "'a:b:c:d' has 3 colons"}),
        ("x" * 201, "nrm-dtn-annual", {"a": "a side is at most 200 characters"}),
    ],
)
def test_sides_that_name_nothing_known_say_what_would_be_valid(
    registry: Registry, a: str, b: str, problems: dict[str, str]
) -> None:
    with pytest.raises(SideErrors) as caught:
        compare_text(registry, a, b)
    assert set(caught.value.problems) == set(problems)
    for name, words in problems.items():
        assert words in caught.value.problems[name]


def test_periods_are_read_as_the_days_they_span() -> None:
    assert (parse_period("2023-Q1").start, parse_period("2023-Q1").end) == ("2023-01-01", "2023-03-31")
    assert (parse_period("2024-02").start, parse_period("2024-02").end) == ("2024-02-01", "2024-02-29")
    assert (parse_period("2019").start, parse_period("2019").end) == ("2019-01-01", "2019-12-31")
    assert parse_period("2023-q4").label == "2023-Q4"
