"""Golden files: the one place tests compare output with tests/golden/.

A missing golden file is a failure, never a silent pass. To write or rewrite golden files on purpose,
run the tests with UPDATE_GOLDEN=1 in the environment, review the diff (`git diff tests/golden`) and
commit it:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_rdf.py -k golden
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_VARIABLE = "UPDATE_GOLDEN"


def updating() -> bool:
    """True when the run was asked to rewrite golden files (UPDATE_GOLDEN=1)."""
    return os.environ.get(UPDATE_VARIABLE, "") not in ("", "0")


def _expected(path: Path, actual: bytes) -> bytes:
    """Return the golden bytes at `path`; write `actual` there first if UPDATE_GOLDEN=1; fail if missing."""
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
    if not path.exists():
        pytest.fail(
            f"golden file {path} is missing. To write it from the current output on purpose, run this test "
            f"with {UPDATE_VARIABLE}=1, review the file and commit it.",
            pytrace=False,
        )
    return path.read_bytes()


def check_golden(path: Path, actual: str) -> None:
    """Assert that `actual` (text, written as UTF-8) is byte for byte the golden file at `path`."""
    expected = _expected(path, actual.encode("utf-8")).decode("utf-8")
    assert actual == expected, f"output differs from {path} (rewrite on purpose with {UPDATE_VARIABLE}=1)"


def check_golden_graph(path: Path, actual: bytes, rdf_format: str) -> None:
    """Assert that the RDF document `actual` holds the same graph (blank nodes aside) as the golden file."""
    from rdflib import Graph
    from rdflib.compare import graph_diff, to_isomorphic

    expected = to_isomorphic(Graph().parse(data=_expected(path, actual), format=rdf_format))
    found = to_isomorphic(Graph().parse(data=actual, format=rdf_format))
    if expected != found:
        _, only_expected, only_found = graph_diff(expected, found)
        pytest.fail(
            f"graph differs from {path} (rewrite on purpose with {UPDATE_VARIABLE}=1)\nonly in golden:\n"
            + only_expected.serialize(format="nt")
            + "\nonly in output:\n"
            + only_found.serialize(format="nt")
        )
