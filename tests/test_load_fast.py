"""The fast cold load (catalogue/records/loader.py `_read_many`, yamlnodes `_plain`, checks `own_problems`):
from parallel.PARALLEL_FROM records on, files are parsed and validated in forked workers without keeping
their node trees, yet the registry is the one a load in this process gives, and an error anywhere, found
by a worker, is still reported at its file, line and field."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from catalogue import parallel
from catalogue.records import checks, loader, scaffold
from catalogue.records.errors import RecordErrors
from catalogue.records.loader import load_registry
from catalogue.records.registry import Registry
from catalogue.records.yamlnodes import compose, to_python
from tests.benchmarks.synthetic import ROOT, make_registry

COUNT = parallel.PARALLEL_FROM + 20


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry of copies of every shipped record, large enough for the workers."""
    return make_registry(tmp_path_factory.mktemp("fast") / "metadata", COUNT, mixed=True)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the items the loader hands to worker processes (the real pool still runs)."""
    handed: list[int] = []
    real = parallel.batch_results

    def counting(function: Callable[[list[Any]], Any], items: Any, **options: Any) -> Iterator[Any]:
        handed.append(len(items))
        return real(function, items, **options)  # type: ignore[return-value]

    monkeypatch.setattr(parallel, "batch_results", counting)
    monkeypatch.setattr(loader, "idle_cores", lambda: True)  # whatever else this machine is doing
    return handed


def _in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)


def test_a_busy_machine_reads_here(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    handed: list[int] = []
    monkeypatch.setattr(parallel, "batch_results", lambda *args, **options: handed.append(1))
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 1.0, 1.0))
    assert not loader.idle_cores()
    load_registry(big)
    assert handed == []
    monkeypatch.setattr(os, "getloadavg", lambda: (0.5, 1.0, 1.0))
    assert loader.idle_cores()


def _same(first: Registry, second: Registry) -> None:
    assert first.catalogue == second.catalogue
    assert first.agents == second.agents
    assert first.datasets == second.datasets
    assert first.stamps == second.stamps


def test_the_workers_give_the_registry_a_load_here_gives(
    big: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    forked = load_registry(big)
    assert forks == [COUNT]  # every dataset went to the workers (the few agents did not)
    _in_this_process(monkeypatch)
    _same(forked, load_registry(big))


def _replace_last(path: Path, key: str, value: str) -> int:
    """Give the last one-line `key:` of the file `value`; return that line's number."""
    lines = path.read_text("utf-8").splitlines()
    pattern = re.compile(rf"^(\s*(?:- )?){key}: (?!['\"]|[>|]).+$")
    for number in range(len(lines) - 2, 0, -1):  # one followed by another key, so no continuation line
        following = lines[number + 1]
        if pattern.match(lines[number]) and re.match(r"^\s*(- )?[a-z_]+:", following):
            prefix = pattern.match(lines[number]).group(1)  # type: ignore[union-attr]
            lines[number] = f"{prefix}{key}: {value}"
            path.write_text("\n".join(lines) + "\n", "utf-8")
            return number + 1
    raise AssertionError(f"no one-line {key} in {path}")


@pytest.fixture
def broken(big: Path, tmp_path: Path) -> tuple[Path, str, dict[str, int]]:
    """A copy of the big registry with, deep inside one record, a bad value, a placeholder and an example
    address: the first a field error, the others found by the record's own checks (in the workers)."""
    import shutil

    copy = tmp_path / "metadata"
    shutil.copytree(big, copy)
    path = sorted((copy / "datasets").glob("*.yaml"))[COUNT // 2]
    lines = {
        "bad-media-type": _replace_last(path, "media_type", "not a media type"),
        "unfinished": _replace_last(path, "title", scaffold.PLACEHOLDERS["keyword_one"]),
    }
    access = _replace_last(path, "access_url", "https://WWW.Example.ORG/data.csv")
    return copy, path.name, lines | {"example": access}


def test_an_error_deep_in_a_file_keeps_its_line(
    broken: tuple[Path, str, dict[str, int]], forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, name, lines = broken
    with pytest.raises(RecordErrors) as fast:
        load_registry(root)
    assert forks == [COUNT]
    found = {(error.line, error.type) for error in fast.value.errors if error.file.endswith(name)}
    assert (lines["bad-media-type"], "bad-media-type") in found
    assert (lines["unfinished"], "unfinished") in found
    assert (lines["example"], "unfinished") in found
    assert {error.file for error in fast.value.errors} == {
        error.file for error in fast.value.errors if name in error.file
    }
    _in_this_process(monkeypatch)
    with pytest.raises(RecordErrors) as here:
        load_registry(root)
    assert fast.value.to_text() == here.value.to_text()


def test_a_problem_only_the_records_own_checks_find_is_reported(big: Path, tmp_path: Path, forks: list[int]) -> None:
    """With no field error to make the load read again, the workers' own checks must find these."""
    import shutil

    root = tmp_path / "metadata"
    shutil.copytree(big, root)
    paths = sorted((root / "datasets").glob("*.yaml"))
    placeholder = _replace_last(paths[7], "title", scaffold.PLACEHOLDERS["keyword_two"])
    example = _replace_last(paths[COUNT - 3], "access_url", "http://data.EXAMPLE.net/file")
    with pytest.raises(RecordErrors) as caught:
        load_registry(root, check_stamps=False)  # no stale stamp to make the load read again
    assert forks == [COUNT]
    found = {(error.file.rsplit("/", 1)[-1], error.line, error.type) for error in caught.value.errors}
    assert found == {(paths[7].name, placeholder, "unfinished"), (paths[COUNT - 3].name, example, "unfinished")}


def test_placeholders_are_found_in_the_values_json() -> None:
    """`checks._may_hold_placeholders` looks for each placeholder in the JSON of a record's values: that
    holds only while no placeholder has a character JSON escapes."""
    for text in checks._PLACEHOLDER_TEXTS:
        assert json.dumps(text, ensure_ascii=False) == f'"{text}"'
    assert set(checks._PLACEHOLDER_TEXTS) == {t for t in scaffold.PLACEHOLDERS.values() if "://" not in t}
    for text in checks._PLACEHOLDER_TEXTS:
        assert checks.own_problems({"notes": [{"text": f"  {text} "}]})
    assert checks.own_problems({"contact": {"email": "Someone@Mail.EXAMPLE.com"}})
    assert not checks.own_problems({"title": "Modern slavery statistics", "notes": [{"text": "examples.org"}]})


@pytest.mark.parametrize("path", sorted((ROOT / "metadata").rglob("*.yaml")), ids=lambda path: path.name)
def test_the_quick_walk_gives_the_careful_walks_values(path: Path) -> None:
    node = compose(path.read_bytes())
    assert node is not None
    careful = to_python(node, [], seen=set())  # a given `seen` takes the careful walk
    assert to_python(node, []) == careful
    assert to_python(node, [], anchors=False) == careful


_AWKWARD = """\
plain: text
empty:
tilde: ~
null_word: null
quoted_null: "null"
single_quoted_empty: ''
list:
  - ~
  -
  - 'NULL'
  - [a, null, "~"]
  - {k: Null, j: 'x'}
block: |
  two
  lines
folded: >
  one
  line
nested:
  deeper:
    - deepest: Tom & Jerry
"""


@pytest.mark.parametrize("anchors", [True, False])
def test_the_quick_walk_reads_nulls_and_styles_as_the_careful_walk(anchors: bool) -> None:
    node = compose(_AWKWARD.encode())
    assert node is not None
    careful = to_python(node, [], seen=set())
    assert careful["empty"] is None
    assert careful["quoted_null"] == "null"
    assert careful["list"][1] is None
    assert to_python(node, [], anchors=anchors) == careful


@pytest.mark.parametrize(
    "text",
    ["a: &x 1\nb: *x\n", "a: 1\na: 2\n", "? [a]\n: 1\n", "a: &x [1]\nb: *x\n", "l:\n  - &x v\n  - *x\n"],
)
def test_what_the_quick_walk_leaves_to_the_careful_one_is_still_reported(text: str) -> None:
    node = compose(text.encode())
    assert node is not None
    problems: list[Any] = []
    try:
        to_python(node, problems)
    except Exception as exc:  # an alias: YamlProblem
        problems.append(exc)
    assert problems
