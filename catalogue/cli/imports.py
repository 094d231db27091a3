"""`catalogue import`: read another catalogue (CKAN or DCAT) into staged records."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from catalogue.cli.group import main, registry_option


@main.command(name="import")
@click.argument("source")
@registry_option
@click.option(
    "--staging",
    default="staging",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write imported records into.",
)
@click.option(
    "--into",
    "into",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write records that are new (never existing ones) into this registry folder.",
)
@click.option(
    "--from",
    "kind",
    type=click.Choice(["auto", "ckan", "dcat"]),
    default="auto",
    show_default=True,
    help="What SOURCE is. auto: a file is DCAT; a URL that answers with RDF is DCAT, else a CKAN site.",
)
def import_(source: str, metadata: Path, staging: Path, into: Path | None, kind: str) -> None:
    """Import dataset records from a CKAN site or a DCAT catalogue into a staging folder as YAML.

    SOURCE is a CKAN site's base URL, or a DCAT catalogue: a URL (paged catalogues are followed to
    the end) or a file (.ttl, .jsonld, .rdf). Existing records in the registry are never
    overwritten: a readable diff is printed instead. Anything that cannot be mapped is listed.

    \b
    Example: catalogue import https://ckan.example.org --staging /tmp/staging
    Example: catalogue import https://data.example.org/catalog.ttl
    Example: catalogue import catalog.jsonld --into metadata
    """
    from catalogue.importing import ckan as import_ckan
    from catalogue.importing import dcat as import_dcat
    from catalogue.importing import staging as importer
    from catalogue.importing.http import ImportError_

    staging.mkdir(parents=True, exist_ok=True)
    counts = {"new": 0, "changed": 0, "same": 0, "written": 0}
    progress = _ProgressBar("fetching datasets")
    try:
        if kind == "auto":
            kind = _source_kind(source)
        if kind == "dcat":
            records = import_dcat.fetch_records(source, progress=progress)
        else:
            records = (import_ckan.map_package(p) for p in import_ckan.fetch_packages(source, progress=progress))
        for imported in records:
            staged = importer.stage(imported, metadata, staging, into)
            for note in imported.unmapped:
                progress.echo(f"{staged.id}: not mapped: {note}")
            if staged.diff:
                progress.echo(staged.diff)
            counts[staged.status] += 1
            counts["written"] += staged.written
    except ImportError_ as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        progress.close()
    click.echo(
        f"imported into {staging}: {counts['new']} new, {counts['changed']} differ from the registry, "
        f"{counts['same']} the same" + (f"; {counts['written']} written into {into}" if into else "")
    )


def _source_kind(source: str) -> str:
    """Return "dcat" for a file or a URL that answers with RDF, "ckan" for anything else."""
    if not source.startswith(("http://", "https://")):
        return "dcat"
    import httpx

    from catalogue.importing.dcat import ACCEPT, rdf_media_type
    from catalogue.importing.http import ImportError_

    try:
        response = httpx.head(source, headers={"Accept": ACCEPT}, follow_redirects=True, timeout=30)
        if response.status_code in (405, 501):
            response = httpx.get(source, headers={"Accept": ACCEPT}, follow_redirects=True, timeout=30)
    except httpx.HTTPError as exc:
        raise ImportError_(f"{source}: {type(exc).__name__}: {exc}") from None
    return "dcat" if rdf_media_type(response.headers.get("content-type")) else "ckan"


class _ProgressBar:
    """A progress bar on stderr, drawn once the total is known; lines printed meanwhile go above it."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.length = max(total, done, 1)
        self.bar.update(done - self.done)
        self.done = done

    def echo(self, text: str) -> None:
        if self.bar is not None and sys.stderr.isatty():
            click.echo("\r\x1b[K", nl=False, err=True)
        click.echo(text)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            click.echo(f"fetched {self.done} datasets", err=True)
