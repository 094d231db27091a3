"""The one place where a remote identifier becomes a file name.

A remote catalogue chooses its datasets' identifiers (a DCAT `dct:identifier`, a CKAN package
name). Used as a file name unchecked, `../pwned` or `/tmp/x` writes anywhere the user can, and an
id naming a local file has it read and printed as a diff. So an identifier becomes a file name only
through `safe_slug` (a slug as the model defines it, or refused) and `inside` (the path, links
resolved, is directly in its folder). A remote string can hold terminal escapes too, so what the
import prints passes through the command's one `printable` (records/errors.py).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from catalogue.importing.limits import ImportError_
from catalogue.records.errors import printable
from catalogue.records.values import SLUG_PATTERN

SLUG_MAX = 100
"""Longest slug (the model's `Slug`)."""

_SLUG = re.compile(SLUG_PATTERN)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class Refused(ImportError_):
    """One dataset cannot be staged; the import goes on with the others, and exits 1 at the end."""


def safe_slug(remote: object) -> str:
    """Return the slug a remote identifier becomes, or raise Refused saying why it cannot be one.

    A slug as it is, is kept. Otherwise letters are lower-cased and every run of other characters
    becomes one hyphen (`NRM_Statistics 2024` -> `nrm-statistics-2024`); an http(s) address gives
    its last path segment. An identifier that looks like a path (a `/` or `\\`, a leading `.`) or
    holds control characters is refused, never cleaned: it is not a name someone chose for a dataset.
    """
    if remote is None or remote == "":
        raise Refused("a dataset with no identifier; skipped")
    text = str(remote).strip()
    shown = quoted(text)
    if _SLUG.fullmatch(text) and len(text) <= SLUG_MAX:
        return text
    if urlsplit(text).scheme in ("http", "https"):
        text = urlsplit(text).path.rstrip("/").rsplit("/", 1)[-1]
    if "/" in text or "\\" in text or text.startswith(".") or printable(text) != text:
        raise Refused(f"{shown}: an identifier that looks like a path or holds control characters; skipped")
    slug = _NOT_SLUG.sub("-", text.lower()).strip("-")
    if not slug:
        raise Refused(f"{shown}: no letters or digits to make a record id of; skipped")
    if len(slug) > SLUG_MAX:
        raise Refused(f"{shown}: longer than {SLUG_MAX} characters as a record id; skipped")
    return slug


def inside(folder: Path, slug: str, suffix: str = ".yaml") -> Path:
    """Return `folder/<slug><suffix>`, checked to be directly inside `folder` once links are resolved."""
    if not _SLUG.fullmatch(slug):
        raise Refused(f"{quoted(slug)}: not a slug; skipped")
    path = folder / f"{slug}{suffix}"
    if path.resolve().parent != folder.resolve():
        raise Refused(f"{path}: a link to {printable(str(path.resolve()))}, outside {folder}; skipped")
    return path


def quoted(text: object) -> str:
    """Remote text in quotes, for a message: at most 120 characters, no terminal escapes."""
    return f"'{printable(str(text)[:120])}'"


__all__ = ["Refused", "inside", "quoted", "safe_slug"]
