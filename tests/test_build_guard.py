"""The build never deletes what it did not write (issue: `build --metadata reg --out reg` deleted every
record and `build --out .` the project, both exiting 0), and clears what killed builds left behind."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from catalogue.build import BuildRefused, build
from catalogue.layout import BuildLayout
from catalogue.records.loader import load_registry
from tests.conftest import METADATA, build_steps

STEPS = build_steps("registry.json")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: the records in metadata/, and a file of the producer's own."""
    shutil.copytree(METADATA, tmp_path / "metadata")
    (tmp_path / "notes.txt").write_text("the producer's own notes\n")
    return tmp_path


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("out", [".", "metadata", "metadata/datasets", "elsewhere"])
def test_a_folder_holding_records_or_other_files_is_refused(project: Path, out: str) -> None:
    (project / "elsewhere").mkdir()
    (project / "elsewhere" / "keep.txt").write_text("not the build's\n")
    before = _files(project)
    registry = load_registry(project / "metadata")
    with pytest.raises(BuildRefused):
        build(registry, project / out, steps=STEPS)
    assert _files(project) == before


def test_a_new_an_empty_or_an_earlier_build_folder_is_built_into(project: Path) -> None:
    registry = load_registry(project / "metadata")
    (project / "empty").mkdir()
    for out in ("new", "empty", "new"):  # the third: a folder an earlier build wrote
        build(registry, project / out, steps=STEPS)
        assert BuildLayout(project / out).registry_json.is_file()
    old_style = project / "old-build"  # from a version before the marker: has registry.json
    old_style.mkdir()
    (old_style / "registry.json").write_text("{}")
    build(registry, old_style, steps=STEPS)
    assert BuildLayout(old_style).marker.is_file()


def test_leftovers_of_a_killed_build_are_cleared(project: Path) -> None:
    registry = load_registry(project / "metadata")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed = project / ".build.killed1"
    killed.mkdir()
    (killed / ".catalogue-build").write_text(f"{gone.stdout.strip()}\nWritten by `catalogue build`\n")
    (killed / "half-written.ttl").write_text("@prefix")
    foreign = project / ".build.someone-elses"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("no marker: not the build's\n")
    build(registry, project / "build", steps=STEPS)
    assert not killed.exists()
    assert (foreign / "keep.txt").is_file()


def test_the_command_says_why_and_exits_1(project: Path) -> None:
    before = _files(project)
    result = subprocess.run(
        [sys.executable, "-m", "catalogue", "build", "--metadata", "metadata", "--out", "metadata"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "holds the records" in result.stderr
    assert "Traceback" not in result.stderr
    assert _files(project) == before
