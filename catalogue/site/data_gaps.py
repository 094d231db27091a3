"""The data-gaps register (data-gaps/), built from the records.

Why generated: the page was written by hand and drifted from the records it cited (a gap closed in a
record stayed open on the page). Here every point is something a record says, or does not say, about
itself: what it could not confirm (`unknowns`), where its figures cannot be compared, which breakdowns
and periods its publisher does not publish, whose reuse terms are missing or restrictive, and what has no
direct file link. Grouped as a reader from the regulator's side asks: what is unknown about the figures;
what is not published; what cannot be reused; what cannot be downloaded. Each point links its record
and the sources it rests on. Plain data only; templates/pages/data-gaps.md makes the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from catalogue.records import vocabularies
from catalogue.records.model import Dataset, Distribution
from catalogue.records.registry import Registry
from catalogue.site.asks import OSR_LETTER
from catalogue.site.asks_detail import ASKED_BREAKDOWNS, breakdowns, linkage
from catalogue.site.facts import FLAGSHIP_THEME
from catalogue.site.plain import field_words
from catalogue.site.render import HtmlBlocks, render

# Licences under which the figures may be reused by anyone: the open ones of the records' vocabulary.
OPEN_LICENCES = frozenset({"ogl-3", "cc-by-4"})


@dataclass
class RecordGaps:
    """One record's items under one heading: (what, detail, source keys) triples."""

    dataset: Dataset
    items: list[tuple[str, str, list[str]]] = field(default_factory=list)


def _by_title(registry: Registry) -> list[Dataset]:
    return sorted(registry.datasets.values(), key=lambda d: d.title.lower())


def _unknowns(datasets: list[Dataset]) -> list[RecordGaps]:
    """What each record looked for and could not confirm, in words (the field) and as the record says it.
    An unknown cites nothing (it is what the sources read did not say); the record's own sources for its
    description are the ones read."""
    out = []
    for d in datasets:
        if d.unknowns:
            out.append(RecordGaps(d, [(field_words(d, u.field), u.note, d.described_from) for u in d.unknowns]))
    return out


def _breaks(datasets: list[Dataset]) -> list[tuple[Dataset, Any]]:
    return [(d, c) for d in datasets for c in d.caveats if c.breaks_comparability]


def _quality_gaps(datasets: list[Dataset]) -> list[tuple[Dataset, str, list[str], bool]]:
    """Official statistics and NRM records with no QAAD assessment linked or quality notes missing: (record,
    status label, ESS dimensions without a note, whether a QAAD assessment is published)."""
    rows = []
    for d in datasets:
        if d.statistics_status.status not in vocabularies.OFFICIAL_STATUSES and FLAGSHIP_THEME not in d.themes:
            continue
        lacking = [t.label for name, t in vocabularies.QUALITY_DIMENSIONS.items() if getattr(d.quality, name) is None]
        qaad = d.qaad is not None and (d.qaad.url is not None or d.qaad.level is not None)
        if lacking or not qaad:
            label = vocabularies.STATISTICS_STATUSES[d.statistics_status.status].label
            rows.append((d, label, lacking, qaad))
    return rows


def _partial_breakdowns(datasets: list[Dataset]) -> list[tuple[Dataset, Any, str]]:
    """Breakdowns published for only part of what the series covers: (record, breakdown, the series' span)."""
    rows = []
    for d in datasets:
        cover = d.temporal_coverage
        for b in d.breakdowns:
            later = b.available.start and cover.start and b.available.start > cover.start
            earlier = b.available.end and (cover.ongoing or (cover.end and b.available.end < cover.end))
            if later or earlier:
                span = f"{cover.start or 'its start'} to {cover.end or ('now' if cover.ongoing else 'its end')}"
                rows.append((d, b, span))
    return rows


def _release_gaps(datasets: list[Dataset]) -> dict[str, list[Dataset]]:
    ongoing = [d for d in datasets if d.temporal_coverage.ongoing]
    return {
        "no_latest": [d for d in ongoing if not d.releases.last_updated],
        "no_next": [d for d in ongoing if not d.releases.next_release],
        # a series that stopped (a one-off publication was never meant to go on)
        "ended": [d for d in datasets if not d.temporal_coverage.ongoing and d.frequency != "never"],
    }


def _reuse(datasets: list[Dataset]) -> list[tuple[Dataset, list[Distribution]]]:
    """Each record's distributions whose licence is not stated or not open."""
    rows = []
    for d in datasets:
        closed = [x for x in d.distributions if x.licence not in OPEN_LICENCES]
        if closed:
            rows.append((d, closed))
    return rows


def _downloads(datasets: list[Dataset]) -> dict[str, Any]:
    """Records with no distribution at all; records with distributions but no direct file link; records
    with some direct links and other distributions only reached from a page."""
    return {
        "none": [d for d in datasets if not d.distributions],
        "pages_only": [d for d in datasets if d.distributions and not any(x.download_url for x in d.distributions)],
        "some": [
            (d, [x for x in d.distributions if not x.download_url])
            for d in datasets
            if any(x.download_url for x in d.distributions) and not all(x.download_url for x in d.distributions)
        ],
        "restricted": [d for d in datasets if d.access.level != "open"],
    }


def gather(registry: Registry) -> dict[str, Any]:
    """Everything the page says, from the records."""
    datasets = _by_title(registry)
    split = breakdowns(registry)
    linked = linkage(registry)
    dists = [x for d in datasets for x in d.distributions]
    return {
        "total": len(datasets),
        "unknowns": _unknowns(datasets),
        "unknown_count": sum(len(d.unknowns) for d in datasets),
        "breaks": _breaks(datasets),
        "quality_gaps": _quality_gaps(datasets),
        "asked_labels": [vocabularies.DIMENSIONS[key].label for key in ASKED_BREAKDOWNS],
        "asked_nowhere": split["asked_nowhere"],
        # asked for and now published somewhere: no longer gaps, with who publishes them since when
        "asked_published": [row for row in split["rows"] if row.asked],
        "missing_in_nrm": split["missing_in_nrm"],
        "nrm_without": split["nrm_without"],
        "partial": _partial_breakdowns(datasets),
        "dimension_labels": {key: term.label for key, term in vocabularies.DIMENSIONS.items()},
        "linkage_asks": linked["asks"],
        "link_statuses": linked["statuses"],
        "releases": _release_gaps(datasets),
        "reuse": _reuse(datasets),
        "licence_labels": {key: term.label for key, term in vocabularies.LICENCES.items()},
        "distribution_count": len(dists),
        "direct_count": sum(1 for x in dists if x.download_url),
        "downloads": _downloads(datasets),
        "access_labels": {key: level.label for key, level in vocabularies.ACCESS_LEVELS.items()},
        "osr_letter": OSR_LETTER,
    }


def data_gaps_page(registry: Registry, blocks: HtmlBlocks) -> str:
    """Return the data-gaps register's Markdown (its lists as HTML blocks in `blocks`)."""
    return render("pages/data-gaps.md", blocks=blocks, **gather(registry))
