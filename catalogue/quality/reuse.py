"""Quality scores taken from the previous build for the records whose key (dcat/reuse.py) is unchanged.

Scoring maps every record to DCAT and checks each indicator: 50 s at 10,000 records, the largest part
of a one-record rebuild outside the site. A build scores without network checks (NOT_CHECKED), so a
score is a function of what the key hashes. The previous build's manifest holds each score as plain
data; it is read as untrusted and every part checked (a known indicator, a known status, whole numbers,
the record's own IRI), and a score that fails any check is computed again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from catalogue.dcat.reuse import dataset_keys, read_manifest, write_manifest
from catalogue.layout import BuildLayout
from catalogue.quality.methodology import DIMENSIONS, INDICATORS
from catalogue.quality.registry import score_registry
from catalogue.quality.score import EARNED, MISSING, NOT_CHECKED_STATUS, Result, Score
from catalogue.records.registry import Registry

OUTPUT = "quality"
_INDICATORS = {indicator.key: indicator for indicator in INDICATORS}
_STATUSES = {EARNED, MISSING, NOT_CHECKED_STATUS}
_DIMENSIONS = {dimension.key for dimension in DIMENSIONS}


def _as_data(score: Score) -> list[Any]:
    results = [[r.indicator.key, r.status, r.points, r.where] for r in score.results]
    return [score.dataset, results, dict(score.penalties), list(score.penalty_notes)]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _from_data(data: Any, dataset_iri: str) -> Score | None:
    """The score `data` holds, or None if it is not one of the shape `_as_data` writes for this record."""
    if not isinstance(data, list) or len(data) != 4:
        return None
    iri, results, penalties, notes = data
    if iri != dataset_iri or not isinstance(results, list) or not isinstance(penalties, dict):
        return None
    if not isinstance(notes, list) or not all(isinstance(note, str) for note in notes):
        return None
    if not all(key in _DIMENSIONS and _is_int(points) for key, points in penalties.items()):
        return None
    found = []
    for result in results:
        if not (isinstance(result, list) and len(result) == 4):
            return None
        key, status, points, where = result
        if key not in _INDICATORS or status not in _STATUSES or not _is_int(points) or not isinstance(where, str):
            return None
        found.append(Result(_INDICATORS[key], status, points, where))
    return Score(iri, tuple(found), penalties, tuple(notes))


class QualityReuse:
    """The scores of a registry, reusing the previous build's where the record's key is unchanged."""

    def __init__(self, registry: Registry, previous: Path | None) -> None:
        self.keys = dataset_keys(registry, OUTPUT)
        old = read_manifest(BuildLayout(previous).quality_manifest if previous else None, OUTPUT).get("scores")
        kept: dict[str, Score] = {}
        self._kept_data: dict[str, Any] = {}  # a reused score as the manifest held it, written back as it is
        if isinstance(old, dict):
            for dataset_id, key in self.keys.items():
                entry = old.get(dataset_id)
                if isinstance(entry, list) and len(entry) == 2 and entry[0] == key:
                    score = _from_data(entry[1], registry.dataset_uri(dataset_id))
                    if score is not None:
                        kept[dataset_id] = score
                        self._kept_data[dataset_id] = entry[1]
        self.reused = len(kept)
        fresh = score_registry(registry, ids=[key for key in registry.datasets if key not in kept])
        self.scores = {key: kept[key] if key in kept else fresh[key] for key in registry.datasets}

    def write_manifest(self, out: Path) -> None:
        kept = self._kept_data  # _from_data accepted it, so it is what _as_data would write
        scores = {
            key: [self.keys[key], kept[key] if key in kept else _as_data(score)]
            for key, score in self.scores.items()
            if key in self.keys
        }
        write_manifest(BuildLayout(out).quality_manifest, OUTPUT, {"scores": scores})
