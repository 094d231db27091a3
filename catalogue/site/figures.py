"""A record's published figures as series over time, for the charts on dataset pages (charts.js draws them).

Records give figures one by one (label, value, unit, period as the publisher words it), not as series. A
series here is the figures of one record with the same unit, the same label once the period words are taken
out ("Duty to Notify reports, January to March 2024" and "... October to December 2023" are one series),
and periods of the same length (quarters are not mixed with years). A period this module cannot place on a
time axis (e.g. "2016/17 financial year to date (end date not stated)") is never guessed: the figure stays
in the page's table of figures and out of every chart. Nothing is interpolated; where periods are missing
between two points the line breaks (a `None` value), so no trend is drawn across a gap.

The markers on the time axis are the record's comparability breaks (caveats with `breaks_comparability`,
at each affected period's start, or its end when it has no start) and its method changes, at their dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from catalogue.records import vocabularies
from catalogue.records.model import Dataset, Figure
from catalogue.site.render import figure_value

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = "(" + "|".join(MONTHS) + ")"
_ORDINALS = r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+"
# where the period words of a label begin: a month, a year, a quarter, "year ending", "financial year"
_PERIOD_WORDS = re.compile(
    rf"(,\s*|\s+in\s+|\s+from\s+|\s+)?"
    rf"(\b{_MONTH}\b|\b\d{{4}}\b|\bQ[1-4]\b|\bquarter\b|\byear ending\b|\bfinancial year\b)",
    re.I,
)
MIN_POINTS = 2  # a single figure is a table row, not a chart


@dataclass(frozen=True)
class Span:
    """A period as months counted from year 0 (January 2024 is 2024 * 12): first month and month count."""

    first: int
    months: int

    @property
    def middle(self) -> float:
        """Where the period sits on the time axis, in years (its middle)."""
        return (self.first + self.months / 2) / 12


def parse_period(text: str) -> Span | None:
    """The span of a figure's period as records word it, or None when it cannot be placed without guessing."""
    t = " ".join(text.split()).lower()
    if m := re.fullmatch(r"(\d{4}) q([1-4])", t):
        return Span(int(m[1]) * 12 + (int(m[2]) - 1) * 3, 3)
    if m := re.fullmatch(r"\d{4}", t):
        return Span(int(t) * 12, 12)
    if m := re.fullmatch(r"(\d{4})[-/](\d{2})", t):  # a financial year, 2017-18: April to March
        if (int(m[1]) + 1) % 100 == int(m[2]):
            return Span(int(m[1]) * 12 + 3, 12)
        return None
    if m := re.fullmatch(rf"year ending {_MONTH} (\d{{4}})", t):
        last = int(m[2]) * 12 + MONTHS.index(m[1])
        return Span(last - 11, 12)
    if m := re.fullmatch(rf"{_MONTH} (\d{{4}}) to {_MONTH} (\d{{4}})", t):
        first, last = int(m[2]) * 12 + MONTHS.index(m[1]), int(m[4]) * 12 + MONTHS.index(m[3])
        return Span(first, last - first + 1) if last >= first else None
    if m := re.fullmatch(rf"{_MONTH} (\d{{4}})", t):
        return Span(int(m[2]) * 12 + MONTHS.index(m[1]), 1)
    return None


def label_pattern(label: str) -> str:
    """A figure's label without its period words or notes: what the figures of one series share."""
    text = re.sub(r"\([^)]*\)", "", label)
    text = re.sub(_ORDINALS, "", text, flags=re.I)
    match = _PERIOD_WORDS.search(text)
    if match:
        text = text[: match.start()]
    return " ".join(text.split()).strip(" ,;:-")


def date_position(date: str) -> float:
    """A record's partial date (YYYY, YYYY-MM or YYYY-MM-DD) on the time axis, in years."""
    parts = [int(p) for p in date.split("-")]
    year, month, day = parts[0], (parts[1] if len(parts) > 1 else 1), (parts[2] if len(parts) > 2 else 1)
    return year + (month - 1 + (day - 1) / 31) / 12


@dataclass
class Series:
    """The figures of one series, in time order, with what a chart and its table need."""

    title: str
    unit: str
    months: int
    points: list[tuple[Span, Figure]] = field(default_factory=list)

    def chart_data(self, dataset: Dataset, markers: list[dict[str, Any]]) -> dict[str, Any]:
        """The JSON charts.js draws: points (with a gap wherever periods are missing), markers, axis range."""
        values: list[dict[str, Any]] = []
        previous: Span | None = None
        for span, figure in self.points:
            if previous is not None and span.first > previous.first + previous.months:
                values.append({"x": round((previous.middle + span.middle) / 2, 4), "y": None})
            values.append(
                {
                    "x": round(span.middle, 4),
                    "y": figure.value,
                    "period": figure.period,
                    "shown": figure_value(figure.value),
                    "table": figure.table,
                    "url": source_url(dataset, figure),
                }
            )
            previous = span
        xs = [v["x"] for v in values] + [m["x"] for m in markers]
        return {
            "title": self.title,
            "unit": vocabularies.label_of(vocabularies.UNITS, self.unit),
            "points": values,
            "markers": markers,
            "min": int(min(xs)),
            "max": int(max(xs)) + 1,
        }


def source_url(dataset: Dataset, figure: Figure) -> str:
    """Where the figure's table can be read: its first source's address."""
    return dataset.sources[figure.sources[0]].url if figure.sources else dataset.landing_page


def markers(dataset: Dataset) -> list[dict[str, Any]]:
    """The comparability breaks and method changes of a record, dated, oldest first, numbered from 1."""
    found: list[tuple[str, str, str]] = []
    for caveat in dataset.caveats:
        if not caveat.breaks_comparability:
            continue
        for period in caveat.periods:
            date = period.start or period.end
            if date:
                found.append((date, "break", f"Comparability break: {caveat.title}"))
    for change in dataset.method_changes:
        found.append((change.date, "method", f"Method change: {change.title}"))
    found.sort(key=lambda item: date_position(item[0]))
    return [
        {"n": n, "x": round(date_position(date), 4), "date": date, "kind": kind, "text": text}
        for n, (date, kind, text) in enumerate(found, start=1)
    ]


def series_of(dataset: Dataset) -> tuple[list[Series], list[Figure]]:
    """The record's series with at least two points, and the figures in no such series (their table)."""
    groups: dict[tuple[str, str, int], Series] = {}
    alone: list[Figure] = []
    for figure in dataset.figures:
        span = parse_period(figure.period)
        pattern = label_pattern(figure.label)
        if span is None or not pattern:
            alone.append(figure)
            continue
        key = (figure.unit, pattern.lower(), span.months)
        groups.setdefault(key, Series(pattern, figure.unit, span.months)).points.append((span, figure))
    charted = []
    for series in groups.values():
        series.points.sort(key=lambda point: point[0].first)
        firsts = [span.first for span, _ in series.points]
        if len(series.points) >= MIN_POINTS and len(set(firsts)) == len(firsts):
            charted.append(series)
        else:  # one point, or two figures for one period (two editions): a table says it better
            alone.extend(figure for _, figure in series.points)
    order = {id(f): i for i, f in enumerate(dataset.figures)}
    alone.sort(key=lambda f: order[id(f)])
    return charted, alone


def chart_context(dataset: Dataset) -> dict[str, Any]:
    """What the dataset page's figures section shows: each chart's data, table rows and markers; the rest."""
    series, alone = series_of(dataset)
    marks = markers(dataset)
    charts = []
    for n, s in enumerate(series, start=1):
        charts.append(
            {
                "id": f"chart-{n}",
                "series": s,
                "data": s.chart_data(dataset, marks),
                "first": s.points[0][1].period,
                "last": s.points[-1][1].period,
                "rows": [(figure, source_url(dataset, figure)) for _, figure in s.points],
            }
        )
    return {
        "charts": charts,
        "markers": marks,
        "other_figures": [(figure, source_url(dataset, figure)) for figure in alone],
    }
