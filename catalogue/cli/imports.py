"""`catalogue import`: read another catalogue (CKAN or DCAT) into staged records."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from catalogue.cli.group import main, registry_option
from catalogue.importing.limits import MAX_BYTES, MAX_DATASETS, MAX_PAGES, MAX_SECONDS
from catalogue.records.errors import printable

if TYPE_CHECKING:
    from catalogue.importing.http import Fetcher


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
@click.option(
    "--max-bytes", type=click.IntRange(1), default=MAX_BYTES, show_default=True, help="Largest answer or file read."
)
@click.option(
    "--max-seconds",
    type=click.FloatRange(0.1),
    default=MAX_SECONDS,
    show_default=True,
    help="Longest one request may take, to its last byte.",
)
@click.option(
    "--max-pages", type=click.IntRange(1), default=MAX_PAGES, show_default=True, help="Most catalogue pages followed."
)
@click.option(
    "--max-datasets", type=click.IntRange(1), default=MAX_DATASETS, show_default=True, help="Most datasets read."
)
def import_(
    source: str,
    metadata: Path,
    staging: Path,
    into: Path | None,
    kind: str,
    max_bytes: int,
    max_seconds: float,
    max_pages: int,
    max_datasets: int,
) -> None:
    """Import dataset records from a CKAN site or a DCAT catalogue into a staging folder as YAML.

    SOURCE is a CKAN site's base URL, or a DCAT catalogue: a URL (paged catalogues are followed to
    the end) or a file (.ttl, .jsonld, .rdf). Existing records in the registry are never
    overwritten: a readable diff is printed instead. Anything that cannot be mapped is listed.
    A dataset whose identifier cannot be a record id is skipped, saying why (exit status 1).
    Every fetch is bounded by the --max-* limits; reaching one stops the import with exit status 1.

    \b
    Example: catalogue import https://ckan.example.org --staging /tmp/staging
    Example: catalogue import https://data.example.org/catalog.ttl
    Example: catalogue import catalog.jsonld --into metadata
    """
    from catalogue.importing import ckan as import_ckan
    from catalogue.importing import dcat as import_dcat
    from catalogue.importing.http import Fetcher, ImportError_, Limits
    from catalogue.importing.names import Refused
    from catalogue.importing.staging import Stager

    if into is not None and not (into / "datasets").is_dir():
        raise click.ClickException(f"--into {_safe(str(into))}: not a registry folder (it has no datasets/ folder)")
    staging.mkdir(parents=True, exist_ok=True)
    counts = {"new": 0, "changed": 0, "same": 0, "written": 0, "skipped": 0}
    progress = _ProgressBar("fetching datasets")
    stager = Stager(metadata, staging, into)
    limits = Limits(max_bytes=max_bytes, max_seconds=max_seconds, max_pages=max_pages, max_datasets=max_datasets)
    try:
        with Fetcher(limits) as fetcher:
            if kind == "auto":
                kind = _source_kind(source, fetcher)
            if kind == "dcat":
                records = import_dcat.fetch_records(source, fetcher, progress=progress)
            else:
                records = import_ckan.fetch_records(source, fetcher, progress=progress)
            for imported in records:
                try:
                    staged = stager.stage(imported)
                except Refused as exc:
                    progress.echo(f"skipped: {_line(str(exc))}")
                    counts["skipped"] += 1
                    continue
                if staged.renamed_from is not None:
                    progress.echo(
                        f"{staged.id}: staged under this id (the source's identifier is {staged.renamed_from!r})"
                    )
                for note in imported.unmapped:
                    progress.echo(f"{staged.id}: not mapped: {note}")
                if staged.diff:
                    progress.echo(staged.diff)
                counts[staged.status] += 1
                counts["written"] += staged.written
    except ImportError_ as exc:
        raise click.ClickException(_line(str(exc))) from None
    finally:
        progress.close()
    click.echo(
        f"imported into {_safe(str(staging))}: {counts['new']} new, {counts['changed']} differ from the registry, "
        f"{counts['same']} the same"
        + (f"; {counts['written']} written into {_safe(str(into))}" if into else "")
        + (f"; {counts['skipped']} skipped" if counts["skipped"] else "")
    )
    if counts["skipped"]:
        skipped = counts["skipped"]
        raise click.ClickException(
            f"{skipped} dataset{'s' if skipped > 1 else ''} skipped (each is named above, with the reason)"
        )


def _safe(text: str) -> str:
    """Remote text (and file names) laid out in lines (diffs, notes), as printed: no terminal escapes."""
    return printable(text, keep_newlines=True)


def _line(text: str) -> str:
    """An error or a skipped dataset as printed: one line, no terminal escapes."""
    return printable(text)


def _source_kind(source: str, fetcher: Fetcher) -> str:
    """Return "dcat" for a file or a URL that answers with RDF, "ckan" for anything else (the body
    of the answer is never read here)."""
    if not source.startswith(("http://", "https://")):
        return "dcat"
    from catalogue.importing.dcat import ACCEPT, rdf_media_type

    answer = fetcher.get(source, accept=ACCEPT, body=False)
    return "dcat" if rdf_media_type(answer.content_type) else "ckan"


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
        click.echo(_safe(text))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            click.echo(f"fetched {self.done} datasets", err=True)
