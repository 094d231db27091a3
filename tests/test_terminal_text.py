"""What the command prints from records and file names reaches the terminal with its control characters escaped
(`catalogue.records.errors.printable`): an ANSI escape in a file name or a title is shown, never acted on."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from catalogue.cli import main
from catalogue.records.errors import printable

ESC = "\x1b"


def test_printable_escapes_what_a_terminal_acts_on() -> None:
    assert printable(f"a{ESC}[31mred") == "a\\u001b[31mred"
    assert printable("one\ntwo\r") == "one\\u000atwo\\u000d"
    assert printable("\x9b2J \u202eevil\u2028 \x7f") == "\\u009b2J \\u202eevil\\u2028 \\u007f"
    text = "Référence \u2013 \u201cquoted\u201d 中文"  # printable text stays as it is
    assert printable(text) == text
    assert printable(f"one\ntwo{ESC}", keep_newlines=True) == "one\ntwo\\u001b"


def test_validate_shows_an_escape_in_a_file_name_escaped(registry_copy: Path) -> None:
    source = registry_copy / "datasets" / "nrm-dtn-annual.yaml"
    (registry_copy / "datasets" / f"{ESC}[2J{ESC}]0;owned{ESC}\\.yaml").write_text(source.read_text())
    result = CliRunner().invoke(main, ["validate", "--metadata", str(registry_copy)])
    assert result.exit_code == 1, result.output
    assert ESC not in result.output
    assert "\\u001b[2J" in result.output


def test_list_and_show_escape_record_text(registry_copy: Path) -> None:
    record = registry_copy / "datasets" / "nrm-dtn-annual.yaml"
    text = record.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    record.write_text(text.replace(title, 'title: "Annual \\e[31mred\\u202e\\x9b"', 1))
    listed = CliRunner().invoke(main, ["list", "--metadata", str(registry_copy)])
    assert listed.exit_code == 0, listed.output
    assert "Annual \\u001b[31mred\\u202e\\u009b" in listed.output
    shown = CliRunner().invoke(main, ["show", "nrm-dtn-annual", "--metadata", str(registry_copy)])
    assert shown.exit_code == 0, shown.output
    for char in (ESC, "\u202e", "\x9b"):
        assert char not in shown.output
    assert json.loads(shown.output)["title"] == "Annual \x1b[31mred\u202e\x9b"  # still JSON, the same text
