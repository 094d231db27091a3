"""Score one dataset's DCAT by the MQA indicators (methodology.py): per indicator, per dimension, in all.

The input is the record's DCAT as data.europa.eu would harvest it: an rdflib Graph (`score_graph`,
for any DCAT document) or the triples the writer made (`Facts.from_terms`, which the registry path
uses so as not to parse what it just built). Both become `Facts`, the dataset's and its
distributions' predicates and objects as strings, so the rules below are plain set lookups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph

from catalogue.quality.links import NOT_CHECKED, LinkStatus
from catalogue.quality.methodology import (
    ACCESS_RIGHT,
    DIMENSIONS,
    FILE_TYPE,
    IANA_MEDIA_TYPES,
    INDICATORS,
    LICENCE,
    MACHINE_READABLE_FORMATS,
    MAX_POINTS,
    MISSING_FORMAT_PENALTY,
    NON_PROPRIETARY_FORMATS,
    Indicator,
    rating,
)

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"

EARNED, MISSING, NOT_CHECKED_STATUS = "earned", "missing", "not checked"


@dataclass
class Facts:
    """subject -> predicate -> objects (IRIs and literal values as strings)."""

    by_subject: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self.by_subject.setdefault(subject, {}).setdefault(predicate, []).append(obj)

    def values(self, subject: str, predicate: str) -> list[str]:
        return self.by_subject.get(subject, {}).get(predicate, [])

    @classmethod
    def from_graph(cls, graph: Graph) -> Facts:
        facts = cls()
        for s, p, o in graph:
            facts.add(str(s), str(p), str(o))
        return facts

    @classmethod
    def from_terms(cls, triples: Iterable[Any]) -> Facts:
        """From pyoxigraph Triples (`.subject.value`, `.predicate.value`, `.object.value`)."""
        facts = cls()
        for t in triples:
            facts.add(t.subject.value, t.predicate.value, t.object.value)
        return facts


@dataclass(frozen=True)
class Result:
    indicator: Indicator
    status: str  # earned, missing or not checked
    points: int
    where: str = ""  # which distribution counted, or why not checked

    def as_json(self) -> dict[str, Any]:
        i = self.indicator
        return {
            "indicator": i.key,
            "label": i.label,
            "dimension": i.dimension,
            "points": self.points,
            "max_points": i.points,
            "status": self.status,
            "where": self.where,
            "metric": i.metric,
            **({"advice": i.advice} if self.status != EARNED else {}),
        }


@dataclass(frozen=True)
class Score:
    """A dataset's MQA score: each indicator's result, the penalties, and the sums."""

    dataset: str
    results: tuple[Result, ...]
    penalties: Mapping[str, int]  # dimension -> points taken off (negative), with why in `penalty_notes`
    penalty_notes: tuple[str, ...] = ()

    def dimension(self, key: str) -> int:
        earned = sum(r.points for r in self.results if r.indicator.dimension == key)
        return max(0, earned + self.penalties.get(key, 0))

    @property
    def dimensions(self) -> dict[str, int]:
        return {d.key: self.dimension(d.key) for d in DIMENSIONS}

    @property
    def total(self) -> int:
        return sum(self.dimensions.values())

    @property
    def rating(self) -> str:
        return rating(self.total)

    def summary_json(self) -> dict[str, Any]:
        """The report's entry: sums, and only the indicators not earned (what each means and how to
        earn it is said once, in the report's `indicators`)."""
        return {
            "total": self.total,
            "rating": self.rating,
            "dimensions": self.dimensions,
            "not_earned": {
                r.indicator.key: {"status": r.status, "where": r.where} for r in self.results if r.status != EARNED
            },
            "penalties": list(self.penalty_notes),
        }

    def as_json(self) -> dict[str, Any]:
        """Everything, each indicator with its advice: what a dataset page or one record's report shows."""
        return {
            "dataset": self.dataset,
            "total": self.total,
            "max_points": MAX_POINTS,
            "rating": self.rating,
            "dimensions": {
                d.key: {"label": d.label, "points": self.dimension(d.key), "max_points": d.max_points}
                for d in DIMENSIONS
            },
            "penalties": list(self.penalty_notes),
            "indicators": [r.as_json() for r in self.results],
        }


def score_graph(
    graph: Graph, dataset_iri: str, links: LinkStatus = NOT_CHECKED, *, dcat_ap_compliant: bool | None = None
) -> Score:
    """Score the dataset `dataset_iri` described in `graph`. `dcat_ap_compliant` is the verdict of a
    SHACL validation the caller ran (None: not checked, scored 0)."""
    return score_facts(Facts.from_graph(graph), dataset_iri, links, dcat_ap_compliant=dcat_ap_compliant)


def score_facts(
    facts: Facts, dataset_iri: str, links: LinkStatus = NOT_CHECKED, *, dcat_ap_compliant: bool | None = None
) -> Score:
    ds = dataset_iri
    has = {p: bool(facts.values(ds, p)) for p in (DCT + "issued", DCT + "modified")}
    rights = facts.values(ds, DCT + "accessRights")
    dataset_level: dict[str, bool | None] = {
        "keywords": bool(facts.values(ds, DCAT + "keyword")),
        "categories": bool(facts.values(ds, DCAT + "theme")),
        "spatial": bool(facts.values(ds, DCT + "spatial")),
        "temporal": bool(facts.values(ds, DCT + "temporal")),
        "dcat_ap": dcat_ap_compliant,
        "access_rights": bool(rights),
        "access_rights_vocabulary": bool(rights) and all(r.startswith(ACCESS_RIGHT) for r in rights),
        "contact_point": bool(facts.values(ds, DCAT + "contactPoint")),
        "publisher": bool(facts.values(ds, DCT + "publisher")),
    }
    distributions = facts.values(ds, DCAT + "distribution")
    per_distribution = [_distribution(facts, node, links) for node in distributions]
    results: list[Result] = []
    for dimension in DIMENSIONS:
        indicators = [i for i in INDICATORS if i.dimension == dimension.key]
        best = _best(indicators, per_distribution)
        for indicator in indicators:
            if indicator.on == "dataset":
                results.append(_result(indicator, dataset_level[indicator.key], "dataset"))
            elif indicator.on == "either" and has[DCT + indicator.key]:
                results.append(_result(indicator, True, "dataset"))
            elif best is None:
                results.append(Result(indicator, MISSING, 0, "no distribution"))
            else:
                position, found = best
                where = f"distributions[{position}]"
                others = [f"distributions[{i}]" for i, d in enumerate(per_distribution) if d[indicator.key]]
                if not found[indicator.key] and others:
                    where += (
                        f" counts, as the best in {dimension.key}; {', '.join(others)} has it but does not score more"
                    )
                results.append(_result(indicator, found[indicator.key], where))
    penalties: dict[str, int] = defaultdict(int)
    notes = []
    for position, found in enumerate(per_distribution):
        for key, name in (("format", "format"), ("media_type", "media type")):
            if not found[key]:
                penalties["interoperability"] += MISSING_FORMAT_PENALTY
                notes.append(f"distributions[{position}] has no {name}: {MISSING_FORMAT_PENALTY} interoperability")
    return Score(ds, tuple(results), dict(penalties), tuple(notes))


def _distribution(facts: Facts, node: str, links: LinkStatus) -> dict[str, bool | None]:
    formats = facts.values(node, DCT + "format")
    media = facts.values(node, DCAT + "mediaType")
    codes = {f.removeprefix(FILE_TYPE) for f in formats if f.startswith(FILE_TYPE)}
    licences = facts.values(node, DCT + "license")
    downloads = facts.values(node, DCAT + "downloadURL")
    return {
        "access_url_answers": _answered(links, facts.values(node, DCAT + "accessURL")),
        "download_url": bool(downloads),
        "download_url_answers": _answered(links, downloads) if downloads else False,
        "format": bool(formats),
        "media_type": bool(media),
        "vocabularies": bool(formats and media)
        and all(f.startswith(FILE_TYPE) for f in formats)
        and all(m.startswith(IANA_MEDIA_TYPES) for m in media),
        "non_proprietary": bool(codes & NON_PROPRIETARY_FORMATS),
        "machine_readable": bool(codes & MACHINE_READABLE_FORMATS),
        "licence": bool(licences),
        "known_licence": bool(licences) and all(x.startswith(LICENCE) for x in licences),
        "rights": bool(facts.values(node, DCT + "rights")),
        "byte_size": bool(facts.values(node, DCAT + "byteSize")),
        "issued": bool(facts.values(node, DCT + "issued")),
        "modified": bool(facts.values(node, DCT + "modified")),
    }


def _answered(links: LinkStatus, urls: list[str]) -> bool | None:
    """True if every URL answered, False if one is broken or there is none, None if one was not checked."""
    if not urls:
        return False
    answers = [links.answered(url) for url in urls]
    if False in answers:
        return False
    return None if None in answers else True


def _best(
    indicators: list[Indicator], per_distribution: list[dict[str, bool | None]]
) -> tuple[int, dict[str, bool | None]] | None:
    """The distribution with the most points in these indicators (the first of equals), as [U] has it."""
    keys = [i for i in indicators if i.on != "dataset"]
    if not per_distribution:
        return None
    points = [sum(i.points for i in keys if found[i.key]) for found in per_distribution]
    position = points.index(max(points))
    return position, per_distribution[position]


def _result(indicator: Indicator, found: bool | None, where: str) -> Result:
    if found is None:
        why = "no link report answers for it" if indicator.network else "not checked"
        return Result(indicator, NOT_CHECKED_STATUS, 0, f"{where}: {why}")
    return Result(indicator, EARNED if found else MISSING, indicator.points if found else 0, where)
