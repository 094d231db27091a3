"""Broken records: each gets the exact message (golden text) and never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catalogue.records.errors import RecordErrors
from catalogue.records.loader import load_registry
from tests.conftest import DATA
from tests.golden import GOLDEN, check_golden

CASES = sorted(path.stem for path in (DATA / "invalid").glob("*.yaml"))


@pytest.fixture
def registry_copy(tmp_path: Path) -> Path:
    """A small fixed registry (tests/data/registry) to break, so messages do not change as records grow."""
    target = tmp_path / "metadata"
    shutil.copytree(DATA / "registry", target)
    return target


def _errors_for(registry: Path) -> str:
    with pytest.raises(RecordErrors) as caught:
        load_registry(registry, check_stamps=False)
    return caught.value.to_text().replace(str(registry), "metadata") + "\n"


def test_there_are_at_least_twenty_cases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES)
def test_broken_record_message(case: str, registry_copy: Path) -> None:
    text = (DATA / "invalid" / f"{case}.yaml").read_text(encoding="utf-8")
    (registry_copy / "datasets" / "minimal.yaml").write_text(text, encoding="utf-8")
    check_golden(GOLDEN / "invalid" / f"{case}.txt", _errors_for(registry_copy))


def test_minimal_record_is_valid(registry_copy: Path) -> None:
    (registry_copy / "datasets" / "minimal.yaml").write_bytes((DATA / "minimal-dataset.yaml").read_bytes())
    registry = load_registry(registry_copy, check_stamps=False)
    assert registry.datasets["minimal"].frequency == "quarterly"


def test_binary_file(registry_copy: Path) -> None:
    (registry_copy / "datasets" / "minimal.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert _errors_for(registry_copy).splitlines()[0] == (
        "metadata/datasets/minimal.yaml:1:1: file holds binary data (NUL bytes); records are UTF-8 text"
    )


def test_not_utf8(registry_copy: Path) -> None:
    (registry_copy / "datasets" / "minimal.yaml").write_bytes("title: caf\xe9\n".encode("latin-1"))
    assert _errors_for(registry_copy).splitlines()[0] == (
        "metadata/datasets/minimal.yaml:1:1: byte 0xe9 is not UTF-8; save the file as UTF-8"
    )


def test_fifty_megabyte_file_is_refused_without_parsing(registry_copy: Path) -> None:
    (registry_copy / "datasets" / "minimal.yaml").write_bytes(b"title: x\n" + b"# padding\n" * 5_000_000)
    assert _errors_for(registry_copy).splitlines()[0] == (
        "metadata/datasets/minimal.yaml:1:1: file is 50,000,009 bytes; a record may be at most 1,048,576 bytes"
    )


def test_alias_bomb_is_refused_fast(registry_copy: Path) -> None:
    (registry_copy / "datasets" / "minimal.yaml").write_bytes((DATA / "invalid" / "alias-bomb.yaml").read_bytes())
    started = time.process_time()
    text = _errors_for(registry_copy)
    # 9**7 expanded nodes would take minutes and gigabytes; refusing costs next to nothing
    assert "YAML anchors and aliases (&name, *name) are not allowed" in text
    assert time.process_time() - started < 5


def test_every_problem_is_reported_at_once(registry_copy: Path) -> None:
    base = (DATA / "minimal-dataset.yaml").read_text(encoding="utf-8")
    broken = base.replace("frequency: quarterly", "frequency: quartely").replace(
        "publisher: home-office", "publisher: nobody"
    )
    (registry_copy / "datasets" / "minimal.yaml").write_text(broken, encoding="utf-8")
    (registry_copy / "agents" / "home-office.yaml").write_text("id: home-office\n", encoding="utf-8")
    lines = _errors_for(registry_copy).splitlines()
    assert len(lines) >= 4, lines
    assert any("frequency: 'quartely'" in line for line in lines)
    assert any("agents/home-office.yaml" in line and "name: required field is missing" in line for line in lines)


def test_loader_never_writes(registry_copy: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in registry_copy.rglob("*")}
    load_registry(registry_copy)
    assert {p: p.stat().st_mtime_ns for p in registry_copy.rglob("*")} == before


@pytest.mark.parametrize("case", CASES)
def test_cli_shows_no_traceback(case: str, registry_copy: Path) -> None:
    (registry_copy / "datasets" / "minimal.yaml").write_bytes((DATA / "invalid" / f"{case}.yaml").read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "catalogue", "validate", "--metadata", str(registry_copy)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONWARNINGS": ""},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "minimal.yaml:" in result.stdout


DEPTHS = [(style, levels) for style in ("flow", "block") for levels in (60, 500, 999)] + [("flow", 5000)]


@pytest.mark.parametrize(("style", "levels"), DEPTHS)
def test_deep_nesting_is_refused_with_a_clear_message(registry_copy: Path, levels: int, style: str) -> None:
    """Hundreds of levels reached Python's recursion limit (a traceback); the limit is ours and says so."""
    if style == "flow":
        value = "[" * levels + "]" * levels
    else:
        value = "\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(levels)) + "  " * (levels + 1) + "x"
    text = (DATA / "minimal-dataset.yaml").read_text(encoding="utf-8") + f"unknowns: {value}\n"
    (registry_copy / "datasets" / "minimal.yaml").write_text(text, encoding="utf-8")
    first = _errors_for(registry_copy).splitlines()[0]
    assert first.startswith("metadata/datasets/minimal.yaml:"), first
    assert first.endswith("values are nested more than 50 levels deep; a record needs a few levels at most"), first


@pytest.mark.parametrize("levels", [1_000, 100_000])
def test_deeply_nested_stamps_file_is_one_clear_error(registry_copy: Path, levels: int) -> None:
    (registry_copy / "stamps.json").write_text("[" * levels + "]" * levels, encoding="utf-8")
    with pytest.raises(RecordErrors) as caught:
        load_registry(registry_copy)
    assert [(error.file.rsplit("/", 1)[-1], error.type) for error in caught.value.errors] == [
        ("stamps.json", "bad-stamps")
    ]
    assert "nested far deeper than a stamps file is" in caught.value.errors[0].message
