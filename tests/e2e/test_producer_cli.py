"""End-to-end: the producers' guide's walk-through, run with the real `catalogue` command.

The guide (site/guides/producers.md, "A record from start to finish") quotes what each command prints.
This test runs the same commands in a subprocess on a copy of the shipped registry without the record
the guide adds, and compares each output with the guide's console blocks, so the guide cannot drift
from what a producer sees (a `...` line in the guide stands for lines left out).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from catalogue.records.loader import load_registry
from tests.conftest import METADATA, ROOT

pytestmark = pytest.mark.e2e

GUIDE = ROOT / "site" / "guides" / "producers.md"
RECORD = "sentencing-council-tables"
MISTAKES = [
    ("frequency: never", "frequency: one-off"),
    ("first_issued: 2021-08-11", "first_issued: 11/08/2021"),
    ("false\n    sources: [wiredgov, clsa-2021]", "false\n    sources: [wired-gov, clsa-2021]"),  # the caveat's
    ("    relation: compare-with", "    relation: compare"),
]


def guide_sessions() -> list[list[tuple[str, list[str]]]]:
    """Return the walk-through's console blocks: each a list of (command, expected output lines)."""
    section = GUIDE.read_text(encoding="utf-8").split("## A record from start to finish", 1)[1].split("\n## ", 1)[0]
    sessions = []
    for block in re.findall(r"```console\n(.*?)```", section, flags=re.DOTALL):
        steps: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
        sessions.append(steps)
    return sessions


def run(command: str, cwd: Path) -> tuple[int, list[str]]:
    args = command.split()
    assert args[0] == "catalogue"
    # the installed script, so that usage lines name `catalogue` as the guide does
    script = Path(sys.executable).with_name("catalogue")
    result = subprocess.run([str(script), *args[1:]], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr
    return result.returncode, (result.stdout + result.stderr).splitlines()


def with_counts(expected: list[str], metadata: Path) -> list[str]:
    """The guide's lines with the registry's counts as they are in `metadata`: the guide quotes the counts of
    the registry when it was written (which content engineers grow), but each line's wording must match."""
    datasets = len(list((metadata / "datasets").glob("*.yaml")))  # files, not what the loader counts
    agents = len(list((metadata / "agents").glob("*.yaml")))
    themes = len(load_registry(metadata, check_stamps=False).catalogue.themes)
    out = []
    for line in expected:
        line = re.sub(
            r"^OK: \d+ datasets, \d+ agents, \d+ themes in ",
            f"OK: {datasets} datasets, {agents} agents, {themes} themes in ",
            line,
        )
        out.append(re.sub(r"^(stamped: 1 new, 0 changed, )\d+( unchanged)$", rf"\g<1>{datasets - 1}\g<2>", line))
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """True if `actual` is `expected`, where each `...` line of `expected` stands for one or more lines."""
    pattern = "\n".join(".+?" if line == "..." else re.escape(line) for line in expected)
    return re.fullmatch(pattern, "\n".join(actual), flags=re.DOTALL) is not None


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """The shipped registry without the guide's record (and its stamp), in a folder named metadata/."""
    shutil.copytree(METADATA, tmp_path / "metadata")
    (tmp_path / "metadata" / "datasets" / f"{RECORD}.yaml").unlink()
    stamps_path = tmp_path / "metadata" / "stamps.json"
    stamps = json.loads(stamps_path.read_text(encoding="utf-8"))
    del stamps[RECORD]
    stamps_path.write_text(json.dumps(stamps, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return tmp_path


def test_the_guides_walk_through_prints_what_the_guide_says(work: Path) -> None:
    sessions = guide_sessions()
    assert len(sessions) == 4, "the walk-through has four console blocks: new, unfinished, mistakes, stamp"
    new, unfinished, mistakes, stamp = sessions
    record = work / "metadata" / "datasets" / f"{RECORD}.yaml"
    shipped = (METADATA / "datasets" / f"{RECORD}.yaml").read_text(encoding="utf-8")

    (refused, refusal), (created, creation) = new
    assert run(refused, work) == (2, refusal)
    assert not record.exists()
    assert run(created, work) == (0, creation)

    [(command, expected)] = unfinished
    code, output = run(command, work)
    assert code == 1
    assert matches(expected, output), "\n".join(output)
    assert run("catalogue stamp", work)[0] == 1  # an unfinished record is never stamped

    text = shipped
    for old, new_text in MISTAKES:
        assert old in text
        text = text.replace(old, new_text, 1)
    record.write_text(text, encoding="utf-8")
    [(command, expected)] = mistakes
    assert run(command, work) == (1, expected)

    record.write_text(shipped, encoding="utf-8")
    (first, unstamped), (stamping, stamped), (last, valid) = stamp
    assert run(first, work) == (1, unstamped)
    assert run(stamping, work) == (0, with_counts(stamped, work / "metadata"))
    assert run(last, work) == (0, with_counts(valid, work / "metadata"))
