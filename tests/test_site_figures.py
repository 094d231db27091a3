"""The published figures as series over time (catalogue/site/figures.py): periods placed on the time axis only
where the record's words allow it, series grouped by unit, label and period length, markers from breaks and
method changes, and nothing invented."""

from __future__ import annotations

import json
import re

import pytest

from catalogue.records.registry import Registry
from catalogue.site.dataset import DatasetPages
from catalogue.site.figures import Span, chart_context, label_pattern, markers, parse_period, series_of


@pytest.mark.parametrize(
    ("text", "first", "months"),
    [
        ("2023 Q4", (2023, 10), 3),
        ("2024", (2024, 1), 12),
        ("2017-18", (2017, 4), 12),
        ("Year ending March 2019", (2018, 4), 12),
        ("April 2015 to March 2016", (2015, 4), 12),
        ("July 2011 to June 2012", (2011, 7), 12),
        ("December 2021", (2021, 12), 1),
    ],
)
def test_periods_records_word_are_placed(text: str, first: tuple[int, int], months: int) -> None:
    assert parse_period(text) == Span(first[0] * 12 + first[1] - 1, months)


@pytest.mark.parametrize(
    "text",
    [
        "2016/17 financial year to date (end date not stated)",
        "April to 18 October 2019 (compared with 33 at the same point in 2018)",
        "2017-19",  # not a financial year
        "March 2016 to April 2015",  # backwards
        "sometime",
    ],
)
def test_periods_that_need_a_guess_are_not_placed(text: str) -> None:
    assert parse_period(text) is None


def test_labels_lose_their_period_words() -> None:
    assert label_pattern("Duty to Notify reports, January to March 2024") == "Duty to Notify reports"
    assert label_pattern("Duty to Notify reports in 2024") == "Duty to Notify reports"
    assert (
        label_pattern("Referrals of potential victims to the NRM, October to December 2023 (as first published)")
        == "Referrals of potential victims to the NRM"
    )
    assert label_pattern("Modern slavery crimes recorded by police, year ending March 2019") == (
        "Modern slavery crimes recorded by police"
    )


def test_nrm_quarterly_series_are_the_records_figures_in_time_order(registry: Registry) -> None:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    series, alone = series_of(dataset)
    by_title = {s.title: s for s in series}
    assert {"Referrals of potential victims to the NRM", "Duty to Notify reports of adult potential victims"} <= set(
        by_title
    )
    assert {
        "Referrals of potential victims who claimed exploitation as adults",
        "Referrals of male potential victims",
    } <= (set(by_title))
    referrals = by_title["Referrals of potential victims to the NRM"]
    periods = [f.period for _, f in referrals.points]
    assert periods[:3] == ["2009 Q2", "2009 Q3", "2009 Q4"]  # where Table 2 of the data tables begins
    assert periods[-3:] == ["2025 Q2", "2025 Q3", "2025 Q4"]
    every_quarter = [f"{year} Q{q}" for year in range(2009, 2026) for q in range(1, 5)][1:]
    assert periods == every_quarter  # one point per quarter, in time order, none missing or doubled
    charted = [f for s in series for _, f in s.points]
    assert sorted(map(id, charted + alone)) == sorted(map(id, dataset.figures))  # each figure shown once
    assert all(s.unit == f.unit for s in series for _, f in s.points)


def test_no_point_is_invented_and_gaps_break_the_line(registry: Registry) -> None:
    """Every point drawn is a figure of the record; a missing quarter is a gap (null), never a value."""
    for dataset in registry.datasets.values():
        values = {(f.period, f.value) for f in dataset.figures}
        for chart in chart_context(dataset)["charts"]:
            points = chart["data"]["points"]
            drawn = [(p["period"], p["y"]) for p in points if p["y"] is not None]
            assert set(drawn) <= values
            assert len(drawn) == len(chart["rows"]) >= 2
    full = registry.datasets["nrm-dtn-quarterly"]
    # the record now has every quarter; take one headline quarter out to see the line break there
    kept = [
        f
        for f in full.figures
        if not (f.period == "2019 Q4" and f.label.startswith("Referrals of potential victims to"))
    ]
    assert len(kept) == len(full.figures) - 1
    points = chart_context(full.model_copy(update={"figures": kept}))["charts"][0]["data"]["points"]
    gaps = [i for i, p in enumerate(points) if p["y"] is None]
    assert [points[i - 1]["period"] for i in gaps] == ["2019 Q3"]


def test_a_single_figure_makes_no_chart(registry: Registry) -> None:
    full = registry.datasets["nca-nrm-statistics"]
    dataset = full.model_copy(update={"figures": full.figures[:1]})  # the record alone has series now
    context = chart_context(dataset)
    assert context["charts"] == []
    assert [f for f, _ in context["other_figures"]] == dataset.figures


def test_markers_are_the_breaks_and_method_changes_with_their_dates(registry: Registry) -> None:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    marks = markers(dataset)
    assert [(m["date"], m["kind"]) for m in marks] == [
        ("2013", "break"),
        ("2019", "break"),
        ("2019", "method"),
        ("2019-04", "method"),
        ("2021-11", "method"),
        ("2023-01", "break"),
        ("2023-01-30", "method"),
        ("2023-07", "method"),
    ]
    assert [m["n"] for m in marks] == list(range(1, 9))
    assert "Quarters before 2014 are less reliable" in marks[0]["text"]
    assert "Reasonable-grounds test changed in 2023" in marks[5]["text"]


def test_the_page_carries_chart_data_table_and_source_links(registry: Registry) -> None:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    body, _ = DatasetPages(registry, built="2026-11-30").render(dataset)
    blocks = re.findall(r'<script type="application/json" id="(chart-\d+)-data">(.*?)</script>', body, re.S)
    assert [name for name, _ in blocks] == [f"chart-{n}" for n in range(1, len(series_of(dataset)[0]) + 1)]
    assert len(blocks) >= 2
    data = json.loads(blocks[0][1])
    assert data["title"] == "Referrals of potential victims to the NRM"
    assert (data["min"], data["max"]) == (2009, 2026)  # every marker and point is on the axis
    assert 'src="../../javascripts/vendor/chart-4.6.1.umd.min.js"' in body
    assert "<script>" not in body  # no inline script: the page's policy forbids it
    for figure in dataset.figures:
        assert f'<a href="{dataset.sources[figure.sources[0]].url}">{figure.table}</a>' in body.replace("&#39;", "'")
    assert body.index('id="figures"') < body.index('id="caveats"')


def test_pages_without_charts_load_no_chart_code(registry: Registry) -> None:
    chartless = next(d for d in registry.datasets.values() if not chart_context(d)["charts"])
    body, _ = DatasetPages(registry, built="2026-11-30").render(chartless)
    assert "chart-4.6.1" not in body
    assert "charts.js" not in body
