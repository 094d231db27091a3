"""The producers' schema reference, generated from the model's field descriptions."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from catalogue.records import vocabularies
from catalogue.records.model import Agent, CatalogueInfo, Dataset


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is list:
        return f"list of {_type_name(args[0])}"
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if args and origin is not None:
        return " or ".join(_type_name(a) for a in args)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return {str: "text", int: "whole number", float: "number", bool: "true or false"}.get(annotation, str(annotation))


def _models(root: type[BaseModel], seen: list[type[BaseModel]]) -> list[type[BaseModel]]:
    if root in seen:
        return seen
    seen.append(root)
    for info in root.model_fields.values():
        for arg in _flatten(info.annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                _models(arg, seen)
    return seen


def _flatten(annotation: Any) -> list[Any]:
    args = typing.get_args(annotation)
    return [annotation] if not args else [leaf for arg in args for leaf in _flatten(arg)]


def schema_reference_page() -> str:
    """Return the schema reference: every model, every field, its type, whether required, what it holds."""
    out = [
        "# Record schema reference\n",
        "Generated from the model (`catalogue/records/model.py`); `catalogue schema` prints the same as JSON Schema. "
        "Unknown fields are errors. Dates are `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.\n",
    ]
    models: list[type[BaseModel]] = [*_models(Dataset, []), Agent, CatalogueInfo, *_models(CatalogueInfo, [])[1:]]
    for model in models:
        out.append(f"## {model.__name__}\n")
        out.append("| Field | Type | Required | What it holds |\n|---|---|---|---|")
        for name, info in model.model_fields.items():
            required = "yes" if info.is_required() else "no"
            description = (info.description or "").replace("|", "\\|")
            out.append(f"| `{name}` | {_type_name(info.annotation)} | {required} | {description} |")
        out.append("")
    out.append("## Controlled vocabularies\n")
    for title, vocabulary in [
        ("frequency", vocabularies.FREQUENCIES),
        ("spatial", vocabularies.GEOGRAPHIES),
        ("statistics_status.status", vocabularies.STATISTICS_STATUSES),
        ("access.level", vocabularies.ACCESS_LEVELS),
        ("unit_of_measure", vocabularies.UNITS),
        ("breakdowns[].dimension", vocabularies.DIMENSIONS),
        ("caveats[].severity", vocabularies.CAVEAT_SEVERITIES),
        ("related[].relation", vocabularies.RELATIONS),
        ("data_linkage[].status", vocabularies.LINKAGE_STATUSES),
        ("distributions[].format", vocabularies.FILE_TYPES),
        ("licence", vocabularies.LICENCES),
        ("agent type", vocabularies.AGENT_TYPES),
    ]:
        out.append(f"### `{title}`\n")
        out.append(
            "\n".join(
                f"- `{slug}`: {term.label}" + (f" (<{term.uri}>)" if term.uri else "")
                for slug, term in vocabulary.items()
            )
            + "\n"
        )
    return "\n".join(out)
