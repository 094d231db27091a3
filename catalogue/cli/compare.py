"""The `catalogue compare` command: can these two figures be compared, from what the records say."""

from __future__ import annotations

import json
from pathlib import Path

import click

from catalogue.cli.group import format_option, load_or_exit, main, registry_option
from catalogue.records.errors import printable


@main.command()
@click.argument("side_a", metavar="A")
@click.argument("side_b", metavar="B")
@registry_option
@format_option("text for people; json (verdict, summary, reasons with their citations) for tools.")
def compare(side_a: str, side_b: str, metadata: Path, output: str) -> None:
    """Say whether figures A and B can be compared: comparable, comparable with care or not comparable,
    with every reason cited to the record, field and source it comes from. Where the records do not
    say, the reason says "not known".

    A and B are ID[:PERIOD[:BREAKDOWN]]: a record id; a year (2023), a quarter (2023-Q1) or a month
    (2023-04); a breakdown dimension (exploitation-type, decision, age ...). Give the same id twice to
    compare one source at two periods.

    \b
    Examples:
      catalogue compare nrm-dtn-quarterly:2022:decision nrm-dtn-quarterly:2023:decision
      catalogue compare police-recorded-crime-ew:2019 nrm-dtn-annual:2019 --format json
    """
    from catalogue.compare.engine import compare_text
    from catalogue.compare.report import to_text
    from catalogue.compare.sides import SideErrors

    registry = load_or_exit(metadata, check_stamps=False)
    try:
        comparison = compare_text(registry, side_a, side_b)
    except SideErrors as exc:
        named = {"a": "A", "b": "B"}
        raise click.UsageError(
            "\n".join(printable(f"{named[name]}: {message}") for name, message in exc.problems.items())
        ) from None
    if output == "json":
        click.echo(json.dumps(comparison.to_dict(registry), indent=2, ensure_ascii=False))
    else:
        click.echo(to_text(comparison, registry))
