"""One side of a comparison, `ID[:PERIOD[:BREAKDOWN]]`, read from what a person typed or a URL carried.

Why its own module: the command, the API and the site's page all take sides as text, and a mistyped
id, period or breakdown must get the same plain message everywhere (with "did you mean"), never a
traceback. The text is untrusted: it is length-capped, and nothing but known ids, dates and
vocabulary slugs gets through.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from catalogue.records import vocabularies
from catalogue.records.registry import Registry
from catalogue.records.suggest import closest, what_is_valid

MAX_SIDE = 200  # characters: an id is at most 100, a period 7, a breakdown under 30
SIDE_FORM = "ID[:PERIOD[:BREAKDOWN]]"
PERIOD_FORMS = "a year (2023), a quarter (2023-Q1) or a month (2023-04)"
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class SideError(ValueError):
    """A side that names no record, period or breakdown the registry knows; the message says what would."""


class SideErrors(ValueError):
    """Every side that could not be read, by its name (`a`, `b`), each with its SideError message."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Span:
    """A period as the first and last day it covers (ISO dates, so they order as strings), and its name."""

    start: str
    end: str
    label: str

    def overlaps(self, start: str, end: str) -> bool:
        return self.start <= end and start <= self.end

    def within(self, start: str, end: str) -> bool:
        return start <= self.start and self.end <= end


@dataclass(frozen=True)
class Side:
    """A record, optionally one period of it and one breakdown dimension."""

    dataset_id: str
    period: Span | None = None
    breakdown: str | None = None

    @property
    def text(self) -> str:
        """The side written back as `ID[:PERIOD[:BREAKDOWN]]` (the form the page's URL keeps)."""
        parts = [self.dataset_id, self.period.label if self.period else "", self.breakdown or ""]
        return ":".join(parts).rstrip(":")


def parse_period(text: str) -> Span:
    """Return the span of a year, quarter or month; SideError for anything else."""
    if match := _YEAR.match(text):
        year = match.group(1)
        return Span(f"{year}-01-01", f"{year}-12-31", year)
    if match := _QUARTER.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        first, last = 3 * quarter - 2, 3 * quarter
        days = calendar.monthrange(year, last)[1]
        return Span(f"{year:04d}-{first:02d}-01", f"{year:04d}-{last:02d}-{days:02d}", f"{year:04d}-Q{quarter}")
    if match := _MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise SideError(f"{text!r} has no month {month:02d}: months are 01 to 12; expected {PERIOD_FORMS}")
        days = calendar.monthrange(year, month)[1]
        return Span(f"{text}-01", f"{text}-{days:02d}", text)
    raise SideError(f"{text!r} is not a period; expected {PERIOD_FORMS}")


def parse_side(text: str, registry: Registry) -> Side:
    """Return the side `text` names in `registry`, or raise SideError saying what is wrong and what is valid."""
    if len(text) > MAX_SIDE:
        raise SideError(f"a side is at most {MAX_SIDE} characters ({SIDE_FORM}); this one has {len(text)}")
    text = text.strip()
    if not text:
        raise SideError(f"a side is empty; expected {SIDE_FORM}, e.g. nrm-dtn-quarterly:2023-Q1:decision")
    parts = text.split(":")
    if len(parts) > 3:
        raise SideError(f"{text!r} has {len(parts) - 1} colons; expected {SIDE_FORM}, with at most two")
    dataset_id, period, breakdown = (*parts, "", "")[:3]
    problems = []
    if dataset_id not in registry.datasets:
        where = "in the registry (`catalogue list` shows them)"
        problems.append(f"no dataset {dataset_id!r}; {what_is_valid(dataset_id, list(registry.datasets), where)}")
    span = None
    try:
        span = parse_period(period) if period else None
    except SideError as exc:
        problems.append(str(exc))
    if breakdown and breakdown not in vocabularies.DIMENSIONS:
        problems.append(f"{breakdown!r} is not a breakdown dimension; {_dimension_hint(breakdown)}")
    if problems:
        raise SideError("; ".join(problems))
    return Side(dataset_id, span, breakdown or None)


def _dimension_hint(value: str) -> str:
    """The closest dimension, or all of them (they are few and short enough to list)."""
    suggestion = closest(value, list(vocabularies.DIMENSIONS))
    return f"did you mean {suggestion!r}?" if suggestion else f"expected one of: {', '.join(vocabularies.DIMENSIONS)}"


def parse_sides(texts: dict[str, str], registry: Registry) -> dict[str, Side]:
    """Read every side of `texts` (by name); SideErrors with every problem at once if any is wrong."""
    sides, problems = {}, {}
    for name, text in texts.items():
        try:
            sides[name] = parse_side(text, registry)
        except SideError as exc:
            problems[name] = str(exc)
    if problems:
        raise SideErrors(problems)
    return sides
