"""Write `metadata/stamps.json`: when each record first appeared and when its content last changed.

Why a committed file: a record's `metadata_modified` must be the same in every clone and every build
and move only when its content changes (harvesters sync on it). File times and git dates move on
whitespace edits and differ between clones; a content hash kept beside the date does neither.
This is the one place that writes into the registry folder, and only when a producer runs
`catalogue stamp`.
"""

from __future__ import annotations

import json
from pathlib import Path

from catalogue.records.registry import Registry, Stamp

STAMPS_FILE = "stamps.json"


def read_stamps(path: Path) -> dict[str, Stamp]:
    """Return the stamps in `path` by record id ({} if there is no file); ValueError if it is not readable."""
    if not path.is_file():
        return {}
    try:
        raw = json.loads(path.read_text("utf-8"))
        return {key: Stamp(value["created"], value["modified"], value["hash"]) for key, value in raw.items()}
    except RecursionError:  # json's decoder recurses once per level of nesting
        raise ValueError("nested far deeper than a stamps file is (one level of records, one of dates)") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from None


def write_stamps(registry: Registry) -> tuple[list[str], list[str]]:
    """Write the registry's (provisional) stamps; return the ids added and the ids changed."""
    path = Path(registry.root) / STAMPS_FILE
    try:
        old = {key: stamp.content_hash for key, stamp in read_stamps(path).items()}
    except ValueError:
        old = {}  # the loader reported it; stamping writes a good file
    added = [key for key in registry.stamps if key not in old]
    changed = [key for key, stamp in registry.stamps.items() if key in old and old[key] != stamp.content_hash]
    data = {
        key: {"created": stamp.created, "modified": stamp.modified, "hash": stamp.content_hash}
        for key, stamp in sorted(registry.stamps.items())
    }
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return added, changed


__all__ = ["STAMPS_FILE", "Stamp", "read_stamps", "write_stamps"]
