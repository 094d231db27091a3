"""Pydantic's validation errors in a producer's words: the file, line and field of each, with what would be valid.

Apart from the loader (which reads files) because it is only about wording: a misspelt field gets a
"did you mean", a missing one says what it should hold, a value of the wrong shape says which shape.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from catalogue.records.errors import RecordError
from catalogue.records.model import Strict
from catalogue.records.suggest import closest
from catalogue.records.yamlnodes import dotted, position

_SHAPES = {dict: "a mapping", list: "a list", str: "a single value", type(None): "nothing"}

_MESSAGES = {
    "missing": ("missing-field", "required field is missing"),
    "string_too_short": ("empty", "must not be empty"),
    "too_short": ("too-few", "needs at least {min_length} item(s)"),
    "string_too_long": ("too-long", "is {length} characters; at most {max_length} allowed"),
    "string_pattern_mismatch": (
        "bad-slug",
        "{input!r} is not a slug (lowercase letters, digits and single hyphens, e.g. 'nrm-statistics')",
    ),
    "bool_parsing": ("bad-boolean", "{input!r} is not true or false"),
    "float_parsing": ("bad-number", "{input!r} is not a number (write digits only, e.g. 4746 or 58.5)"),
    "int_parsing": ("bad-number", "{input!r} is not a whole number"),
    "finite_number": ("bad-number", "{input!r} is not a number that can be published (write digits, e.g. 4746)"),
    "greater_than_equal": ("too-small", "{input!r} must be {ge} or more"),
}


def validation_errors(shown: str, node: yaml.Node, model: type[Strict], exc: ValidationError) -> list[RecordError]:
    """Return pydantic's errors as RecordErrors. A misspelt field name is one problem: its "did you
    mean" names the field, and that field's "required field is missing" is left out."""
    found = []
    errors = exc.errors(include_url=False)
    missing = {tuple(error["loc"]) for error in errors if error["type"] == "missing"}
    meant = set()
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            suggestion = closest(str(loc[-1]), [str(step[-1]) for step in missing if step[:-1] == loc[:-1]])
            if suggestion is not None:
                meant.add((*loc[:-1], suggestion))
    for error in errors:
        loc = tuple(error["loc"])
        if loc in meant:
            continue
        kind, message = _translate(error, model, loc)
        line, column = position(node, loc, key=kind == "unknown-field")
        found.append(RecordError(shown, line, column, dotted(loc), kind, message))
    return found


def _translate(error: Any, model: type[Strict], loc: tuple[str | int, ...]) -> tuple[str, str]:
    kind: str = error["type"]
    ctx = dict(error.get("ctx") or {})
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        suggestion = closest(str(loc[-1]), allowed)
        hint = f"did you mean {suggestion!r}?" if suggestion else f"valid fields here: {', '.join(allowed)}"
        return "unknown-field", f"unknown field; {hint}"
    if kind in (
        "string_type",
        "list_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
        "bool_type",
        "float_type",
        "int_type",
    ):
        expected = {
            "list_type": "a list (one '- item' per line)",
            "dict_type": "a mapping (key: value)",
            "model_type": "a mapping (key: value)",
            "model_attributes_type": "a mapping (key: value)",
        }.get(kind, "a single value")
        return "wrong-shape", f"expected {expected}, found {_SHAPES.get(type(value), 'something else')}"
    if kind == "missing":
        about = _field_description(model, loc)
        return "missing-field", f"required field is missing ({about})" if about else "required field is missing"
    if kind in _MESSAGES:
        slug, template = _MESSAGES[kind]
        if "length" in template and isinstance(value, str):
            ctx["length"] = len(value)
        return slug, template.format(input=value, **ctx)
    # our own validators (unknown_term, bad_date, end_before_start ...) already word their message
    return kind.replace("_", "-"), str(error["msg"])


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """Return the field names allowed at `loc` inside `model`."""
    current: Any = model
    for step in loc:
        if isinstance(step, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        info = current.model_fields.get(step)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _field_description(model: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    """Return the description of the field at `loc`, to say what a missing field should hold."""
    current: Any = model
    info = None
    for step in loc:
        if isinstance(step, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return ""
        info = current.model_fields.get(step)
        if info is None:
            return ""
        current = _inner_model(info.annotation)
    description = (info.description or "") if info else ""
    return description.rstrip(".")


def _inner_model(annotation: Any) -> Any:
    """Return the model class inside Optional[...], list[...] or dict[..., ...], if there is one."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if origin in (list, dict, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if inner is not None:
                return inner
    return None
