"""Does every output handle every field of the record model? `gaps` names each field an output
would drop: the DCAT mapping (a row of dcat/fields.py or a section of dcat/sections/), CKAN
(a key of its own or a JSON extra), the import's key order, and the producers' schema reference.

It lives here, in the importers' layer, because it is the lowest layer that sees both DCAT and
CKAN (the outputs never import each other). tests/test_new_field.py runs it on the real model and
on a model with a field more.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from catalogue.ckan.packages import CKAN_FIELDS, extra_fields
from catalogue.dcat.fields import FIELDS, Row
from catalogue.dcat.sections import SECTIONS, Section
from catalogue.importing.shape import as_model, leaf_paths, unwrap
from catalogue.importing.staging import key_order
from catalogue.records.model import Dataset
from catalogue.records.schema_docs import schema_reference_page

DCAT = "DCAT (dcat/fields.py or dcat/sections/)"
CKAN = "CKAN (ckan/packages.py: CKAN_FIELDS or extra_fields)"
IMPORT = "import key order (importing/staging.py: key_order)"
SCHEMA = "schema reference (records/schema_docs.py)"


@dataclass(frozen=True)
class Gap:
    field: str  # a path, as in importing/shape.py
    output: str
    why: str

    def __str__(self) -> str:
        return f"{self.field}: {self.output}: {self.why}"


def gaps(
    model: type[BaseModel] = Dataset, fields: Iterable[Row] = FIELDS, sections: Sequence[Section] = SECTIONS
) -> list[Gap]:
    """Return every (field, output) where `model`'s field is not handled, in model order."""
    fields = tuple(fields)
    return [*_dcat_gaps(model, fields, sections), *_record_gaps(model), *_schema_gaps(model)]


def _dcat_gaps(model: type[BaseModel], fields: tuple[Row, ...], sections: Sequence[Section]) -> list[Gap]:
    paths = leaf_paths(model)
    mapped = {row.path for row in fields} | {claim for section in sections for claim in section.claims}
    found = [Gap(path, DCAT, "no row and no section maps it") for path in paths if path not in mapped]
    found += [Gap(path, DCAT, "mapped, but the model has no such field") for path in sorted(mapped - set(paths))]
    return found + [gap for row in fields if (gap := _row_shape_gap(model, row))]


def _row_shape_gap(model: type[BaseModel], row: Row) -> Gap | None:
    """A row writes one triple per item of a list field (`each`), one for any other field (`one`)."""
    annotation = _annotation(model, row.path)
    if annotation is None:
        return None
    is_list = typing.get_origin(unwrap(annotation)) is list
    if is_list == row.many:
        return None
    return Gap(row.path, DCAT, f"the row says many={row.many}, but the field {'is' if is_list else 'is not'} a list")


def _record_gaps(model: type[BaseModel]) -> list[Gap]:
    """CKAN and the import handle top-level fields: a nested field travels inside its parent."""
    extras, order = set(extra_fields(model)), set(key_order(model))
    found = []
    for name in model.model_fields:
        if name not in extras and name not in CKAN_FIELDS:
            found.append(Gap(name, CKAN, "neither a CKAN key nor an extra"))
        if name not in order:
            found.append(Gap(name, IMPORT, "imported records would leave it out"))
    return found


def _schema_gaps(model: type[BaseModel]) -> list[Gap]:
    """Each field needs a description, and a row under its model's heading in the reference page."""
    page = _sections_of(schema_reference_page())
    found = []
    for owner_path, owner in _models(model, ""):
        for name, info in owner.model_fields.items():
            declared_by = next(cls for cls in owner.__mro__ if name in inspect.get_annotations(cls))
            if f"| `{name}` |" not in page.get(declared_by.__name__, ""):
                found.append(Gap(owner_path + name, SCHEMA, f"no row under '## {declared_by.__name__}'"))
            elif not info.description:
                found.append(Gap(owner_path + name, SCHEMA, "no description (the 'What it holds' column)"))
    return found


def _models(model: type[BaseModel], prefix: str) -> list[tuple[str, type[BaseModel]]]:
    """`model` and every model nested in it, each with the path prefix of its fields."""
    found = [(prefix, model)]
    for name, info in model.model_fields.items():
        annotation = unwrap(info.annotation)
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        inner, mark = (as_model(args[0]), "[]") if origin is list else (as_model(annotation), "")
        if origin is dict:
            inner, mark = as_model(args[1]), "{}"
        if inner is not None:
            found += _models(inner, f"{prefix}{name}{mark}.")
    return found


def _annotation(model: type[BaseModel], path: str) -> object | None:
    """The annotation of the field at a dotted path (no list or mapping steps), or None."""
    *parents, name = path.split(".")
    for parent in parents:
        info = model.model_fields.get(parent)
        inner = as_model(info.annotation) if info else None
        if inner is None:
            return None
        model = inner
    info = model.model_fields.get(name)
    return info.annotation if info else None


def _sections_of(page: str) -> dict[str, str]:
    """The reference page's `## Model` sections, by model name."""
    return {part.split("\n", 1)[0].strip(): part for part in page.split("\n## ")[1:]}


__all__ = ["CKAN", "DCAT", "IMPORT", "SCHEMA", "Gap", "gaps"]
