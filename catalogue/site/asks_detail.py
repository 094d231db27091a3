"""What the four asks pages that need the most from the records gather: breakdowns, research access,
methods and quality, data linkage (OSR to the Home Office, March 2023).

Why a module of their own: each answers its ask in substance, from every record, with each point
carrying the keys of the sources it rests on (the templates link them), and says what the records do
NOT show as plainly as what they do. Nothing here is written by hand about a source: a page changes
when the records change. Plain data only; templates/asks/<slug>.md make the pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from catalogue.records import vocabularies
from catalogue.records.model import Breakdown, Dataset, Distribution, Linkage
from catalogue.records.registry import Registry
from catalogue.site.facts import FLAGSHIP_THEME as NRM_THEME
from catalogue.site.facts import prominence

HOME_OFFICE = "home-office"
# The breakdowns users asked for through OSR (sub-type, age, location of exploitation; outcomes by UK and
# non-UK nationals), then those the NRM series are most often split by.
ASKED_BREAKDOWNS = ("exploitation-sub-type", "age", "location-of-exploitation", "uk-non-uk")
# Formats a researcher can load as data: every EU file type of the records' vocabulary but the documents.
DATA_FORMATS = frozenset(vocabularies.FILE_TYPES) - {"PDF", "HTML"}
# The most restricted route first: secure (controlled), then safeguarded (registration and licence).
_LEVEL_ORDER = {"controlled": 0, "safeguarded": 1, "open": 2}
# Words that mark an open record's caveat as about getting at the data (the restricted routes show all theirs).
_ACCESS_WORDS = ("researcher", "data access", "access to data", "access to the data", "not published", "on request")


def _by_title(registry: Registry) -> list[Dataset]:
    return sorted(registry.datasets.values(), key=lambda d: d.title.lower())


def _span(d: Dataset, b: Breakdown) -> tuple[str, str]:
    """When a breakdown is published: its own period, else (the model: "leave out if from the beginning" /
    "if still affected") the series' coverage; "" where neither says."""
    start = b.available.start or d.temporal_coverage.start or ""
    end = b.available.end or d.temporal_coverage.end or ("now" if d.temporal_coverage.ongoing else "")
    return start, end


# --- breakdowns ----------------------------------------------------------------------------------------


@dataclass
class DimensionRow:
    key: str
    label: str
    asked: bool
    found: list[tuple[Dataset, Breakdown, str, str]] = field(default_factory=list)  # record, breakdown, from, to

    @property
    def earliest(self) -> str:
        return min((start for _, _, start, _ in self.found if start), default="")

    @property
    def latest(self) -> str:
        ends = [end for _, _, _, end in self.found if end]
        return "now" if "now" in ends else max(ends, default="")


# while `gathering_once`: the registry gathered for and what `breakdowns` gathered ([] until the first call)
_gathered: list[tuple[Registry, dict[str, Any]]] | None = None


@contextmanager
def gathering_once() -> Iterator[None]:
    """While the site's pages are generated, `breakdowns` gathers once: the asks page and the data-gaps
    register both show it, and at 10,000 records gathering it took seconds. Forgotten afterwards, so no
    registry outlives its build (a live preview would otherwise hold two)."""
    global _gathered
    _gathered = []
    try:
        yield
    finally:
        _gathered = None


def breakdowns(registry: Registry) -> dict[str, Any]:
    """What `_breakdowns` gathers (once while `gathering_once`)."""
    if _gathered is None:
        return _breakdowns(registry)
    if not _gathered or _gathered[0][0] is not registry:
        _gathered[:] = [(registry, _breakdowns(registry))]
    return _gathered[0][1]


def _breakdowns(registry: Registry) -> dict[str, Any]:
    """The matrix by dimension (every dimension of the vocabulary, the asked ones first) and period, with
    each source's own periods and categories; then what is not published: dimensions no record gives,
    what each NRM and Duty to Notify record with breakdowns does not give (of those asked for or given by
    another NRM source), the NRM records with none, what records could not confirm, and the
    caveats that limit a breakdown."""
    datasets = _by_title(registry)
    order = [*ASKED_BREAKDOWNS, *(k for k in vocabularies.DIMENSIONS if k not in ASKED_BREAKDOWNS)]
    found: dict[str, list[tuple[Any, ...]]] = {key: [] for key in order}
    for d in datasets:  # one pass, not one a dimension: at 10,000 records that was seconds
        for b in d.breakdowns:
            if b.dimension in found:
                found[b.dimension].append((d, b, *_span(d, b)))
    rows = []
    for key in order:
        row = DimensionRow(key, vocabularies.DIMENSIONS[key].label, key in ASKED_BREAKDOWNS)
        row.found = found[key]
        rows.append(row)
    published = [row for row in rows if row.found]
    nrm = [d for d in datasets if NRM_THEME in d.themes]
    # what an NRM source could be split by: what users asked for, and what any NRM source gives
    given_in_nrm = {b.dimension for d in nrm for b in d.breakdowns}
    relevant = [row for row in rows if row.asked or row.key in given_in_nrm]
    missing_in_nrm = []
    for d in nrm:
        if d.breakdowns:
            given = {b.dimension for b in d.breakdowns}  # once a record, not once a row
            missing_in_nrm.append((d, [row.label for row in relevant if row.key not in given]))
    years = _years(datasets, nrm)
    return {
        "rows": published,
        "years": years,
        "grid": [(row, _year_cells(row, years)) for row in rows if row.found or row.asked],
        "nowhere": [row for row in rows if not row.found],
        "asked_nowhere": [row for row in rows if row.asked and not row.found],
        "missing_in_nrm": [(d, labels) for d, labels in missing_in_nrm if labels],
        "nrm_without": [d for d in nrm if not d.breakdowns],
        "unconfirmed": [(d, u) for d in datasets for u in d.unknowns if u.field.startswith("breakdowns")],
        "limits": [(d, c, _labels(c.breakdowns)) for d in datasets for c in d.caveats if c.breakdowns],
        "sources_with_any": len({d.id for row in published for d, *_ in row.found}),
        "total": len(datasets),
    }


def _year_of(date: str) -> int:
    return int(date[:4])


def _years(datasets: list[Dataset], nrm: list[Dataset]) -> list[int]:
    """The grid's years: from the first period an NRM source covers (the earliest of any source if there is
    none) to the latest year any record covers or was last updated in; from the records, so a build does
    not depend on the day it runs."""
    starts = [_year_of(d.temporal_coverage.start) for d in nrm or datasets if d.temporal_coverage.start]
    ends = [
        _year_of(date)
        for d in datasets
        for date in (d.temporal_coverage.end, d.releases.last_updated, d.temporal_coverage.start)
        if date
    ]
    if not starts or not ends:
        return []
    return list(range(min(starts), max(max(ends), min(starts)) + 1))


def _year_cells(row: DimensionRow, years: list[int]) -> list[tuple[int, list[Dataset]]]:
    """For each year, the sources whose breakdown covers some of it ("now" runs to the grid's last year); a
    breakdown whose start no record states is left out of the grid (its table below says so)."""
    last = years[-1] if years else 0
    spans = [
        (d, _year_of(start), last if end in ("now", "") else _year_of(end)) for d, _, start, end in row.found if start
    ]  # each source's years worked out once, not once a year
    return [(year, [d for d, first, final in spans if first <= year <= final]) for year in years]


def _labels(keys: list[str]) -> str:
    return ", ".join(vocabularies.label_of(vocabularies.DIMENSIONS, key).lower() for key in keys)


# --- research access -----------------------------------------------------------------------------------


def research_access(registry: Registry) -> dict[str, Any]:
    """The routes that give researchers data, most direct first: record-level data under safeguarded or
    controlled access (with conditions, what it holds, the published series whose distributions lead to
    it, its caveats); what open series say is available on request; then the open series with data files
    (each file, its format, size and licence); the publications without data files are named in one line,
    not given a row each."""
    datasets = _by_title(registry)
    restricted = sorted((d for d in datasets if d.access.level != "open"), key=lambda d: _LEVEL_ORDER[d.access.level])
    # a distribution of an open record that leads to a restricted route is that route, not an open file
    route_of = {
        url: r.id
        for r in restricted
        for url in (r.access.url, r.landing_page, *(x.access_url for x in r.distributions))
    }
    behind: dict[str, list[Dataset]] = {r.id: [] for r in restricted}
    files: list[tuple[Dataset, list[Distribution], str]] = []
    publications = []
    for d in datasets:
        if d.access.level != "open":
            continue
        leads = {
            route_of[url] for dist in d.distributions for url in (dist.access_url, dist.download_url) if url in route_of
        }
        for route in sorted(leads):
            behind[route].append(d)
        data = [
            dist
            for dist in d.distributions
            if dist.format in DATA_FORMATS and dist.access_url not in route_of and dist.download_url not in route_of
        ]
        if data:
            files.append((d, data, ", ".join(sorted({_labels([b.dimension]) for b in d.breakdowns}))))
        else:
            publications.append(d)
    files.sort(key=lambda item: (NRM_THEME not in item[0].themes, item[0].publisher != HOME_OFFICE))
    return {
        "restricted": [
            (
                d,
                [
                    (vocabularies.RELATIONS[relation].label, registry.datasets[other])
                    for relation, other, _ in registry.relations_of(d.id)
                ],
                behind[d.id],
            )
            for d in restricted
        ],
        "on_request": [d for d in datasets if d.access.level == "open" and _offers_on_request(d.access.conditions)],
        "files": files,
        "direct": sum(1 for _, dists, _ in files for dist in dists if dist.download_url),
        "publications": publications,
        "access_labels": {key: level.label for key, level in vocabularies.ACCESS_LEVELS.items()},
        "access_caveats": [
            (d, c)
            for d in datasets
            if d.access.level == "open"
            for c in d.caveats
            if any(word in (c.title + " " + c.text).lower() for word in _ACCESS_WORDS)
        ],
    }


def _documented(d: Dataset) -> int:
    """How much a record says on quality and methods: notes, QAAD, method changes, revisions."""
    return len(d.quality.notes()) + (d.qaad is not None) + len(d.method_changes) + len(d.revisions)


def _offers_on_request(conditions: str) -> bool:
    """Whether access conditions offer data or information on request (not, say, permission to reproduce)."""
    text = conditions.lower()
    return "request" in text and ("data" in text or "information" in text)


# --- methods and quality -------------------------------------------------------------------------------


def quality(registry: Registry) -> dict[str, Any]:
    """Per Home Office series and per NRM and Duty to Notify statistics (official statistics, or a record with
    breakdowns; not the reports about them), NRM first, the most documented first: status, QAAD, the quality
    notes by ESS dimension and those it lacks, method changes, revisions, caveats, and what the record could
    not confirm about them; with a summary table so the gaps show at a glance."""
    series = [
        d
        for d in _by_title(registry)
        if d.publisher == HOME_OFFICE
        or HOME_OFFICE in d.creator
        or (NRM_THEME in d.themes and (d.statistics_status.status in vocabularies.OFFICIAL_STATUSES or d.breakdowns))
    ]
    series.sort(key=lambda d: (NRM_THEME not in d.themes, -prominence(d), -_documented(d)))
    quality_fields = ("quality", "qaad", "method_changes", "revisions", "caveats", "statistics_status")
    return {
        "series": [
            {
                "dataset": d,
                "status": vocabularies.STATISTICS_STATUSES[d.statistics_status.status].label,
                "notes": [(vocabularies.QUALITY_DIMENSIONS[name].label, note) for name, note in d.quality.notes()],
                "lacking": [
                    term.label
                    for name, term in vocabularies.QUALITY_DIMENSIONS.items()
                    if getattr(d.quality, name) is None
                ],
                "method_changes": sorted(d.method_changes, key=lambda c: c.date),
                "caveats": sorted(d.caveats, key=lambda c: (not c.breaks_comparability, c.severity != "critical")),
                "unknowns": [u for u in d.unknowns if u.field.split(".")[0].split("[")[0] in quality_fields],
            }
            for d in series
        ],
    }


# --- data linkage --------------------------------------------------------------------------------------

# The linkage OSR asked for (its letter: immigration outcomes, criminal justice outcomes, support access),
# with the words that mark a record's linkage as bearing on it.
LINKAGE_ASKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Immigration outcomes (asylum claims of victims, routes into the UK)",
        ("immigration", "asylum", "small boat", "visa", "detention"),
    ),
    ("Criminal justice outcomes", ("criminal justice", "prosecution", "conviction", "court", "police", "crime")),
    ("Access to support", ("support", "victim care", "accommodation")),
)
_STATUS_ORDER = list(vocabularies.LINKAGE_STATUSES)


def linkage(registry: Registry) -> dict[str, Any]:
    """Every linkage in the records, by status (published first), each cited; then, for each linkage OSR
    asked for, what the records show (and whether any of it is linked and published); and the NRM and Duty
    to Notify records that record no linkage at all."""
    datasets = _by_title(registry)
    rows = sorted(
        ((d, link) for d in datasets for link in d.data_linkage), key=lambda row: _STATUS_ORDER.index(row[1].status)
    )
    asks = []
    for label, words in LINKAGE_ASKS:
        matches = [(d, link) for d, link in rows if _mentions(link, words)]
        asks.append(
            {
                "label": label,
                "matches": matches,
                "published": any(link.status == "linked" for _, link in matches),
            }
        )
    return {
        "rows": rows,
        "statuses": {key: status.label for key, status in vocabularies.LINKAGE_STATUSES.items()},
        "counts": [
            (vocabularies.LINKAGE_STATUSES[key].label, sum(1 for _, link in rows if link.status == key))
            for key in _STATUS_ORDER
        ],
        "asks": asks,
        "without": [d for d in datasets if NRM_THEME in d.themes and not d.data_linkage],
    }


def _mentions(link: Linkage, words: tuple[str, ...]) -> bool:
    text = f"{link.linked_with} {link.note}".lower()
    return any(word in text for word in words)
