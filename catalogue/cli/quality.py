"""The `catalogue quality` command: each record's data.europa.eu metadata quality score, before publishing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from catalogue.cli.group import format_option, load_or_exit, main, registry_option


@main.command()
@click.argument("dataset_ids", metavar="[ID]...", nargs=-1)
@registry_option
@format_option("text for people (with what to add when IDs are given), json for tools.")
@click.option(
    "--min",
    "minimum",
    type=click.IntRange(0, 405),
    default=None,
    help="Exit 1 if any record scores below this many points (for CI).",
)
@click.option(
    "--links",
    type=click.Path(dir_okay=False, path_type=Path),
    default="linkcheck.json",
    show_default=True,
    help="The link checker's JSON report, for the access and download URL indicators; if absent they "
    "are shown as not checked.",
)
@click.option("--verbose", "-v", is_flag=True, help="With every record, what it misses and how to earn it.")
def quality(
    dataset_ids: tuple[str, ...], metadata: Path, output: str, minimum: int | None, links: Path, verbose: bool
) -> None:
    """Score records by the data.europa.eu Metadata Quality Assessment: per dimension and indicator, out
    of 405 (Excellent from 351, Good from 221, Sufficient from 121), with what to add to each record to
    earn the points it misses.

    Examples: catalogue quality; catalogue quality nrm-dtn-quarterly; catalogue quality --min 200 --format json
    """
    from catalogue.quality.links import ReportError, link_status
    from catalogue.quality.registry import report, score_registry, text

    registry = load_or_exit(metadata, check_stamps=False)
    unknown = [key for key in dataset_ids if key not in registry.datasets]
    if unknown:
        raise click.ClickException(
            f"no dataset {', '.join(repr(key) for key in unknown)}; `catalogue list` shows the ids"
        )
    try:
        status = link_status(links)
    except ReportError as exc:
        raise click.ClickException(str(exc)) from None
    scores = score_registry(registry, status, dataset_ids or None)
    if output == "json":
        click.echo(json.dumps(report(scores, status), indent=2, ensure_ascii=False))
    else:
        click.echo(text(scores, status, verbose=verbose or bool(dataset_ids)))
    if minimum is not None:
        below = sorted(key for key, score in scores.items() if score.total < minimum)
        if below:
            click.echo(f"{len(below)} record(s) score below {minimum}: {', '.join(below)}", err=True)
            sys.exit(1)
