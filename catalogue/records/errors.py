"""Problems found in records, and how they are shown to producers and to tools.

    RecordErrors (Exception)      raised by load.py, holds every problem at once
      └─ RecordError              one problem: file, line, column, field, type, message

Each problem's `type` is a stable slug (`unknown-field`, `bad-date`, ...) that tests and the producers'
guide refer to; the message says what is wrong and what would be valid.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


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
        """Return one line per problem, sorted by file and line, then a count."""
        lines = [str(error) for error in self.errors]
        files = len({error.file for error in self.errors})
        lines.append(f"{len(self.errors)} problem(s) in {files} file(s)")
        return "\n".join(lines)

    def to_json(self) -> str:
        """Return the problems as a JSON list of {file, line, column, field, type, message}."""
        return json.dumps([asdict(error) for error in self.errors], indent=2)


def _natural_order(error: RecordError) -> tuple[str, int, int, str, str]:
    return (error.file, error.line, error.column, error.field, error.message)
