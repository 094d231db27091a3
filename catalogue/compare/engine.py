"""Compare two sides: every rule's reasons, the verdict they give, and the answer as data and as text.

Why one function for every caller: the command, the API and the site's page must give the same verdict
with the same reasons, so each asks `compare` and prints its `to_dict()` or `to_text()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalogue.compare import reasons as r
from catalogue.compare.reasons import Reason, verdict_of
from catalogue.compare.rules import (
    Part,
    breakdown_reasons,
    caveat_reasons,
    coverage_reasons,
    method_change_reasons,
    record_reasons,
    resolution_reasons,
)
from catalogue.compare.sides import Side, parse_sides
from catalogue.compare.timeline import span_of
from catalogue.records import vocabularies as v
from catalogue.records.registry import Registry

_RANK = {effect: rank for rank, effect in enumerate(r.EFFECTS)}
_SUMMARY = {
    r.NOT_COMPARABLE: "the records say these figures cannot be compared as they stand",
    r.WITH_CARE: "they can be compared only with the care the reasons below ask for",
    r.COMPARABLE: "nothing in the records stands in the way of comparing them",
}


@dataclass(frozen=True)
class Comparison:
    """The answer: both sides, the verdict, and the reasons, strongest effect first."""

    a: Part
    b: Part
    verdict: str
    reasons: tuple[Reason, ...]

    @property
    def summary(self) -> str:
        counted = [
            f"{n} {effect}"
            for effect in (r.BREAKS, r.CARE, r.NOT_KNOWN)
            if (n := sum(1 for reason in self.reasons if reason.effect == effect))
        ]
        return f"{self.verdict.capitalize()}: {_SUMMARY[self.verdict]}" + (
            f" ({', '.join(counted)})." if counted else "."
        )

    def to_dict(self, registry: Registry) -> dict[str, Any]:
        """The answer as JSON-ready data (the `result` of the API, `--format json` of the command)."""
        return {
            "a": _side_dict(self.a),
            "b": _side_dict(self.b),
            "verdict": self.verdict,
            "summary": self.summary,
            "reasons": [
                {
                    "effect": reason.effect,
                    "topic": reason.topic,
                    "text": reason.text,
                    "date": reason.date,
                    "cited": [cite.to_dict(registry.datasets[cite.record]) for cite in reason.cited],
                }
                for reason in self.reasons
            ],
        }


def _side_dict(part: Part) -> dict[str, Any]:
    side = part.side
    return {
        "side": side.text,
        "dataset": part.dataset.id,
        "title": part.dataset.title,
        "period": side.period.label if side.period else None,
        "from": part.span.start,
        "to": part.span.end,
        "breakdown": side.breakdown,
        "breakdown_label": v.DIMENSIONS[side.breakdown].label if side.breakdown else None,
    }


def compare(registry: Registry, a: Side, b: Side) -> Comparison:
    """Compare side `a` with side `b` from what the registry's records say, and nothing else."""
    pa = Part(a, registry.datasets[a.dataset_id], span_of(a, registry.datasets[a.dataset_id]))
    pb = Part(b, registry.datasets[b.dataset_id], span_of(b, registry.datasets[b.dataset_id]))
    found: list[Reason] = []
    for part in (pa, pb) if pa.side != pb.side else (pa,):
        found += coverage_reasons(part, registry)
    found += resolution_reasons(pa, pb)
    found += breakdown_reasons(pa, pb)
    found += method_change_reasons(pa, pb)
    found += caveat_reasons(pa, pb)
    found += record_reasons(pa, pb)
    unique = list(dict.fromkeys(found))
    ordered = sorted(unique, key=lambda reason: _RANK[reason.effect])
    return Comparison(pa, pb, verdict_of(ordered), tuple(ordered))


def compare_text(registry: Registry, a: str, b: str) -> Comparison:
    """Compare two sides given as `ID[:PERIOD[:BREAKDOWN]]`; SideErrors, naming each wrong side, if any is."""
    sides = parse_sides({"a": a, "b": b}, registry)
    return compare(registry, sides["a"], sides["b"])
