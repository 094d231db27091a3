"""End-to-end: the real `catalogue` command in a subprocess, on the shipped registry and on copies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.conftest import DATA, ROOT

pytestmark = pytest.mark.e2e


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "catalogue", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_validate_passes_with_a_one_line_summary() -> None:
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: ")
    assert result.stdout.count("\n") == 1


def test_validate_json_lists_problems(registry_copy: Path) -> None:
    text = (DATA / "invalid" / "bad-frequency.yaml").read_text()
    (registry_copy / "datasets" / "minimal.yaml").write_text(text)
    result = run("validate", "--format", "json", "--metadata", str(registry_copy))
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert [(p["field"], p["type"], p["line"]) for p in problems if p["type"] != "unstamped"] == [
        ("frequency", "unknown-term", 17)
    ]


def test_list_and_show() -> None:
    listing = run("list")
    assert "nrm-dtn-quarterly\thome-office\tquarterly\t" in listing.stdout
    shown = json.loads(run("show", "nrm-dtn-quarterly").stdout)
    assert shown["frequency"] == "quarterly"
    missing = run("show", "no-such-thing")
    assert missing.returncode == 1
    assert "catalogue list" in missing.stderr


def test_new_scaffold_does_not_validate_until_filled_in(registry_copy: Path) -> None:
    created = run("new", "police-recorded-crime", "--metadata", str(registry_copy))
    assert created.returncode == 0, created.stderr
    assert "#" in (registry_copy / "datasets" / "police-recorded-crime.yaml").read_text()
    unfinished = run("validate", "--metadata", str(registry_copy))
    assert unfinished.returncode == 1
    assert "is a placeholder from `catalogue new`" in unfinished.stdout
    assert run("stamp", "--metadata", str(registry_copy)).returncode == 1
    again = run("new", "police-recorded-crime", "--metadata", str(registry_copy))
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_stamp_moves_only_changed_records(registry_copy: Path) -> None:
    before = json.loads((registry_copy / "stamps.json").read_text())
    path = registry_copy / "datasets" / "nrm-dtn-annual.yaml"
    path.write_text(path.read_text() + "\n# a comment changes nothing\n")
    assert "0 changed" in run("stamp", "--metadata", str(registry_copy)).stdout
    path.write_text(path.read_text().replace("summary: >-", "summary: >-\n  Edited.", 1))
    assert run("validate", "--metadata", str(registry_copy)).returncode == 1
    assert "1 changed" in run("stamp", "--metadata", str(registry_copy)).stdout
    after = json.loads((registry_copy / "stamps.json").read_text())
    assert after["nrm-dtn-annual"]["modified"] > before["nrm-dtn-annual"]["modified"]
    assert {k: v for k, v in after.items() if k != "nrm-dtn-annual"} == {
        k: v for k, v in before.items() if k != "nrm-dtn-annual"
    }


class _Yaml12Loader(yaml.SafeLoader):
    """Reads dates as text, as YAML 1.2 and the YAML language server do."""


_Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_schema_validates_the_shipped_records() -> None:
    schema = json.loads(run("schema").stdout)
    for path in (ROOT / "metadata" / "datasets").glob("*.yaml"):
        record = yaml.load(path.read_text(), Loader=_Yaml12Loader)
        jsonschema.validate(record, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x"}, schema)


def test_invalid_records_fail_the_build_and_leave_previous_output(registry_copy: Path, tmp_path: Path) -> None:
    """The command refuses invalid records before any step runs; a step failing after others have
    written (the swap itself) is tested in tests/test_build.py."""
    out = tmp_path / "out"
    assert run("build", "--metadata", str(registry_copy), "--out", str(out)).returncode == 0
    before = (out / "catalog.ttl").read_bytes()
    (registry_copy / "datasets" / "nrm-dtn-annual.yaml").write_text("title: [broken\n")
    failed = run("build", "--metadata", str(registry_copy), "--out", str(out))
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert (out / "catalog.ttl").read_bytes() == before


def test_every_command_has_help_with_an_example() -> None:
    for command in [
        "validate",
        "list",
        "show",
        "new",
        "schema",
        "stamp",
        "build",
        "serve",
        "publish",
        "linkcheck",
        "import",
    ]:
        result = run(command, "--help")
        assert result.returncode == 0, command
        assert "Example:" in result.stdout, command
