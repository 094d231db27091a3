"""The golden-file helper itself: a missing or different golden fails; only UPDATE_GOLDEN=1 writes one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import GOLDEN, check_golden, check_golden_graph
from tests.test_compare import CASES as COMPARE_CASES
from tests.test_validate_messages import GOLDEN_FILES as VALIDATE_GOLDEN_FILES

TURTLE = b"<http://example.org/a> <http://example.org/p> [ <http://example.org/q> 1 ] .\n"


@pytest.fixture(autouse=True)
def not_updating(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)


def test_a_missing_golden_fails_and_says_how_to_write_it(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="UPDATE_GOLDEN=1"):
        check_golden(tmp_path / "missing.txt", "text")
    with pytest.raises(pytest.fail.Exception, match="UPDATE_GOLDEN=1"):
        check_golden_graph(tmp_path / "missing.ttl", TURTLE, "turtle")
    assert list(tmp_path.iterdir()) == []


def test_a_different_output_fails(tmp_path: Path) -> None:
    (tmp_path / "g.txt").write_bytes(b"caf\xc3\xa9\n")
    check_golden(tmp_path / "g.txt", "café\n")
    with pytest.raises(AssertionError):
        check_golden(tmp_path / "g.txt", "cafe\n")
    with pytest.raises(AssertionError):
        check_golden(tmp_path / "g.txt", "café\r\n")


def test_graphs_compare_as_graphs(tmp_path: Path) -> None:
    (tmp_path / "g.ttl").write_bytes(TURTLE)
    reordered = b"<http://example.org/a>\n  <http://example.org/p> [ <http://example.org/q> 1 ] .\n"
    check_golden_graph(tmp_path / "g.ttl", reordered, "turtle")
    with pytest.raises(pytest.fail.Exception, match="only in output"):
        check_golden_graph(tmp_path / "g.ttl", TURTLE.replace(b"1 ]", b"2 ]"), "turtle")


def test_update_golden_writes_on_purpose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    check_golden(tmp_path / "new" / "g.txt", "written\n")
    assert (tmp_path / "new" / "g.txt").read_bytes() == b"written\n"


def test_every_golden_file_is_used() -> None:
    """Each file under tests/golden is compared by some test (a stale golden would hide a missing one)."""
    invalid_cases = {p.stem for p in (Path(__file__).parent / "data" / "invalid").glob("*.yaml")}
    expected = (
        {f"invalid/{case}.txt" for case in invalid_cases}
        | {
            "nrm-dtn-quarterly.html",
            "nrm-dtn-quarterly.ttl",
            "nrm-dtn-quarterly.jsonld",
        }
        | VALIDATE_GOLDEN_FILES
        | {f"compare/{name}.json" for name in COMPARE_CASES}
    )
    assert {str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*") if p.is_file()} == expected
