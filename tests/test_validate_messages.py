"""What a producer sees: the whole output of `catalogue validate` (and `new`) for the mistakes producers
make, each compared with a golden file in tests/golden/validate/.

The registry is small and fixed (tests/data/registry plus records made here from minimal-dataset.yaml),
so the messages and line numbers do not move when real records are added. Commands run in process
through click, from inside the folder that holds `metadata/`, so paths read as a producer's would.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from catalogue.cli import main
from catalogue.records.scaffold import PLACEHOLDERS, render_scaffold, unfinished
from tests.conftest import DATA
from tests.golden import GOLDEN, check_golden

DID_YOU_MEAN = ("agent", "dataset-id", "field-name", "frequency", "source-key", "theme")
# Every golden file these tests compare (tests/test_golden.py checks that no other file is in validate/).
GOLDEN_FILES = frozenset(
    f"validate/{name}"
    for name in (
        *(
            f"did-you-mean-{case}.txt"
            for case in ("agent", "dataset-id", "field-name", "frequency", "source-key", "theme")
        ),
        "new-unknown-publisher.txt",
        "no-close-agent.txt",
        "three-mistakes.txt",
        "typo-in-linked-record.json",
        "typo-in-linked-record.txt",
        "unfilled-scaffold.txt",
        "yaml-unclosed-quote.txt",
    )
)
MINIMAL = (DATA / "minimal-dataset.yaml").read_text(encoding="utf-8")
SPOKES = ("spoke-one", "spoke-two", "spoke-three")


def _record(record_id: str, related: tuple[str, ...] = ()) -> str:
    """Return minimal-dataset.yaml as record `record_id`, relating to each id of `related`."""
    text = MINIMAL.replace("id: minimal", f"id: {record_id}", 1)
    if related:
        text += "related:\n" + "".join(
            f"  - id: {other}\n    relation: compare-with\n    note: Counts the same referrals.\n" for other in related
        )
    return text


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="catalogue", catch_exceptions=False)


@pytest.fixture
def metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stamped, valid registry: a 'hub' record that three 'spoke' records relate to."""
    root = tmp_path / "metadata"
    shutil.copytree(DATA / "registry", root)
    (root / "datasets" / "hub.yaml").write_text(_record("hub"), encoding="utf-8")
    for spoke in SPOKES:
        (root / "datasets" / f"{spoke}.yaml").write_text(_record(spoke, ("hub",)), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("stamp").exit_code == 0
    assert run("validate").output.startswith("OK: 4 datasets")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _validate(golden: str) -> Result:
    result = run("validate")
    assert result.exit_code == 1
    check_golden(GOLDEN / "validate" / f"{golden}.txt", result.output)
    return result


def test_one_typo_in_a_much_linked_record_is_one_problem(metadata: Path) -> None:
    _edit(metadata / "datasets" / "hub.yaml", "frequency: quarterly", "frequency: quartely")
    result = _validate("typo-in-linked-record")
    assert result.output.count("\n") == 2  # the problem and the summary: no knock-on in the spokes


def test_three_independent_mistakes_are_reported_in_one_run(metadata: Path) -> None:
    path = metadata / "datasets" / "spoke-one.yaml"
    _edit(path, "frequency: quarterly", "frequency: quartely")
    _edit(path, "first_issued: 2019-08-29", "first_issued: 2023-13-01")
    _edit(path, "  - id: hub", "  - id: hbu")
    result = _validate("three-mistakes")
    assert result.output.count("\n") == 4


@pytest.mark.parametrize(
    ("case", "file", "old", "new"),
    [
        ("frequency", "hub", "frequency: quarterly", "frequency: quartely"),
        ("dataset-id", "spoke-two", "  - id: hub", "  - id: hbu"),
        ("agent", "hub", "publisher: home-office", "publisher: home-ofice"),
        ("theme", "hub", "themes: [nrm-and-duty-to-notify]", "themes: [crime-and-justic]"),
        ("source-key", "hub", "    sources: [main]\ndescribed_from", "    sources: [mian]\ndescribed_from"),
        ("field-name", "hub", "keywords:", "keywrods:"),
    ],
)
def test_did_you_mean(metadata: Path, case: str, file: str, old: str, new: str) -> None:
    _edit(metadata / "datasets" / f"{file}.yaml", old, new)
    result = _validate(f"did-you-mean-{case}")
    assert "did you mean" in result.output
    assert result.output.count("\n") == 2


def test_no_close_match_lists_the_few_valid_values(metadata: Path) -> None:
    _edit(metadata / "datasets" / "hub.yaml", "publisher: home-office", "publisher: department-x")
    result = _validate("no-close-agent")
    assert "expected one of: home-office, msr-project, ons" in result.output


def test_an_unfilled_scaffold_is_refused(metadata: Path) -> None:
    created = run("new", "my-series", "--publisher", "ons", "--theme", "children")
    assert created.exit_code == 0, created.output
    _validate("unfilled-scaffold")
    stamped = run("stamp")
    assert stamped.exit_code == 1  # nothing unfinished is ever stamped, so it can never be built


def test_a_yaml_syntax_error_is_at_its_line_with_its_text(metadata: Path) -> None:
    _edit(metadata / "datasets" / "hub.yaml", "title: A minimal valid record", 'title: "A minimal valid record')
    result = _validate("yaml-unclosed-quote")
    assert result.output.startswith("metadata/datasets/hub.yaml:2:8: ")


def test_json_output_for_tools(metadata: Path) -> None:
    _edit(metadata / "datasets" / "hub.yaml", "frequency: quarterly", "frequency: quartely")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    check_golden(GOLDEN / "validate" / "typo-in-linked-record.json", result.output)
    assert [problem["type"] for problem in json.loads(result.output)] == ["unknown-term"]


def test_new_refuses_an_unknown_publisher(metadata: Path) -> None:
    result = CliRunner().invoke(main, ["new", "my-series", "--publisher", "home-ofice"], prog_name="catalogue")
    assert result.exit_code == 2
    check_golden(GOLDEN / "validate" / "new-unknown-publisher.txt", result.output)
    assert not (metadata / "datasets" / "my-series.yaml").exists()


def test_new_refuses_an_unknown_theme(metadata: Path) -> None:
    result = CliRunner().invoke(main, ["new", "my-series", "--theme", "victim-suport"], prog_name="catalogue")
    assert result.exit_code == 2
    assert "'victim-suport' is not a known theme; did you mean 'victim-support'?" in result.output
    assert not (metadata / "datasets" / "my-series.yaml").exists()


def test_many_files_are_summarised_by_file(metadata: Path) -> None:
    for spoke in SPOKES:
        _edit(metadata / "datasets" / f"{spoke}.yaml", "frequency: quarterly", "frequency: quartely")
    _edit(metadata / "datasets" / "spoke-two.yaml", "publisher: home-office", "publisher: home-ofice")
    result = run("validate")
    assert result.output.splitlines()[-1] == (
        "4 problems in 3 files: metadata/datasets/spoke-two.yaml (2), metadata/datasets/spoke-one.yaml (1), "
        "metadata/datasets/spoke-three.yaml (1)"
    )


def test_every_command_that_reads_records_takes_metadata() -> None:
    for name, command in main.commands.items():  # type: ignore[attr-defined]
        assert "metadata" in {param.name for param in command.params}, name


def test_the_group_help_has_an_example() -> None:
    result = run("--help")
    assert "Example:" in result.output
    assert "catalogue new my-series --publisher home-office" in result.output


@pytest.mark.parametrize(
    ("value", "flagged"),
    [
        ("TITLE AS THE PRODUCER PUBLISHES IT", True),
        ("  keyword one ", True),
        ("https://www.example.org/the-series", True),
        ("https://EXAMPLE.com/data.csv", True),
        ("http://data.example.net", True),
        ("someone@example.org", True),
        ("Title of the page you read, and more", False),  # only a whole placeholder is one
        ("keyword", False),
        ("See https://www.example.org/ for an example", False),  # prose, not an address
        ("https://www.notexample.org/page", False),
        ("https://example.org.uk/page", False),
        ("https://www.gov.uk/government/statistics", False),
        ("statistics@homeoffice.gov.uk", False),
    ],
)
def test_placeholders_are_detected_precisely(value: str, flagged: bool) -> None:
    assert bool(unfinished({"notes": [{"text": value}]})) is flagged


def test_every_placeholder_of_the_scaffold_is_flagged() -> None:
    text = render_scaffold("x", "ons", "children")
    assert all(value in text for value in PLACEHOLDERS.values())
