"""Read `metadata/` into a validated Registry, or raise RecordErrors listing every problem at once.

The only module that reads records. It never writes to `metadata/`.
"""

from __future__ import annotations

import re
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from catalogue.records.cached import RecordCache, file_digest, no_gc
from catalogue.records.checks import Folder, Parsed, check_whole, theme_ids
from catalogue.records.errors import RecordError, RecordErrors
from catalogue.records.model import Agent, CatalogueInfo, Dataset, Strict
from catalogue.records.registry import Registry, Stamp, provisional_stamps
from catalogue.records.stamps import STAMPS_FILE, read_stamps
from catalogue.records.suggest import closest
from catalogue.records.values import SLUG_PATTERN
from catalogue.records.yamlnodes import Problem, YamlProblem, compose, dotted, position, to_python

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
    kept = RecordCache(cache) if cache is not None else None
    try:
        with no_gc():
            registry = _load(root, check_stamps, kept, keep_nodes=False)
    except RecordErrors:
        # a record read without problems kept no YAML nodes (nor has a cached one) to place an error
        # at: read every file again, keeping them, for the report
        return _load(root, check_stamps, None, keep_nodes=True)
    if kept is not None:
        kept.commit()
        kept.save()
    return registry


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
        stamps = provisional_stamps({key: p.model for key, p in datasets.records.items()}, stamps)  # type: ignore[misc]
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
        record = _read(path, model, display, errors, shown, cache, keep_nodes)
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
    if not path.is_file():
        errors.append(RecordError(shown, 1, 1, "", "missing-file", "file is missing"))
        return None
    raw = path.read_bytes()
    key, digest = f"{path.parent.name}/{path.name}", file_digest(raw) if cache is not None else ""
    entry = cache.get(key, digest, model) if cache is not None else None
    if entry is not None:
        parsed: Parsed | None = Parsed(
            shown, _NO_NODE, entry.model, entry.data, checked=True, content_hash=entry.content_hash
        )
    else:
        parsed = _parse(raw, model, shown, errors)
    if parsed is not None and parsed.model is not None and not parsed.failed:
        if not keep_nodes:
            parsed.node = _NO_NODE
        if cache is not None:
            cache.note(key, digest, parsed)
    return parsed


# where the errors of a record without its nodes would be placed; never reported (the load is repeated)
_NO_NODE = yaml.MappingNode("tag:yaml.org,2002:map", [], yaml.Mark("", 0, 0, 0, "", 0))


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
        data = to_python(node, problems)
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
        found = _validation_errors(shown, node, model, exc)
        errors.extend(found)
        return Parsed(shown, node, None, data, failed | {error.field for error in found})
    return Parsed(shown, node, None if problems else instance, data, failed)


def _record_error(shown: str, problem: Problem) -> RecordError:
    return RecordError(shown, problem.line, problem.column, problem.field, problem.type, problem.message)


# --- pydantic's errors in the producer's words ---------------------------------------------------------

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


def _validation_errors(shown: str, node: yaml.Node, model: type[Strict], exc: ValidationError) -> list[RecordError]:
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
