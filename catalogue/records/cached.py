"""Validated records kept from an earlier load, so a rebuild parses and validates only the files that changed.

At 10,000 records reading the YAML and validating it took most of a build's first half minute, and a
live preview paid it again for every saved file. A record's validated model is a function of its file's
bytes and of the code that reads it, so it is kept under the SHA-256 of those bytes, in one file whose
header names the code (a hash of the records package's source, pydantic's and Python's versions): other
code, or other bytes, and the entry is not used.

The file is read as untrusted. It is a pickle (rebuilding 10,000 models from it takes a fraction of
validating them again), read by an unpickler that can only rebuild the record model's own classes, so a
foreign or tampered file cannot run code; anything unreadable, of another format or another code
version is ignored whole (the load starts from the YAML, and the file is rewritten after it). The cache is
`SHARDS` such files (`<path>.00` ...), each holding the entries whose key falls to it; each is read, checked
and rewritten on its own. Only
records that loaded without a problem are kept: a record with problems is always read again, so its
errors are reported with their lines.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import sys
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic
import yaml
from pydantic import BaseModel

from catalogue.records import model as record_model
from catalogue.records.checks import Parsed
from catalogue.records.model import Strict

FORMAT = "catalogue-record-cache 3"  # 2: a dataset keeps only the values of CHECKED_FIELDS; 3: in SHARDS files
MAX_BYTES = 2 * 1024 * 1024 * 1024  # a larger file is not ours (10,000 records take about 400 MB in all)
# The entries are spread over this many files by their key, and a save rewrites only the files whose entries
# changed: one file of every record took 7 s to rewrite at 10,000 records after a one-record edit.
SHARDS = 16


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % SHARDS


@dataclass(frozen=True)
class Entry:
    """One record as an earlier load validated it: its file's hash, its values as read, its model, and
    (a dataset's, once computed) its content hash."""

    digest: str
    data: dict[str, Any]
    model: Strict
    content_hash: str | None


def code_version() -> str:
    """What the cached models depend on besides the files: the source of the package that reads and
    validates them (model, values, vocabularies, loader ...), and the versions of pydantic, PyYAML (and
    whether its C parser is there) and Python."""
    versions = f"{pydantic.VERSION} {yaml.__version__} {yaml.__with_libyaml__} {sys.version}"
    digest = hashlib.sha256(versions.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _ModelsOnly(pickle.Unpickler):
    """Rebuilds nothing but the record model's classes: a cache file cannot name any other callable."""

    def find_class(self, module: str, name: str) -> Any:
        found = getattr(record_model, name, None) if module == record_model.__name__ else None
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a record model class")


class RecordCache:
    """The cache file at `path`: entries read from it (`get`), and this load's records, kept for the next load
    once the whole load succeeds (`note`, `commit`, `save`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.code = code_version()
        self.found: dict[str, Entry] = self._read()
        self.read: dict[str, tuple[str, Parsed]] = {}  # this load's records that had no problem of their own
        self.kept: dict[str, Entry] = {}
        self.hits = 0

    def shard_path(self, shard: int) -> Path:
        return self.path.with_name(f"{self.path.name}.{shard:02d}")

    def _read(self) -> dict[str, Entry]:
        found: dict[str, Entry] = {}
        for shard in range(SHARDS):
            found |= self._read_shard(shard)
        return found

    def _read_shard(self, shard: int) -> dict[str, Entry]:
        """One file's entries, or none if it is missing, unreadable, too large, not this code's, or holds
        entries of another shard."""
        path = self.shard_path(shard)
        try:
            if path.stat().st_size > MAX_BYTES:
                return {}
            raw = path.read_bytes()
        except OSError:
            return {}
        try:
            with no_gc():
                loaded = _ModelsOnly(io.BytesIO(raw)).load()
        except Exception:  # any damage at all: a truncated, foreign or hostile file is only a cache miss
            return {}
        if not (isinstance(loaded, dict) and loaded.get("format") == FORMAT and loaded.get("code") == self.code):
            return {}
        records = loaded.get("records")
        if not isinstance(records, dict):
            return {}
        return {
            key: Entry(digest, data, instance, hashed)
            for key, value in records.items()
            if isinstance(key, str)
            and shard_of(key) == shard
            and isinstance(value, tuple)
            and len(value) == 4
            and isinstance((digest := value[0]), str)
            and isinstance((data := value[1]), dict)
            and isinstance((instance := value[2]), Strict)
            and isinstance((hashed := value[3]), (str, type(None)))
        }

    def get(self, key: str, digest: str, model: type[BaseModel]) -> Entry | None:
        entry = self.found.get(key)
        if entry is None or entry.digest != digest or type(entry.model) is not model:
            return None
        self.hits += 1
        return entry

    def note(self, key: str, digest: str, parsed: Parsed) -> None:
        """Remember a record read in this load, to keep it if the whole load succeeds (`commit`)."""
        self.read[key] = (digest, parsed)

    def commit(self) -> None:
        """The load found no problem anywhere: keep every record it read (a record a later load takes
        from here is not checked alone again, so nothing with a problem may be kept)."""
        self.kept = {
            key: Entry(digest, _slim(parsed.data, parsed.model), parsed.model, parsed.content_hash)
            for key, (digest, parsed) in self.read.items()
            if parsed.model is not None
        }

    def save(self) -> None:
        """Write the entries `commit` kept, each file atomically (a reader never sees half a file); a cache
        that cannot be written is no error (the next load reads the YAML). A file whose entries this load
        used unchanged, with none added or gone, is left as it is."""
        if not self.kept:
            return
        kept: list[dict[str, Entry]] = [{} for _ in range(SHARDS)]
        found: list[dict[str, Entry]] = [{} for _ in range(SHARDS)]
        for key, entry in self.kept.items():
            kept[shard_of(key)][key] = entry
        for key, entry in self.found.items():
            found[shard_of(key)][key] = entry
        for shard in range(SHARDS):
            if _summary(kept[shard]) != _summary(found[shard]):
                self._write(shard, kept[shard])
        if self.path.is_file():  # the one file this cache was before it had shards: no reader uses it now
            self.path.unlink(missing_ok=True)

    def _write(self, shard: int, entries: dict[str, Entry]) -> None:
        records = {key: (entry.digest, entry.data, entry.model, entry.content_hash) for key, entry in entries.items()}
        payload = {"format": FORMAT, "code": self.code, "records": records}
        path = self.shard_path(shard)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(handle, "wb") as out:
                pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(name, path)
        except OSError:
            if "name" in locals():
                Path(name).unlink(missing_ok=True)


# What the checks across records still read of a dataset taken from the cache (checks.py `_check_references`,
# and its id): the rest of its values are in its model. Keeping them all doubled the file (417 MB at
# 10,000 records) and the time to read it.
CHECKED_FIELDS = ("id", "publisher", "creator", "themes", "related")


def _slim(data: dict[str, Any], instance: Strict) -> dict[str, Any]:
    if not isinstance(instance, record_model.Dataset):
        return data
    return {name: data[name] for name in CHECKED_FIELDS if name in data}


def _summary(entries: dict[str, Entry]) -> dict[str, tuple[str, str | None]]:
    return {key: (entry.digest, entry.content_hash) for key, entry in entries.items()}


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic collector paused while many objects are made at once (it ran dozens of times over
    objects that all live on, a third of the time taken); nothing made here is garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
