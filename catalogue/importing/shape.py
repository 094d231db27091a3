"""What the model says of a field's shape, for the code that walks records by their model: the
import's key order (staging.py) and the check that every output handles every field (coverage.py).

Paths name fields as dcat/sections/base.py does: `a.b` a field of a nested model, `a[].b` a field of
each list item, `a{}.b` a field of each value of a mapping.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel


def unwrap(annotation: Any) -> Any:
    """Strip `Annotated[...]` and `| None` from a field's annotation."""
    while True:
        origin = typing.get_origin(annotation)
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if origin is typing.Annotated or (origin in (typing.Union, types.UnionType) and len(args) == 1):
            annotation = args[0]
        else:
            return annotation


def as_model(annotation: Any) -> type[BaseModel] | None:
    annotation = unwrap(annotation)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def leaf_paths(model: type[BaseModel], prefix: str = "") -> list[str]:
    """Return the path of every field of `model` that holds no model, nested models walked, in model order."""
    paths = []
    for name, info in model.model_fields.items():
        path, annotation = f"{prefix}{name}", unwrap(info.annotation)
        origin = typing.get_origin(annotation)
        if origin is list and (inner := as_model(typing.get_args(annotation)[0])):
            paths += leaf_paths(inner, f"{path}[].")
        elif origin is dict and (inner := as_model(typing.get_args(annotation)[1])):
            paths += leaf_paths(inner, f"{path}{{}}.")
        elif inner := as_model(annotation):
            paths += leaf_paths(inner, f"{path}.")
        else:
            paths.append(path)
    return paths
