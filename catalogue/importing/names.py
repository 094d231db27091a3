"""What remote text may become here: the one place where a remote identifier becomes a file name,
and the one place where remote text is made safe to print on a terminal.

A remote catalogue chooses its datasets' identifiers (a DCAT `dct:identifier`, a CKAN package
name). Used as a file name unchecked, `../pwned` or `/tmp/x` writes anywhere the user can, and an
id naming a local file has it read and printed as a diff. So an identifier becomes a file name only
through `safe_slug` (a slug as the model defines it, or refused) and `inside` (the path, links
resolved, is directly in its folder). And since a remote string can hold terminal escapes,
everything the import prints passes through `printable`.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from catalogue.importing.limits import ImportError_
from catalogue.records.values import SLUG_PATTERN

SLUG_MAX = 100
"""Longest slug (the model's `Slug`)."""

_SLUG = re.compile(SLUG_PATTERN)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# C0 and C1 controls but newline and tab, DEL, and the bidirectional overrides that reorder a line
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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
    shown = printable(repr(text)[:120])
    if _SLUG.fullmatch(text) and len(text) <= SLUG_MAX:
        return text
    if urlsplit(text).scheme in ("http", "https"):
        text = urlsplit(text).path.rstrip("/").rsplit("/", 1)[-1]
    if "/" in text or "\\" in text or text.startswith(".") or _UNPRINTABLE.search(text):
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
        raise Refused(f"{printable(repr(slug))}: not a slug; skipped")
    path = folder / f"{slug}{suffix}"
    if path.resolve().parent != folder.resolve():
        raise Refused(f"{path}: a link to {printable(str(path.resolve()))}, outside {folder}; skipped")
    return path


def printable(text: str) -> str:
    """Return `text` with terminal escapes and other control characters (but newlines and tabs)
    shown as `\\x1b`-style escapes, so remote text cannot rewrite the user's terminal."""
    return _UNPRINTABLE.sub(lambda match: ascii(match.group())[1:-1], text)


__all__ = ["Refused", "inside", "printable", "safe_slug"]
