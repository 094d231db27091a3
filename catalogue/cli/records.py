"""Commands on the records themselves: validate, list, show, new, schema, stamp."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from catalogue.cli.group import format_option, load_or_exit, main, registry_option
from catalogue.records.errors import RecordErrors, printable
from catalogue.records.loader import load_registry


@main.command()
@registry_option
@format_option("text for people, json for tools and editors.")
def validate(metadata: Path, output: str) -> None:
    """Check every record and the registry as a whole; list all problems at once.

    Exits 0 with a one-line summary when all is well, 1 with the report otherwise.

    Example: catalogue validate --format json
    """
    try:
        registry = load_registry(metadata)
    except RecordErrors as exc:
        click.echo(exc.to_json() if output == "json" else exc.to_text())
        sys.exit(1)
    if output == "json":
        click.echo("[]")
    else:
        click.echo(
            f"OK: {len(registry.datasets)} datasets, {len(registry.agents)} agents, "
            f"{len(registry.catalogue.themes)} themes in {metadata}"
        )


@main.command(name="list")
@registry_option
def list_datasets(metadata: Path) -> None:
    """List the datasets: id, publisher, frequency and title, one per line.

    Example: catalogue list | grep home-office
    """
    registry = load_or_exit(metadata, check_stamps=False)
    for dataset in registry.datasets.values():
        click.echo(f"{dataset.id}\t{dataset.publisher}\t{dataset.frequency}\t{printable(dataset.title)}")


@main.command()
@click.argument("dataset_id")
@registry_option
def show(dataset_id: str, metadata: Path) -> None:
    """Print one dataset as validated JSON (what every output is built from).

    Example: catalogue show nrm-dtn-quarterly
    """
    registry = load_or_exit(metadata, check_stamps=False)
    dataset = registry.datasets.get(dataset_id)
    if dataset is None:
        raise click.ClickException(f"no dataset {dataset_id!r}; `catalogue list` shows the ids")
    text = json.dumps(dataset.model_dump(mode="json", exclude_defaults=True), indent=2, ensure_ascii=False)
    click.echo(printable(text, keep_newlines=True))  # JSON leaves C1 controls, U+2028 and bidi controls as they are


@main.command()
@click.argument("dataset_id")
@click.option("--publisher", default="home-office", show_default=True, help="Agent id to fill in.")
@click.option("--theme", default="nrm-and-duty-to-notify", show_default=True, help="Theme id to fill in.")
@registry_option
def new(dataset_id: str, publisher: str, theme: str, metadata: Path) -> None:
    """Write a commented scaffold for a new dataset record, to fill in.

    Example: catalogue new police-recorded-crime --publisher home-office --theme crime-and-justice
    """
    import re

    from catalogue.records.loader import known_names
    from catalogue.records.scaffold import render_scaffold
    from catalogue.records.suggest import unknown_message
    from catalogue.records.values import SLUG_PATTERN

    if not re.match(SLUG_PATTERN, dataset_id):
        raise click.BadParameter(
            "use lowercase letters, digits and single hyphens, e.g. 'nrm-statistics'", param_hint="DATASET_ID"
        )
    agents, themes = known_names(metadata)
    if publisher not in agents:
        message = unknown_message("agent", publisher, agents, f"agents in {metadata}/agents/")
        raise click.BadParameter(message, param_hint="--publisher")
    if theme not in themes:
        message = unknown_message("theme", theme, themes, f"themes in {metadata}/catalogue.yaml")
        raise click.BadParameter(message, param_hint="--theme")
    path = metadata / "datasets" / f"{dataset_id}.yaml"
    if path.exists():
        raise click.ClickException(f"{path} already exists; edit it instead")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_scaffold(dataset_id, publisher, theme), encoding="utf-8")
    click.echo(f"wrote {path}: fill it in, then run `catalogue validate` and `catalogue stamp`")


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of stdout.")
@registry_option
def schema(out: Path | None, metadata: Path) -> None:
    """Print the JSON Schema of a dataset record, for editors that validate YAML as you type.

    The schema lists the registry's agent and theme ids, so an editor flags an unknown publisher or
    theme as you type; without a registry folder it is the model's schema alone.

    Example: catalogue schema --out schema/dataset.schema.json
    """
    from catalogue.records.loader import known_names
    from catalogue.records.schema import dataset_json_schema, with_registry_names

    text = json.dumps(with_registry_names(dataset_json_schema(), *known_names(metadata)), indent=2)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {out}")
    else:
        click.echo(text)


@main.command()
@registry_option
def stamp(metadata: Path) -> None:
    """Record today as the modified date of every record whose content changed.

    Writes metadata/stamps.json; commit it with the records. Unchanged records keep their dates.

    Example: catalogue stamp && git add metadata/stamps.json
    """
    from catalogue.records.stamps import write_stamps

    registry = load_or_exit(metadata, check_stamps=False)
    added, changed = write_stamps(registry)
    click.echo(
        f"stamped: {len(added)} new, {len(changed)} changed, "
        f"{len(registry.datasets) - len(added) - len(changed)} unchanged"
    )
