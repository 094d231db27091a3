"""Read Action API parameters as CKAN's validators do, with CKAN's messages: a bad value is a 409
Validation Error naming the parameter, never a server error."""

from __future__ import annotations

import re
from typing import Any

import orjson

# An integer as text: ASCII digits and a sign only (int() also takes "1_000", " 5 " and other scripts' digits)
_INTEGER = re.compile(r"[+-]?[0-9]+")


class ActionError(Exception):
    """An error CKAN answers in its envelope."""

    def __init__(
        self, status: int, kind: str, message: str | None = None, fields: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message or kind)
        self.status, self.kind, self.message, self.fields = status, kind, message, fields


def validation(field: str, message: str) -> ActionError:
    return ActionError(409, "Validation Error", fields={field: [message]})


def natural(params: dict[str, Any], name: str, default: int | None) -> int | None:
    """CKAN's natural_number_validator: whole numbers from 0 up, else 409 with its message."""
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or (isinstance(value, str) and not _INTEGER.fullmatch(value)):
        raise validation(name, "Invalid integer")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise validation(name, "Invalid integer") from None
    if isinstance(value, float) and value != number:
        raise validation(name, "Invalid integer")
    if number < 0:
        raise validation(name, "Must be a natural number")
    return number


def boolean(params: dict[str, Any], name: str, default: bool) -> bool:
    value = params.get(name, default)
    if isinstance(value, bool):
        return value
    if not isinstance(value, str):  # JSON 0, 1, {} ...: only true and false are booleans
        raise validation(name, "Value must be one of [True, False]")
    text = value.lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise validation(name, "Value must be one of [True, False]")


def json_list(params: dict[str, Any], name: str) -> list[str]:
    value = params.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            raise validation(name, "Could not parse as valid JSON") from None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise validation(name, "Not a list of strings")
    return value


def text(params: dict[str, Any], name: str, default: str = "") -> str:
    value = params.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):  # a JSON number, true or a list is not text (the OpenAPI says string)
        raise validation(name, "Must be a string")
    return str(value)


def integer(params: dict[str, Any], name: str, default: int) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise validation(name, "Invalid integer")
    if isinstance(value, str) and not _INTEGER.fullmatch(value):
        raise validation(name, "Invalid integer")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise validation(name, "Invalid integer") from None
