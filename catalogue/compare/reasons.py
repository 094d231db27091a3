"""What a reason is: its effect on the verdict, what it says, and where each fact comes from.

Why a module of its own: a verdict is only as good as the reasons it can show, and every reason must be
traceable to a record, a field path in it and the sources that field cites (so a reader can check it).
The rules (rules.py) make reasons; the engine (engine.py) turns them into a verdict; report.py prints them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalogue.records.model import Dataset

# The effects a reason can have, strongest first. The verdict is "not comparable" if any reason breaks
# comparability, "comparable with care" if any asks for care or says a fact is not known, else "comparable".
BREAKS = "not comparable"
CARE = "with care"
NOT_KNOWN = "not known"
FINE = "comparable"
CONTEXT = "context"  # shown and cited, but it changes nothing: it applies to both sides alike, or is prose
EFFECTS = (BREAKS, CARE, NOT_KNOWN, FINE, CONTEXT)

COMPARABLE = "comparable"
WITH_CARE = "comparable with care"
NOT_COMPARABLE = "not comparable"
VERDICTS = (COMPARABLE, WITH_CARE, NOT_COMPARABLE)


@dataclass(frozen=True)
class Cited:
    """A record, the field of it a reason rests on (`caveats[3]`, `unit_of_measure`), and its source keys."""

    record: str
    field: str
    sources: tuple[str, ...] = ()

    def to_dict(self, dataset: Dataset) -> dict[str, Any]:
        return {
            "record": self.record,
            "field": self.field,
            "sources": [
                {"key": key, "title": dataset.sources[key].title, "url": dataset.sources[key].url}
                for key in self.sources
                if key in dataset.sources
            ],
        }


@dataclass(frozen=True)
class Reason:
    """One reason: its effect, its topic (`caveat`, `method-change`, `unit` ...), the words, when, and citations."""

    effect: str
    topic: str
    text: str
    cited: tuple[Cited, ...]
    date: str | None = None

    def __post_init__(self) -> None:
        if self.effect not in EFFECTS:
            raise ValueError(f"unknown effect {self.effect!r}")
        if not self.cited:
            raise ValueError(f"a reason without a citation: {self.text!r}")


def verdict_of(reasons: list[Reason]) -> str:
    """The verdict the reasons give; ValueError if none would justify one (no verdict without a reason)."""
    effects = {reason.effect for reason in reasons}
    if BREAKS in effects:
        return NOT_COMPARABLE
    if effects & {CARE, NOT_KNOWN}:
        return WITH_CARE
    if FINE in effects:
        return COMPARABLE
    raise ValueError("no reason supports a verdict")


def described(dataset: Dataset, field: str) -> Cited:
    """A citation of a field the record cites no sources for itself (coverage, unit, geography, frequency):
    its `described_from` sources, which the model says support the title, frequency and coverage."""
    return Cited(dataset.id, field, tuple(dataset.described_from))
