"""Checks across records: what no single record can know (that an agent, theme, related record or
source key exists; that each record is finished and stamped), reported at the place in the file that
names it.

Why the checks read each record's YAML values rather than its validated model: a record with field
errors has no model, yet it must still take part. Its id (its file name) stays known, so the records
that name it report nothing (one typo in a much-linked record is one problem, not sixteen); and its
own references are checked in the same run as its field errors, so a producer sees every problem at
once. A reference at a place that already has a field error is not reported twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from catalogue.records.errors import RecordError
from catalogue.records.model import Dataset, Strict
from catalogue.records.registry import Stamp, content_hash
from catalogue.records.scaffold import EXAMPLE_DOMAINS, PLACEHOLDERS, unfinished
from catalogue.records.suggest import unknown_message, what_is_valid
from catalogue.records.yamlnodes import dotted, position

Loc = tuple[str | int, ...]


@dataclass
class Parsed:
    """One record as read: the file it came from, its YAML node tree (for positions), its model (None
    if it has problems), its values as read, and the field paths that have an error."""

    path: str
    node: yaml.Node
    model: Strict | None
    data: dict[str, Any]
    failed: set[str] = field(default_factory=set)
    # taken from the record cache (cached.py), which keeps only records a whole load found no problem in:
    # the checks of the record alone are not repeated
    checked: bool = False
    content_hash: str | None = None  # a dataset's content_hash, once computed (kept in the cache)
    # the problems of its values alone (`own_problems`), when a worker process that read it found them
    # already: the checks across records then only report them
    own: list[tuple[Loc, str, str]] | None = None

    def without_model(self) -> Parsed:
        return replace(self, model=None)

    def dataset_hash(self) -> str:
        """The dataset's content hash: the one the record cache or a worker process gave it, else computed
        now and kept with it (for the cache, and for the next check that needs it)."""
        if self.content_hash is None:
            self.content_hash = content_hash(self.model)  # type: ignore[arg-type]
        return self.content_hash


@dataclass
class Folder:
    """The records of one folder: every id a file name gives (even of a file that could not be read),
    and the records that could be read, by id."""

    name: str
    ids: set[str] = field(default_factory=set)
    records: dict[str, Parsed] = field(default_factory=dict)


@dataclass
class _Report:
    errors: list[RecordError]

    def __call__(self, record: Parsed, loc: Loc, kind: str, message: str) -> None:
        path = dotted(loc)
        if any(path == bad or path.startswith((f"{bad}.", f"{bad}[")) for bad in record.failed if bad):
            return  # the field error there says what is wrong
        line, column = position(record.node, loc)
        self.errors.append(RecordError(record.path, line, column, path, kind, message))


def check_whole(
    catalogue: Parsed | None,
    agents: Folder,
    datasets: Folder,
    stamps: dict[str, Stamp] | None,
    errors: list[RecordError],
    display: str = "metadata",
) -> None:
    """Append to `errors` every problem across records; `stamps` None skips the stamp checks."""
    report = _Report(errors)
    known_agents = _Known("agent", sorted(agents.ids), f"agents in {display}/agents/")
    theme_ids = _check_catalogue(catalogue, known_agents, report)
    known_themes = _Known("theme", theme_ids, f"themes in {display}/catalogue.yaml")
    known_datasets = _Known("dataset", sorted(datasets.ids), f"datasets in {display}/datasets/")
    for record in datasets.records.values():
        _check_references(record, known_agents, known_themes if catalogue else None, known_datasets, report)
        if not record.checked:
            for loc, kind, message in own_problems(record.data) if record.own is None else record.own:
                report(record, loc, kind, message)
    if stamps is not None:
        # `catalogue stamp` refuses records with problems, so telling a producer to stamp one that has
        # any would only add a line they cannot act on yet
        with_problems = {error.file for error in errors}
        for record in datasets.records.values():
            if record.model is not None and record.path not in with_problems:
                _check_stamp(record, stamps, report)


@dataclass
class _Known:
    what: str
    ids: list[str]
    where: str
    known: frozenset[str] = frozenset()  # the ids as a set: a list lookup per reference is quadratic at 10,000

    def __post_init__(self) -> None:
        self.known = frozenset(self.ids)

    def check(self, record: Parsed, loc: Loc, value: Any, report: _Report) -> None:
        if isinstance(value, str) and value not in self.known:
            report(record, loc, f"unknown-{self.what}", unknown_message(self.what, value, self.ids, self.where))


def theme_ids(data: dict[str, Any]) -> list[str]:
    """Return the theme ids a catalogue.yaml's values define (those that are text)."""
    themes = data.get("themes")
    if not isinstance(themes, list):
        return []
    return [theme["id"] for theme in themes if isinstance(theme, dict) and isinstance(theme.get("id"), str)]


def _check_catalogue(catalogue: Parsed | None, agents: _Known, report: _Report) -> list[str]:
    """Check the catalogue's themes and publisher; return its theme ids."""
    if catalogue is None:
        return []
    ids = theme_ids(catalogue.data)
    for i, theme_id in enumerate(ids):
        if theme_id in ids[:i]:
            report(catalogue, ("themes", i, "id"), "duplicate-id", f"theme {theme_id!r} is defined twice")
    if agents.ids:
        agents.check(catalogue, ("publisher",), catalogue.data.get("publisher"), report)
    return ids


def _check_references(record: Parsed, agents: _Known, themes: _Known | None, datasets: _Known, report: _Report) -> None:
    """Check that the agents, themes, related records and source keys a dataset names exist."""
    data = record.data
    if agents.ids:
        agents.check(record, ("publisher",), data.get("publisher"), report)
        for i, agent_id in _items(data.get("creator")):
            agents.check(record, ("creator", i), agent_id, report)
    if themes is not None and themes.ids:
        for i, theme_id in _items(data.get("themes")):
            themes.check(record, ("themes", i), theme_id, report)
    for i, rel in _items(data.get("related")):
        rel_id = rel.get("id") if isinstance(rel, dict) else None
        if rel_id is not None and rel_id == data.get("id"):
            report(record, ("related", i, "id"), "self-relation", "a record cannot relate to itself")
        else:
            datasets.check(record, ("related", i, "id"), rel_id, report)


def own_problems(data: dict[str, Any]) -> list[tuple[Loc, str, str]]:
    """Return (location, kind, message) for what a dataset's values get wrong whatever the other records
    say: a source key cited but not defined, a scaffold placeholder left in. A function of the values
    alone, so the loader's worker processes find these while the records are read (at 10,000 records
    walking every value twice here was a fifth of the load)."""
    found: list[tuple[Loc, str, str]] = []
    sources = data.get("sources")
    if isinstance(sources, dict):  # missing or not a mapping: its own error says so
        defined = [key for key in sources if isinstance(key, str)]
        for loc, key in _cited_keys(data):
            if key not in defined:
                message = f"source {key!r} is not defined under sources; {what_is_valid(key, defined)}"
                found.append((loc, "unknown-source", message))
    if _may_hold_placeholders(data):
        found.extend((loc, "unfinished", message) for loc, message in unfinished(data))
    return found


# what `scaffold.unfinished` looks for: a whole value that is a placeholder, or an example domain's address
_PLACEHOLDER_TEXTS = tuple(text for text in PLACEHOLDERS.values() if "://" not in text)


def _may_hold_placeholders(data: dict[str, Any]) -> bool:
    """False only if no value can be one `unfinished` reports, found in one C-speed pass (walking every
    value in Python took a fifth of a load). A placeholder is a whole value, so it is in the JSON of the
    values unless it holds a character JSON escapes (none does: tests/test_load_fast.py); an example domain is
    in the lowercased value of any address whose host or email domain is, or ends with, it."""
    text = json.dumps(data, ensure_ascii=False)
    lowered = text.lower()
    return any(placeholder in text for placeholder in _PLACEHOLDER_TEXTS) or any(
        domain in lowered for domain in EXAMPLE_DOMAINS
    )


def _items(value: Any) -> Iterator[tuple[int, Any]]:
    return enumerate(value) if isinstance(value, list) else iter(())


def _cited_keys(data: dict[str, Any]) -> list[tuple[Loc, str]]:
    """Return every (location, source key) a record's values cite: each text item of a `sources` list
    anywhere below the top level, and of `described_from` (as Dataset.cited_keys does for a model)."""
    found: list[tuple[Loc, str]] = []

    def walk(value: Any, loc: Loc) -> None:  # only into mappings and lists: most values are text
        if isinstance(value, dict):
            for key, child in value.items():
                if (loc or key != "sources") and isinstance(child, (dict, list)):
                    walk(child, (*loc, key))
        elif isinstance(value, list):
            if loc and loc[-1] in ("sources", "described_from"):
                found.extend(((*loc, i), key) for i, key in enumerate(value) if isinstance(key, str))
            else:
                for i, item in enumerate(value):
                    if isinstance(item, (dict, list)):
                        walk(item, (*loc, i))

    walk(data, ())
    return found


def _check_stamp(record: Parsed, stamps: dict[str, Stamp], report: _Report) -> None:
    dataset: Dataset = record.model  # type: ignore[assignment]
    stamp = stamps.get(dataset.id)
    digest = record.dataset_hash()
    if stamp is None:
        message = "record has no entry in metadata/stamps.json; run `catalogue stamp` to record its dates"
        report(record, ("id",), "unstamped", message)
    elif stamp.content_hash != digest:
        message = "record changed since it was stamped; run `catalogue stamp` to record today as its modified date"
        report(record, ("id",), "stale-stamp", message)


# What every record shipped in metadata/ must have, though the model leaves it optional so that imported
# catalogues (staging/) still load: the day its facts were checked, at least one distribution, a media type
# for each, and for a series still published its latest edition's date or an unknown saying why not.
SHIPPING_RULES: tuple[tuple[str, str], ...] = (
    (
        "checked",
        "missing; add `checked: YYYY-MM-DD`, the day you last checked the record's facts against the publisher",
    ),
    (
        "distributions",
        "empty; add each file or page the publisher offers (title, format, media_type, access_url, download_url "
        "where there is a stable file link, licence, sources)",
    ),
)
_NO_MEDIA_TYPE = "missing; add the IANA media type of what the link gives (e.g. `media_type: text/csv`)"
_NO_LATEST = (
    "missing for a series still published (temporal_coverage.ongoing); add `releases: {last_updated: YYYY-MM-DD}`, "
    "the date of the latest edition, or say under `unknowns` (field: releases.last_updated) what you looked for"
)


def _record_gaps(dataset: Dataset) -> Iterator[tuple[str, str]]:
    """The shipped-record rules `dataset` breaks, as (field, advice)."""
    for name, advice in SHIPPING_RULES:
        if not getattr(dataset, name):
            yield name, advice
    for index, distribution in enumerate(dataset.distributions):
        if not distribution.media_type:
            yield f"distributions[{index}].media_type", _NO_MEDIA_TYPE
    ongoing = dataset.temporal_coverage.ongoing
    said = {unknown.field for unknown in dataset.unknowns} & {"releases", "releases.last_updated"}
    if ongoing and not (dataset.releases and dataset.releases.last_updated) and not said:
        yield "releases.last_updated", _NO_LATEST


def shipping_gaps(datasets: Iterable[Dataset], folder: str = "metadata/datasets") -> list[str]:
    """Return one `file:1:1: field: problem; what to do` line per shipped-record rule a record breaks, by id.

    Not part of `check_whole`: an imported record may lack these and still be valid; tests/test_shipped.py
    holds the shipped registry to them."""
    return [
        f"{folder}/{dataset.id}.yaml:1:1: {name}: {advice}"
        for dataset in sorted(datasets, key=lambda d: d.id)
        for name, advice in _record_gaps(dataset)
    ]
