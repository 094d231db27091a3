"""Stage imported records as YAML, and compare them with the registry's: the toolbox the CKAN
importer (ckan.py) and the DCAT importer (dcat.py) share.

Records already in `metadata/` are never overwritten: `Stager.stage` shows a diff; `--into metadata`
writes only new records. Records are written with their keys in the model's order, as producers
write them (`ordered`); a key the model does not know goes last, never dropped, so validation
names it.
"""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from catalogue.dcat.reader import align_order
from catalogue.importing.names import Refused, inside, quoted, safe_slug
from catalogue.importing.shape import as_model, unwrap
from catalogue.records.errors import RecordErrors, printable
from catalogue.records.loader import load_dataset_file
from catalogue.records.model import Dataset


@dataclass
class Imported:
    record: dict[str, Any]
    unmapped: list[str] = field(default_factory=list)
    problem: str | None = None  # why this dataset cannot be staged (staging refuses it, saying so)


def key_order(model: type[BaseModel] = Dataset) -> tuple[str, ...]:
    """Return the order of a record's top-level keys: the model's fields, as producers write them."""
    return tuple(model.model_fields)


ORDER = key_order(Dataset)


def ordered(record: dict[str, Any], model: type[BaseModel] = Dataset) -> dict[str, Any]:
    """Return `record` with its keys in `model`'s order, nested models' keys too, None values left out
    (a record leaves out what it does not know). Keys the model lacks go last."""
    fields = model.model_fields
    keys = [key for key in fields if key in record] + [key for key in record if key not in fields]
    return {
        key: _ordered_value(record[key], fields[key].annotation if key in fields else None)
        for key in keys
        if record[key] is not None
    }


def _ordered_value(value: Any, annotation: Any) -> Any:
    annotation = unwrap(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list and isinstance(value, list):
        return [_ordered_value(item, args[0]) for item in value]
    if origin is dict and isinstance(value, dict):
        return {key: _ordered_value(item, args[1]) for key, item in value.items() if item is not None}
    model = as_model(annotation)
    if model is not None and isinstance(value, dict):
        return ordered(value, model)
    return _without_nulls(value)


def _without_nulls(value: Any) -> Any:
    """Drop keys whose value is None: a record leaves out what it does not know."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def to_yaml(record: dict[str, Any], *, sort_keys: bool = False) -> str:
    return yaml.safe_dump(record, sort_keys=sort_keys, allow_unicode=True, width=100)


@dataclass
class Staged:
    """What happened to one imported record."""

    id: str
    status: str  # "new", "changed" or "same"
    diff: str = ""
    written: bool = False
    renamed_from: str | None = None  # the remote identifier, when it was not a slug as it was


class Stager:
    """Stages the records of one import: each under the file name `names.safe_slug` gives it, checked
    to stay inside its folder (`names.inside`), and each name once (a second dataset that would
    take an earlier one's file is refused, not written over it)."""

    def __init__(self, metadata: Path, staging: Path, into: Path | None) -> None:
        self.metadata, self.staging, self.into = metadata, staging, into
        self.taken: set[str] = set()

    def stage(self, imported: Imported) -> Staged:
        """Write `imported` into the staging folder; compare it with the registry's record of the same
        id, if any. Raises names.Refused for a dataset whose identifier cannot be a file name here.

        Repeated values that RDF or CKAN return in another order follow the record on disk, so an
        unchanged record gives an empty diff. Only a new record is ever written into `into`.
        """
        if imported.problem:
            raise Refused(printable(imported.problem))
        remote = imported.record.get("id")
        name = safe_slug(remote)
        if name in self.taken:
            raise Refused(f"{quoted(remote)}: a second dataset with the record id {name}; skipped")
        existing = inside(self.metadata / "datasets", name)
        staged = inside(self.staging, name)
        target = inside(self.into / "datasets", name) if self.into is not None else None
        self.taken.add(name)
        record = ordered({**imported.record, "id": name})
        current: Dataset | None = None
        if existing.exists():
            try:
                current = load_dataset_file(existing)
                record = ordered(align_order(record, current.model_dump(mode="json")))
            except RecordErrors:
                pass  # a record that does not validate is compared as text
        text = to_yaml(record)
        staged.write_text(text, encoding="utf-8")
        renamed = str(remote) if remote != name else None
        if existing.exists():
            changes = diff(existing, current, record)
            return Staged(name, "changed" if changes else "same", changes, renamed_from=renamed)
        if target is not None and not target.exists():
            target.write_text(text, encoding="utf-8")
            return Staged(name, "new", written=True, renamed_from=renamed)
        return Staged(name, "new", renamed_from=renamed)


def diff(existing: Path, current: Dataset | None, imported: dict[str, Any]) -> str:
    """Return a unified diff between the record at `existing` (`current`, as the model read it, or
    None if it does not validate) and the imported one, both as the model reads them (so formatting,
    comments and YAML spelling make no difference); empty if they say the same."""
    # keys sorted on both sides: mappings (sources, quality) have no order that matters
    if current is not None:
        old = to_yaml(current.model_dump(mode="json", exclude_defaults=True), sort_keys=True)
    else:
        old = existing.read_text(encoding="utf-8")
    try:
        new = to_yaml(Dataset.model_validate(imported).model_dump(mode="json", exclude_defaults=True), sort_keys=True)
    except ValidationError:
        new = to_yaml(imported, sort_keys=True)
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), fromfile=str(existing), tofile="imported"
        )
    )
