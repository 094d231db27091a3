"""The `catalogue` command: argument parsing, progress and exit codes; the work happens elsewhere.

`group.py` holds the command group; each module beside it adds the commands of one kind of work.
"""

from catalogue.cli import compare, imports, outputs, quality, records  # noqa: F401  (importing them adds their commands)
from catalogue.cli.group import main, run

__all__ = ["main", "run"]
