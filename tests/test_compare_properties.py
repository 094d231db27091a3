"""Properties of the comparison engine over the shipped records: the verdict (and every reason's effect
and citation) does not depend on which side is A; and a series compared with itself over periods with
no method change and no caveat boundary between them is "comparable".

The second property's periods are worked out here from the raw records (method change dates, caveat
period bounds, temporal resolution and coverage), not by the engine, so that it checks the engine.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.compare.engine import compare
from catalogue.compare.sides import Side, parse_period
from catalogue.records import vocabularies
from catalogue.records.loader import load_registry
from catalogue.records.registry import Registry
from catalogue.records.values import date_bounds
from tests.conftest import METADATA

REGISTRY = load_registry(METADATA)
_PERIODS = st.one_of(
    st.none(),
    st.integers(2008, 2027).map(str),
    st.tuples(st.integers(2008, 2027), st.integers(1, 4)).map(lambda yq: f"{yq[0]}-Q{yq[1]}"),
    st.tuples(st.integers(2008, 2027), st.integers(1, 12)).map(lambda ym: f"{ym[0]}-{ym[1]:02d}"),
)
# Breakdowns the records publish are the interesting ones; any other dimension is drawn too.
_USED = sorted({b.dimension for d in REGISTRY.datasets.values() for b in d.breakdowns})
_BREAKDOWNS = st.one_of(st.none(), st.sampled_from(_USED), st.sampled_from(sorted(vocabularies.DIMENSIONS)))


def _sides(ids: st.SearchStrategy[str]) -> st.SearchStrategy[Side]:
    return st.builds(
        lambda dataset_id, period, breakdown: Side(dataset_id, parse_period(period) if period else None, breakdown),
        ids,
        _PERIODS,
        _BREAKDOWNS,
    )


_SIDES = _sides(st.sampled_from(sorted(REGISTRY.datasets)))


def _shape(registry: Registry, a: Side, b: Side) -> tuple[str, Counter[tuple[str, str, frozenset[tuple[str, str]]]]]:
    comparison = compare(registry, a, b)
    reasons = Counter(
        (reason.effect, reason.topic, frozenset((cite.record, cite.field) for cite in reason.cited))
        for reason in comparison.reasons
    )
    return comparison.verdict, reasons


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=_SIDES, b=_SIDES)
def test_the_verdict_and_its_reasons_do_not_depend_on_the_order(a: Side, b: Side) -> None:
    assert _shape(REGISTRY, a, b) == _shape(REGISTRY, b, a)


@settings(max_examples=150, deadline=None)
@given(a=_sides(st.just("nrm-dtn-quarterly")), b=_SIDES)
def test_the_quarterly_series_is_symmetric_too(a: Side, b: Side) -> None:
    """The record with the most caveats, changes and breakdowns, drawn on one side every time."""
    assert _shape(REGISTRY, a, b) == _shape(REGISTRY, b, a)


def _periods_at_resolution(resolution: str, first: int, last: int) -> list[str]:
    if resolution == "P1Y":
        return [str(year) for year in range(first, last + 1)]
    if resolution == "P3M":
        return [f"{year}-Q{q}" for year in range(first, last + 1) for q in range(1, 5)]
    return []


def _quiet_pairs() -> list[tuple[str, str, str]]:
    """(record, period, period) for every record with a temporal resolution: both periods at that
    resolution, inside its coverage, with no method change dated after the first day and no caveat period
    starting or ending (its day after) between the first day and the last."""
    pairs = []
    for d in REGISTRY.datasets.values():
        if d.temporal_resolution is None or d.temporal_coverage.start is None:
            continue
        lo = date_bounds(d.temporal_coverage.start)[0]
        hi = date_bounds(d.temporal_coverage.end)[1] if d.temporal_coverage.end else "2026-12-31"
        marks = [date_bounds(change.date)[0] for change in d.method_changes] + [
            date_bounds(change.date)[1] for change in d.method_changes
        ]
        for caveat in d.caveats:
            for period in caveat.periods:
                marks += [date_bounds(period.start)[0]] if period.start else []
                marks += [date_bounds(period.end)[1]] if period.end else []
        periods = [
            p
            for p in _periods_at_resolution(d.temporal_resolution, int(lo[:4]), int(hi[:4]))
            if lo <= parse_period(p).start and parse_period(p).end <= hi
        ]
        for one, two in combinations(periods, 2):
            first, last = parse_period(one).start, parse_period(two).end
            if not any(first <= mark <= last for mark in marks):
                pairs.append((d.id, one, two))
    return pairs


QUIET = _quiet_pairs()


def test_there_are_quiet_pairs_to_check() -> None:
    assert len({record for record, _, _ in QUIET}) >= 3, QUIET
    assert ("nrm-dtn-quarterly", "2024-Q1", "2024-Q3") in QUIET


@pytest.mark.parametrize(("record", "one", "two"), QUIET[::7] + QUIET[-3:])
def test_a_series_with_itself_with_nothing_between_is_comparable(record: str, one: str, two: str) -> None:
    comparison = compare(REGISTRY, Side(record, parse_period(one)), Side(record, parse_period(two)))
    assert comparison.verdict == "comparable", [(r.effect, r.text) for r in comparison.reasons]


@pytest.mark.parametrize("record", sorted(d.id for d in REGISTRY.datasets.values() if not d.method_changes))
def test_a_series_without_method_changes_is_comparable_with_itself(record: str) -> None:
    comparison = compare(REGISTRY, Side(record), Side(record))
    assert comparison.verdict == "comparable", [(r.effect, r.text) for r in comparison.reasons]
