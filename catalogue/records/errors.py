"""Problems found in records, and how they are shown to producers and to tools.

    RecordErrors (Exception)      raised by load.py, holds every problem at once
      └─ RecordError              one problem: file, line, column, field, type, message

Each problem's `type` is a stable slug (`unknown-field`, `bad-date`, ...) that tests and the producers'
guide refer to; the message says what is wrong and what would be valid.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass

# What a terminal acts on rather than shows: C0 and C1 controls (ESC starts the ANSI sequences that recolour,
# retitle or clear it), DEL, the line and paragraph separators, and the bidirectional controls that make
# text read in another order than it is ("Trojan Source").
_NOT_SHOWN = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[{_NOT_SHOWN}]")
_CONTROLS_BUT_NEWLINE = re.compile(f"(?!\n)[{_NOT_SHOWN}]")


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """Return `text` safe to print to a terminal: each control character as a `\\uXXXX` escape.

    The one function the command prints what a record or the file system says through (file names,
    titles, messages quoting values): a file named with an ANSI escape would otherwise recolour or
    rewrite the terminal, and a title with a line break forge a line of output. The escape is JSON's,
    so JSON text stays valid JSON; `keep_newlines` keeps the line breaks of text laid out in lines.
    """
    pattern = _CONTROLS_BUT_NEWLINE if keep_newlines else _CONTROLS
    return pattern.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


@dataclass(frozen=True, order=True)
class RecordError:
    file: str
    line: int
    column: int
    field: str
    type: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class RecordErrors(Exception):
    """Every problem found in a registry; raised only when there is at least one."""

    def __init__(self, errors: list[RecordError]) -> None:
        self.errors = sorted(set(errors), key=_natural_order)
        super().__init__(f"{len(self.errors)} problem(s) in the records")

    def to_text(self) -> str:
        """Return one line per problem, sorted by file and line, then the summary; control characters in
        file names and quoted values escaped (`printable`)."""
        return "\n".join(printable(line) for line in [*(str(error) for error in self.errors), self.summary()])

    def summary(self) -> str:
        """Return one line counting the problems, grouped by file (most first), e.g.
        `3 problems in 2 files: metadata/datasets/a.yaml (2), metadata/datasets/b.yaml (1)`, or
        `2 problems in metadata/datasets/a.yaml`."""
        by_file = Counter(error.file for error in self.errors)
        shown = [f"{file} ({count})" for file, count in sorted(by_file.items(), key=lambda item: (-item[1], item[0]))]
        if len(shown) > _FILES_LISTED:
            shown[_FILES_LISTED:] = [f"and {len(shown) - _FILES_LISTED} more"]
        if len(by_file) == 1:
            return f"{_count(len(self.errors), 'problem')} in {self.errors[0].file}"
        return f"{_count(len(self.errors), 'problem')} in {_count(len(by_file), 'file')}: {', '.join(shown)}"

    def to_json(self) -> str:
        """Return the problems as a JSON list of {file, line, column, field, type, message}."""
        return json.dumps([asdict(error) for error in self.errors], indent=2)


_FILES_LISTED = 10


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _natural_order(error: RecordError) -> tuple[str, int, int, str, str]:
    return (error.file, error.line, error.column, error.field, error.message)
