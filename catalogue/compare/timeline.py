"""Dates for the comparison: a side's span, a record's coverage, partial dates and periods as day ranges.

Why: records write partial dates (`2019`, `2023-01`, `2016-05-31`) and open periods (`{end: 2019}`); to say
whether a change lies between two periods, or a caveat covers one of them, each is read as the first and
last day it may mean. A date given only as a year may fall anywhere in it: rules.py says "not known"
where that matters rather than picking a day.
"""

from __future__ import annotations

from catalogue.compare.sides import Side, Span
from catalogue.records.model import Dataset, Period
from catalogue.records.values import date_bounds

EARLIEST = "0001-01-01"
LATEST = "9999-12-31"
_RESOLUTION_MONTHS = {"P1D": 0, "P1M": 1, "P3M": 3, "P1Y": 12, "P2Y": 24}
_RESOLUTION_NAMES = {"P1D": "days", "P1M": "months", "P3M": "quarters", "P1Y": "years", "P2Y": "two-year periods"}


def coverage_text(dataset: Dataset) -> str:
    cov = dataset.temporal_coverage
    if cov.start and cov.end:
        return f"{cov.start} to {cov.end}"
    if cov.start:
        return f"{cov.start} onwards"
    return f"start not recorded, to {cov.end}" if cov.end else "start not recorded"


def coverage(dataset: Dataset) -> tuple[str, str]:
    """The first and last day the record's figures may cover (open ends reach as far as dates go)."""
    cov = dataset.temporal_coverage
    return (date_bounds(cov.start)[0] if cov.start else EARLIEST, date_bounds(cov.end)[1] if cov.end else LATEST)


def span_of(side: Side, dataset: Dataset) -> Span:
    """The side's period, or the record's whole coverage when the side names none."""
    if side.period is not None:
        return side.period
    start, end = coverage(dataset)
    return Span(start, end, f"its whole coverage ({coverage_text(dataset)})")


def period_bounds(period: Period) -> tuple[str, str]:
    return (
        date_bounds(period.start)[0] if period.start else EARLIEST,
        date_bounds(period.end)[1] if period.end else LATEST,
    )


def period_words(period: Period) -> str:
    if period.start and period.end:
        return f"{period.start} to {period.end}"
    if period.start:
        return f"from {period.start}"
    return f"up to {period.end}" if period.end else "all periods"


def months(span: Span) -> int | None:
    """How many months a named period spans (12, 3 or 1); None for a whole coverage."""
    if "-Q" in span.label:
        return 3
    if len(span.label) == 4:
        return 12
    if len(span.label) == 7:
        return 1
    return None


def resolution_months(resolution: str) -> int | None:
    return _RESOLUTION_MONTHS.get(resolution)


def resolution_name(resolution: str) -> str:
    return _RESOLUTION_NAMES.get(resolution, resolution)
