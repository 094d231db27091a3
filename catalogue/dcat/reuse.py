"""What the non-site outputs (DCAT files, quality scores, registry.json, CKAN dumps) may take from the previous build.

A one-record edit at 10,000 records left 9,999 datasets' outputs as they were, yet every step mapped,
scored and serialised all of them again (two and a half minutes). Each of those per-dataset outputs is
a function of: the record (its stamp's content hash, which the loader computes from the validated
model, and its created and modified dates), what every dataset shares (the catalogue record with the
base URI, the agents), and the code that writes it. `dataset_keys` hashes exactly those into one key a
dataset; a step keeps, in a manifest inside its output, each dataset's key beside what it wrote, and
the next build takes the previous build's bytes for every dataset whose key is unchanged.

A manifest is read as untrusted: anything unreadable, of another shape or another format means
nothing is reused, and each step checks the files it takes bytes from against the sizes the manifest
records (a truncated or replaced file is not used). Manifests hold no file times, so that an
incremental build writes the very bytes of a full one.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import orjson

from catalogue.records.registry import Registry, shared_key, source_hash

FORMAT = "catalogue-output-reuse 1"
_PACKAGE = Path(__file__).resolve().parents[1]


# The code these outputs are made by: the modules their steps run (build.py holds the registry.json writer and
# the quality step's scores). Not the whole package: a change to the server, the CLI or the site wrote every
# dataset's DCAT, CKAN and quality outputs again (about a minute at 10,000 records).
# tests/test_outputs_incremental.py runs the steps under a profiler and checks that every function they call
# is in here.
CODE_PATHS = (
    "__init__.py",
    "build.py",
    "layout.py",
    "parallel.py",
    "records",
    "dcat",
    "ckan",
    "quality",
)


@functools.cache
def code_hash() -> str:
    """The source of `CODE_PATHS`: any change to it writes every dataset's outputs again."""
    return source_hash(_PACKAGE, CODE_PATHS)


def dataset_keys(registry: Registry, output: str) -> dict[str, str]:
    """Each dataset's key for `output` (a step's name, so that two steps' keys never match)."""
    common = shared_key(registry, FORMAT, output, code_hash())
    keys = {}
    for dataset_id, stamp in registry.stamps.items():
        own = f"{common}\0{dataset_id}\0{stamp.created}\0{stamp.modified}\0{stamp.content_hash}"
        keys[dataset_id] = hashlib.sha256(own.encode()).hexdigest()
    return keys


def read_manifest(path: Path | None, output: str) -> dict[str, Any]:
    """The manifest at `path` if it is one of `output`'s in this format, else {} (nothing is reused)."""
    if path is None:
        return {}
    try:
        data = orjson.loads(path.read_bytes())  # orjson: json took 4 s for the manifests at 10,000 records
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != f"{FORMAT} {output}":
        return {}
    return data


def write_manifest(path: Path, output: str, data: dict[str, Any]) -> None:
    path.write_bytes(orjson.dumps({"format": f"{FORMAT} {output}", **data}))


def file_size(path: Path) -> int | None:
    """The size of a plain file at `path` (None if there is none)."""
    try:
        found = path.lstat()
    except OSError:
        return None
    return found.st_size if path.is_file() and not path.is_symlink() else None


DCAT = "dcat"
# A dataset the previous build's DCAT holds as this one would write it: the shared nodes it points at,
# and per format (start in the previous catalogue file, body length, size of its own file).
Kept = tuple[list[str], dict[str, tuple[int, int, int]]]


def _is_span(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(n, int) and n >= 0 for n in value)


def kept_datasets(previous: Path | None, keys: dict[str, str], extensions: tuple[str, ...]) -> dict[str, Kept]:
    """The datasets whose DCAT the previous build holds with the same key, checked against its files:
    each catalogue file of the size the manifest says, each span inside it and of the body's length, each
    dataset file of the size it had when written. {} if `previous` is None or its manifest is not one."""
    from catalogue.layout import BuildLayout

    if previous is None:
        return {}
    layout = BuildLayout(previous)
    manifest = read_manifest(layout.dcat_reuse, DCAT)
    files, datasets = manifest.get("files"), manifest.get("datasets")
    try:
        index: Any = orjson.loads(layout.dcat_index.read_bytes())
    except (OSError, ValueError):
        return {}
    if not (isinstance(files, dict) and isinstance(datasets, dict) and isinstance(index, dict)):
        return {}
    order, spans = index.get("order"), index.get("spans")
    if not (isinstance(order, list) and isinstance(spans, dict)):
        return {}
    sizes = {ext: file_size(layout.catalog(ext)) for ext in extensions}
    if any(sizes[ext] is None or sizes[ext] != files.get(ext) for ext in extensions):
        return {}
    if any(not isinstance(spans.get(ext), list) or len(spans[ext]) != len(order) for ext in extensions):
        return {}
    kept: dict[str, Kept] = {}
    for position, dataset_id in enumerate(order):
        entry = datasets.get(dataset_id) if isinstance(dataset_id, str) else None
        if not (isinstance(entry, list) and len(entry) == 3 and keys.get(dataset_id) == entry[0]):
            continue
        uses, lengths = entry[1], entry[2]
        if not (isinstance(uses, list) and all(isinstance(u, str) for u in uses) and isinstance(lengths, dict)):
            continue
        found = {}
        for ext in extensions:
            span, length = spans[ext][position], lengths.get(ext)
            if not (_is_span(span) and _is_span(length)):
                break
            (start, end), (size, body) = span, length  # type: ignore[misc]  # _is_span checked both
            own_size = file_size(layout.dataset_file(dataset_id, ext))
            if end - start != body or end > (sizes[ext] or 0) or own_size != size:
                break
            found[ext] = (start, body, size)
        else:
            kept[dataset_id] = (uses, found)
    return kept


def kept_spans(manifest: Path | None, file: Path, output: str, keys: dict[str, str]) -> dict[str, bytes]:
    """For an output file made of per-dataset runs of bytes (registry.json, datasets.jsonl): the previous
    file's run of each dataset whose key its manifest (`{"size": n, "spans": {id: [key, start, end]}}`)
    holds, if the file has the size the manifest says. The caller checks each run's shape."""
    data = read_manifest(manifest, output)
    spans, size = data.get("spans"), data.get("size")
    if not isinstance(spans, dict) or not isinstance(size, int) or file_size(file) != size:
        return {}
    try:
        found = file.read_bytes()
    except OSError:
        return {}
    kept = {}
    for dataset_id, key in keys.items():
        entry = spans.get(dataset_id)
        if isinstance(entry, list) and len(entry) == 3 and entry[0] == key:
            start, end = entry[1], entry[2]
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(found):
                kept[dataset_id] = found[start:end]
    return kept
