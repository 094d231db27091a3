"""Read `metadata/` into a validated Registry, or raise RecordErrors listing every problem at once.

The only module that reads records. It never writes to `metadata/`.
"""

from __future__ import annotations

import gc
import os
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from catalogue import parallel
from catalogue.records.cached import RecordCache, file_digest, no_gc
from catalogue.records.checks import Folder, Loc, Parsed, check_whole, own_problems, theme_ids
from catalogue.records.errors import RecordError, RecordErrors
from catalogue.records.field_errors import validation_errors
from catalogue.records.model import Agent, CatalogueInfo, Dataset, Strict
from catalogue.records.registry import Registry, Stamp, content_hash, provisional_stamps
from catalogue.records.stamps import STAMPS_FILE, read_stamps
from catalogue.records.values import SLUG_PATTERN
from catalogue.records.yamlnodes import Problem, YamlProblem, compose, position, to_python

RECORD_SUFFIXES = (".yaml", ".yml")


def load_registry(root: Path | str = "metadata", *, check_stamps: bool = True, cache: Path | None = None) -> Registry:
    """Return the registry under `root`, or raise RecordErrors with every problem found.

    With `check_stamps=False` (for `catalogue stamp` and live previews) a record whose stamp is
    missing or out of date is given a provisional one dated now instead of being an error.
    With `cache` (a file, see cached.py) records whose files are unchanged since the load that wrote it
    are taken from it instead of being parsed and validated again; the file is then brought up to date.
    """
    root = Path(root)
    if not root.is_dir():
        raise RecordErrors([RecordError(str(root), 1, 1, "", "no-registry", "no such folder; expected metadata/")])
    # the cyclic collector paused throughout: it ran over the records already made again and again, more
    # often the more there were (at 10,000 cached records, a fifth of the load), and they are all kept
    with no_gc():
        kept = RecordCache(cache) if cache is not None else None
        try:
            registry = _load(root, check_stamps, kept, keep_nodes=False)
        except RecordErrors:
            # a record read without problems kept no YAML nodes (nor has a cached one) to place an error
            # at: read every file again, keeping them, for the report
            return _load(root, check_stamps, None, keep_nodes=True)
        if kept is not None:
            kept.commit()
            kept.save()
        _promote()
        return registry


def _promote() -> None:
    """Move every object the load made into the collector's oldest generation, as if it had survived
    the young ones: the first collections after a load went over each of them (2-3 s at 10,000 records,
    in whatever ran next), twice. Freezing and unfreezing moves them without looking at them; objects
    someone else froze are left frozen (unfreezing would move those too)."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _load(root: Path, check_stamps: bool, cache: RecordCache | None, *, keep_nodes: bool) -> Registry:
    """One reading of the registry. Without `keep_nodes` a record read without a problem drops its YAML
    node tree (the nodes of 10,000 records took a gigabyte), so an error the checks across records find
    in it cannot be placed: the caller reads again with them."""
    errors: list[RecordError] = []
    display = _display_name(root)
    catalogue = _read(root / "catalogue.yaml", CatalogueInfo, display, errors, cache=cache, keep_nodes=keep_nodes)
    agents = _read_folder(root / "agents", Agent, display, errors, cache, keep_nodes)
    datasets = _read_folder(root / "datasets", Dataset, display, errors, cache, keep_nodes)

    stamps = _read_stamps(root / STAMPS_FILE, display, errors)
    check_whole(catalogue, agents, datasets, stamps if check_stamps else None, errors, display)
    if errors or catalogue is None:
        raise RecordErrors(errors)
    if not check_stamps:
        stamps = provisional_stamps({key: p.dataset_hash() for key, p in datasets.records.items()}, stamps)
    return Registry(
        root=str(root),
        catalogue=catalogue.model,  # type: ignore[arg-type]
        agents={key: agents.records[key].model for key in sorted(agents.records)},  # type: ignore[misc]
        datasets={key: datasets.records[key].model for key in sorted(datasets.records)},  # type: ignore[misc]
        stamps={key: stamps[key] for key in sorted(datasets.records) if key in stamps},
    )


def _display_name(root: Path) -> str:
    try:
        return str(root.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(root)


# --- one file -----------------------------------------------------------------------------------------


def _read_folder(
    folder: Path,
    model: type[Strict],
    display: str,
    errors: list[RecordError],
    cache: RecordCache | None,
    keep_nodes: bool = True,
) -> Folder:
    """Read every record in `folder`. A record with problems stays in the result (without a model)
    under its file name, so the checks across records neither miss it nor report knock-on errors."""
    found = Folder(folder.name)
    if not folder.is_dir():
        errors.append(RecordError(f"{display}/{folder.name}", 1, 1, "", "missing-folder", "folder is missing"))
        return found
    seen: dict[str, str] = {}
    wanted: list[tuple[Path, str]] = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in RECORD_SUFFIXES or path.name.startswith("."):
            continue
        shown = f"{display}/{folder.name}/{path.name}"
        if not re.match(SLUG_PATTERN, path.stem):
            errors.append(
                RecordError(
                    shown,
                    1,
                    1,
                    "",
                    "bad-file-name",
                    f"file name {path.stem!r} is not a slug (lowercase letters, digits and "
                    "single hyphens, e.g. 'nrm-statistics.yaml')",
                )
            )
            continue
        if path.stem in seen:
            errors.append(
                RecordError(shown, 1, 1, "id", "duplicate-id", f"id {path.stem!r} is already used by {seen[path.stem]}")
            )
            continue
        seen[path.stem] = shown
        found.ids.add(path.stem)
        wanted.append((path, shown))
    for (path, shown), record in zip(wanted, _read_many(wanted, model, errors, cache, keep_nodes), strict=True):
        if record is None:
            continue
        record_id = record.data.get("id")
        if record_id != path.stem and "id" not in record.failed:
            line, column = position(record.node, ("id",))
            errors.append(
                RecordError(
                    shown,
                    line,
                    column,
                    "id",
                    "id-mismatch",
                    f"id {record_id!r} does not match the file name; expected {path.stem!r}",
                )
            )
            record = record.without_model()
        found.records[path.stem] = record
    return found


# where the errors of a record without its nodes would be placed; never reported (the load is repeated)
_NO_NODE = yaml.MappingNode("tag:yaml.org,2002:map", [], yaml.Mark("", 0, 0, 0, "", 0))


def _read(
    path: Path,
    model: type[Strict],
    display: str,
    errors: list[RecordError],
    shown: str | None = None,
    cache: RecordCache | None = None,
    keep_nodes: bool = True,
) -> Parsed | None:
    """Return the record at `path`; its model is None if it has a problem (each appended to `errors`).

    None if the file holds no mapping to check at all. With `cache`, a file whose bytes the cache
    holds is not read as YAML: its Parsed has an empty node (the caller reads again to place errors)."""
    shown = shown or f"{display}/{path.name}"
    raw = _raw(path, shown, errors)
    if raw is None:
        return None
    key, digest = _cache_key(path, raw, cache)
    parsed = _cached(cache, key, digest, model, shown)
    if parsed is None:
        parsed = _parse(raw, model, shown, errors)
    return _keep(parsed, cache, key, digest, keep_nodes)


def _raw(path: Path, shown: str, errors: list[RecordError]) -> bytes | None:
    if not path.is_file():
        errors.append(RecordError(shown, 1, 1, "", "missing-file", "file is missing"))
        return None
    return path.read_bytes()


def _cache_key(path: Path, raw: bytes, cache: RecordCache | None) -> tuple[str, str]:
    return f"{path.parent.name}/{path.name}", file_digest(raw) if cache is not None else ""


def _cached(cache: RecordCache | None, key: str, digest: str, model: type[Strict], shown: str) -> Parsed | None:
    entry = cache.get(key, digest, model) if cache is not None else None
    if entry is None:
        return None
    return Parsed(shown, _NO_NODE, entry.model, entry.data, checked=True, content_hash=entry.content_hash)


def _keep(parsed: Parsed | None, cache: RecordCache | None, key: str, digest: str, keep_nodes: bool) -> Parsed | None:
    """Drop the node tree of a record without problems (unless `keep_nodes`) and note it for the cache."""
    if parsed is not None and parsed.model is not None and not parsed.failed:
        if not keep_nodes:
            parsed.node = _NO_NODE
        if cache is not None:
            cache.note(key, digest, parsed)
    return parsed


# a record as a worker process hands it back: its errors, and (unless there is no mapping to check) its
# values, whether they validated, its failed fields, content hash and own problems, and its file's digest;
# neither its nodes nor its model (pickling a model and rebuilding it took longer than validating again)
_Portable = tuple[
    list[RecordError],
    tuple[dict[str, Any], bool, set[str], str | None, list[tuple[Loc, str, str]] | None, str] | None,
]


def _read_many(
    wanted: list[tuple[Path, str]],
    model: type[Strict],
    errors: list[RecordError],
    cache: RecordCache | None,
    keep_nodes: bool,
) -> list[Parsed | None]:
    """Return `_read` of each (path, shown) in `wanted`, in order.

    Reading YAML is most of a load (at 10,000 records, 30 of 40 seconds on one core), and each file is
    read alone, so without `keep_nodes` the files the cache does not hold are parsed and validated in
    forked worker processes (parallel.py), which also find each dataset's own problems and content
    hash; here the values they send back are validated again, into the models. The node trees stay in
    the workers: with `keep_nodes` (the reading again that places errors) every file is read here.
    Measured at 10,000 records, the workers spend about a third more CPU in all than one process (the
    values cross back and are validated again): they shorten a load only while cores are free, and on a
    machine already busy (load average 6 on 2 cores: 79 s wall and 52 s CPU against 64 s and 31 s here)
    took longer than reading here, so they are used only while `idle_cores`."""
    if keep_nodes or len(wanted) < parallel.PARALLEL_FROM or not idle_cores():
        return [_read(path, model, "", errors, shown, cache, keep_nodes) for path, shown in wanted]
    found: list[Parsed | None] = [None] * len(wanted)
    misses: list[int] = []
    for i, (path, shown) in enumerate(wanted):
        if cache is None:
            misses.append(i)
            continue
        raw = _raw(path, shown, errors)
        if raw is None:
            continue
        key, digest = _cache_key(path, raw, cache)
        parsed = _cached(cache, key, digest, model, shown)
        if parsed is None:
            misses.append(i)
        else:
            found[i] = _keep(parsed, cache, key, digest, False)
    if len(misses) < parallel.PARALLEL_FROM:
        for i in misses:
            found[i] = _read(wanted[i][0], model, "", errors, wanted[i][1], cache, False)
        return found
    hashing = cache is not None

    def read_batch(batch: list[int]) -> list[_Portable]:
        return [_portable(*wanted[i], model, hashing) for i in batch]

    workers = parallel.worker_count(most=8)
    with parallel.batch_results(read_batch, misses, workers=workers, batches_per_worker=8) as batches:
        for i, (problems, values) in zip(misses, (item for batch in batches for item in batch), strict=True):
            errors.extend(problems)
            if values is None:
                continue
            data, valid, failed, hashed, own, digest = values
            path, shown = wanted[i]
            instance = model.model_validate(data) if valid else None
            parsed = Parsed(shown, _NO_NODE, instance, data, failed, content_hash=hashed, own=own)
            found[i] = _keep(parsed, cache, f"{path.parent.name}/{path.name}", digest, False)
    return found


def idle_cores() -> bool:
    """Whether this machine has a core to spare for the load's workers: more than one core, and a
    load average at least one below their number (the workers only pay on cores nobody else uses)."""
    cores = os.cpu_count() or 1
    return cores > 1 and os.getloadavg()[0] <= cores - 1


def _portable(path: Path, shown: str, model: type[Strict], hashing: bool) -> _Portable:
    """Read one record in a worker process: what `_read_many` needs of it, without its YAML nodes."""
    problems: list[RecordError] = []
    raw = _raw(path, shown, problems)
    parsed = None if raw is None else _parse(raw, model, shown, problems)
    if raw is None or parsed is None:
        return problems, None
    instance = parsed.model
    hashed = content_hash(instance) if isinstance(instance, Dataset) and not parsed.failed else None
    own = own_problems(parsed.data) if model is Dataset else None
    valid = instance is not None
    return problems, (parsed.data, valid, parsed.failed, hashed, own, file_digest(raw) if hashing else "")


def _parse(raw: bytes, model: type[Strict], shown: str, errors: list[RecordError]) -> Parsed | None:
    try:
        node = compose(raw)
    except YamlProblem as exc:
        errors.append(_record_error(shown, exc.problem))
        return None
    if node is None:
        errors.append(RecordError(shown, 1, 1, "", "empty-file", "file is empty; expected a mapping of fields"))
        return None
    problems: list[Problem] = []
    try:
        data = to_python(node, problems, anchors=b"&" in raw)
    except YamlProblem as exc:
        errors.append(_record_error(shown, exc.problem))
        return None
    errors.extend(_record_error(shown, problem) for problem in problems)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else "a single value"
        errors.append(
            RecordError(
                shown, 1, 1, "", "not-a-mapping", f"file holds {kind}; expected a mapping of fields (key: value)"
            )
        )
        return None
    failed = {problem.field for problem in problems}
    try:
        instance = model.model_validate(data)
    except ValidationError as exc:
        found = validation_errors(shown, node, model, exc)
        errors.extend(found)
        return Parsed(shown, node, None, data, failed | {error.field for error in found})
    return Parsed(shown, node, None if problems else instance, data, failed)


def _record_error(shown: str, problem: Problem) -> RecordError:
    return RecordError(shown, problem.line, problem.column, problem.field, problem.type, problem.message)


def _read_stamps(path: Path, display: str, errors: list[RecordError]) -> dict[str, Stamp]:
    """Return the stamps file's entries; a file that cannot be read is one error, at line 1."""
    try:
        return read_stamps(path)
    except ValueError as exc:
        hint = "restore it from version control, then run `catalogue stamp`"
        errors.append(RecordError(f"{display}/{path.name}", 1, 1, "", "bad-stamps", f"not readable ({exc}); {hint}"))
        return {}


def load_dataset_file(path: Path) -> Dataset:
    """Return one dataset record checked against the model alone (not the registry), for comparisons."""
    errors: list[RecordError] = []
    parsed = _read(path, Dataset, str(path.parent), errors, str(path))
    if parsed is None or parsed.model is None:
        raise RecordErrors(errors)
    return parsed.model  # type: ignore[return-value]


def known_names(root: Path | str = "metadata") -> tuple[list[str], list[str]]:
    """Return the agent ids (file names in agents/) and theme ids (in catalogue.yaml) a registry defines,
    for `catalogue new` to refuse a name no record could use. A catalogue.yaml that cannot be read gives
    no themes; `catalogue validate` says why."""
    root = Path(root)
    agents_folder = root / "agents"
    agents = sorted(
        path.stem
        for path in (agents_folder.iterdir() if agents_folder.is_dir() else ())
        if path.suffix in RECORD_SUFFIXES and re.match(SLUG_PATTERN, path.stem)
    )
    catalogue = _read(root / "catalogue.yaml", CatalogueInfo, str(root), [])
    return agents, theme_ids(catalogue.data) if catalogue else []
