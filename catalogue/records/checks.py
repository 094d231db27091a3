"""Checks across records: what no single record can know (that an agent, theme, related record or
source key exists; that each record is stamped), reported at the place in the file that names it.

Records with field errors still take part under their ids, so a broken record does not make every
record that names it report a knock-on error.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import yaml

from catalogue.records.errors import RecordError
from catalogue.records.model import CatalogueInfo, Dataset, Strict
from catalogue.records.registry import Stamp, content_hash
from catalogue.records.yamlnodes import dotted, position

Loc = tuple[str | int, ...]


@dataclass
class Parsed:
    """One record as read: the file it came from, its YAML node tree (for positions), its model."""

    path: str
    node: yaml.Node
    model: Strict


@dataclass
class _Report:
    errors: list[RecordError]

    def __call__(self, record: Parsed, loc: Loc, kind: str, message: str) -> None:
        line, column = position(record.node, loc)
        self.errors.append(RecordError(record.path, line, column, dotted(loc), kind, message))


def check_whole(
    catalogue: Parsed | None,
    agents: dict[str, Parsed],
    datasets: dict[str, Parsed],
    stamps: dict[str, Stamp] | None,
    errors: list[RecordError],
) -> None:
    """Append to `errors` every problem across records; `stamps` None skips the stamp checks."""
    report = _Report(errors)
    theme_ids = _check_catalogue(catalogue, agents, report)
    for record in datasets.values():
        _check_references(record, agents, theme_ids, datasets, report)
        if stamps is not None:
            _check_stamp(record, stamps, report)


def _check_catalogue(catalogue: Parsed | None, agents: Collection[str], report: _Report) -> list[str]:
    """Check the catalogue's themes and publisher; return its theme ids."""
    if catalogue is None:
        return []
    info: CatalogueInfo = catalogue.model  # type: ignore[assignment]
    theme_ids = [theme.id for theme in info.themes]
    for i, theme_id in enumerate(theme_ids):
        if theme_id in theme_ids[:i]:
            report(catalogue, ("themes", i, "id"), "duplicate-id", f"theme {theme_id!r} is defined twice")
    if agents and info.publisher not in agents:
        report(catalogue, ("publisher",), "unknown-agent", unknown("agent", info.publisher, agents))
    return theme_ids


def _check_references(
    record: Parsed, agents: Collection[str], theme_ids: list[str], datasets: Collection[str], report: _Report
) -> None:
    """Check that the agents, themes, related records and source keys a dataset names exist."""
    dataset: Dataset = record.model  # type: ignore[assignment]
    cited_agents: list[tuple[Loc, str]] = [(("publisher",), dataset.publisher)]
    cited_agents += [(("creator", i), agent) for i, agent in enumerate(dataset.creator)]
    for loc, agent_id in cited_agents:
        if agents and agent_id not in agents:
            report(record, loc, "unknown-agent", unknown("agent", agent_id, agents))
    for i, theme_id in enumerate(dataset.themes):
        if theme_ids and theme_id not in theme_ids:
            report(record, ("themes", i), "unknown-theme", unknown("theme", theme_id, theme_ids))
    for i, rel in enumerate(dataset.related):
        if rel.id == dataset.id:
            report(record, ("related", i, "id"), "self-relation", "a record cannot relate to itself")
        elif rel.id not in datasets:
            report(record, ("related", i, "id"), "unknown-dataset", unknown("dataset", rel.id, datasets))
    defined = ", ".join(dataset.sources)
    for loc, key in dataset.cited_keys():
        if key not in dataset.sources:
            message = f"source {key!r} is not defined under sources (defined: {defined})"
            report(record, loc, "unknown-source", message)


def _check_stamp(record: Parsed, stamps: dict[str, Stamp], report: _Report) -> None:
    dataset: Dataset = record.model  # type: ignore[assignment]
    stamp = stamps.get(dataset.id)
    if stamp is None:
        message = "record has no entry in metadata/stamps.json; run `catalogue stamp` to record its dates"
        report(record, ("id",), "unstamped", message)
    elif stamp.content_hash != content_hash(dataset):
        message = "record changed since it was stamped; run `catalogue stamp` to record today as its modified date"
        report(record, ("id",), "stale-stamp", message)


def unknown(what: str, value: str, known: Collection[str]) -> str:
    return f"{value!r} is not a known {what} (expected one of: {', '.join(sorted(known))})"
