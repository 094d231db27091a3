"""The `catalogue` command group and what its commands share: --metadata, --format, loading the records."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from catalogue.records.errors import RecordErrors
from catalogue.records.loader import load_registry
from catalogue.records.registry import Registry

registry_option = click.option(
    "--metadata",
    "metadata",
    default="metadata",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The registry folder to work on.",
)


def load_or_exit(metadata: Path, *, check_stamps: bool = True, cache: Path | None = None) -> Registry:
    """Load the registry or exit 1 with every problem (never a traceback for a bad record); `cache`:
    the file of validated records that spares reading unchanged ones again (records/cached.py)."""
    try:
        return load_registry(metadata, check_stamps=check_stamps, cache=cache)
    except RecordErrors as exc:
        click.echo(exc.to_text(), err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="modern-slavery-registry")
def main() -> None:
    """The modern slavery statistics registry: validate, build and serve the records in metadata/.

    Every command that reads the records takes --metadata DIR (default: metadata); every command
    takes --help.

    \b
    Example: add a record, check it, and preview the site
      catalogue new my-series --publisher home-office --theme nrm-and-duty-to-notify
      catalogue validate
      catalogue stamp
      catalogue serve --watch
    """


def format_option(help_text: str) -> Any:
    """`--format text|json` (into the parameter `output`), as every command that reports takes it."""
    return click.option(
        "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True, help=help_text
    )


# Set by a command whose process holds nothing more to do once it has answered (`build`): `run` then ends the
# process without Python's teardown, which frees every object the build made one by one (17 s after a build of
# 10,000 records, longer than the rebuild it followed).
_LEAVE_AT_ONCE = False


def leave_at_once() -> None:
    """Ask `run` to end the process without tearing down the interpreter once the command returns."""
    global _LEAVE_AT_ONCE
    _LEAVE_AT_ONCE = True


def run() -> None:
    """The `catalogue` program (`python -m catalogue` and the installed script): `main`, then, for a command that
    asked (`leave_at_once`), its exit code with the streams and logs flushed and no teardown. Tests call `main`
    in-process, which never leaves this way."""
    try:
        main()
    except SystemExit as exc:
        if not _LEAVE_AT_ONCE:
            raise
        code = exc.code
        if isinstance(code, str):
            click.echo(code, err=True)
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code if isinstance(code, int) else (0 if code is None else 1))
