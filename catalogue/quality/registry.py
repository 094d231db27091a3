"""Score every record of a registry, and shape the scores for each output: the build's quality.json,
the dataset pages (plain data, as the site may not import this package), the DCAT measurements and
the `catalogue quality` command's text.

A record is scored on the DCAT the writer makes of it (DcatMapper, the same triples the feed holds),
so the score is what a harvester would compute from our feed, not a second reading of the YAML.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from catalogue.dcat.mapping import DcatMapper
from catalogue.dcat.measurements import Measurement
from catalogue.quality.links import NOT_CHECKED, LinkStatus
from catalogue.quality.methodology import DIMENSIONS, INDICATORS, MAX_POINTS, METHODOLOGY_URL, PIVEAU
from catalogue.quality.score import EARNED, Facts, Score, score_facts
from catalogue.records.registry import Registry

# Why the shipped records count as DCAT-AP compliant (see methodology.py, "DCAT-AP compliance").
COMPLIANCE_NOTE = "validated against the DCAT-AP 3.0.1 SHACL shapes in CI (tests/test_rdf.py)"


def score_registry(
    registry: Registry, links: LinkStatus = NOT_CHECKED, ids: Iterable[str] | None = None
) -> dict[str, Score]:
    """Score the records `ids` (all, by default), in the order given."""
    mapper = DcatMapper(registry)
    scores = {}
    for key in registry.datasets if ids is None else ids:
        described = mapper.dataset(registry.datasets[key])
        facts = Facts.from_terms(described.triples)
        scores[key] = score_facts(facts, registry.dataset_uri(key), links, dcat_ap_compliant=True)
    return scores


def report(scores: dict[str, Score], links: LinkStatus) -> dict[str, Any]:
    """The JSON report: the method (dimensions, indicators with their points and advice, once), where
    the network answers came from, and each record's sums and the indicators it did not earn."""
    return {
        "methodology": METHODOLOGY_URL,
        "max_points": MAX_POINTS,
        "link_report": links.source or None,
        "dcat_ap_compliance": COMPLIANCE_NOTE,
        "dimensions": {d.key: {"label": d.label, "max_points": d.max_points} for d in DIMENSIONS},
        "indicators": {
            i.key: {
                "label": i.label,
                "dimension": i.dimension,
                "points": i.points,
                "metric": PIVEAU + i.metric,
                "on": i.on,
                "advice": i.advice,
            }
            for i in INDICATORS
        },
        "datasets": {key: score.summary_json() for key, score in scores.items()},
    }


def measurements(scores: dict[str, Score]) -> dict[str, list[Measurement]]:
    """Each dataset's points per dimension, for the DCAT feed."""
    return {
        key: [
            Measurement(d.key, d.label, d.definition, score.dimension(d.key), d.max_points, METHODOLOGY_URL)
            for d in DIMENSIONS
        ]
        for key, score in scores.items()
    }


def page_data(scores: dict[str, Score]) -> dict[str, dict[str, Any]]:
    """What a dataset page shows: the badge (total, rating) and the box (what is missing, how to earn it)."""
    return {key: score.as_json() for key, score in scores.items()}


def text(scores: dict[str, Score], links: LinkStatus, *, verbose: bool) -> str:
    """One line per record; with `verbose`, its dimensions and what would earn the missing points."""
    lines = []
    for key, score in scores.items():
        lines.append(f"{score.total:>3}/{MAX_POINTS} {score.rating:<10} {key}")
        if not verbose:
            continue
        dims = ", ".join(f"{d.label.lower()} {score.dimension(d.key)}/{d.max_points}" for d in DIMENSIONS)
        lines.append(f"    {dims}")
        for note in score.penalty_notes:
            lines.append(f"    penalty: {note}")
        for result in score.results:
            if result.status == EARNED:
                continue
            i = result.indicator
            lines.append(f"    {result.status:<11} +{i.points:<3} {i.label} ({result.where}): {i.advice}")
    if scores:
        mean = sum(s.total for s in scores.values()) / len(scores)
        counts: dict[str, int] = {}
        for s in scores.values():
            counts[s.rating] = counts.get(s.rating, 0) + 1
        summary = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
        lines.append(f"{len(scores)} records: {summary}; mean {mean:.0f}")
    lines.append(
        "network checks: " + (f"from {links.source}" if links.source else "not checked (run `catalogue linkcheck`)")
    )
    return "\n".join(lines)
