"""The `catalogue` command: argument parsing, progress and exit codes; the work happens elsewhere."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from catalogue.layout import BuildLayout
from catalogue.records.errors import RecordErrors
from catalogue.records.loader import load_registry
from catalogue.records.registry import Registry

_registry_option = click.option(
    "--metadata",
    "metadata",
    default="metadata",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The registry folder to work on.",
)


def _load(metadata: Path, *, check_stamps: bool = True) -> Registry:
    """Load the registry or exit 1 with every problem (never a traceback for a bad record)."""
    try:
        return load_registry(metadata, check_stamps=check_stamps)
    except RecordErrors as exc:
        click.echo(exc.to_text(), err=True)
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="modern-slavery-registry")
def main() -> None:
    """The modern slavery statistics registry: validate, build and serve the records in metadata/."""


@main.command()
@_registry_option
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools and editors.",
)
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
@_registry_option
def list_datasets(metadata: Path) -> None:
    """List the datasets: id, publisher, frequency and title, one per line.

    Example: catalogue list | grep home-office
    """
    registry = _load(metadata, check_stamps=False)
    for dataset in registry.datasets.values():
        click.echo(f"{dataset.id}\t{dataset.publisher}\t{dataset.frequency}\t{dataset.title}")


@main.command()
@click.argument("dataset_id")
@_registry_option
def show(dataset_id: str, metadata: Path) -> None:
    """Print one dataset as validated JSON (what every output is built from).

    Example: catalogue show nrm-dtn-quarterly
    """
    registry = _load(metadata, check_stamps=False)
    dataset = registry.datasets.get(dataset_id)
    if dataset is None:
        raise click.ClickException(f"no dataset {dataset_id!r}; `catalogue list` shows the ids")
    click.echo(json.dumps(dataset.model_dump(mode="json", exclude_defaults=True), indent=2, ensure_ascii=False))


@main.command()
@click.argument("dataset_id")
@click.option("--publisher", default="home-office", show_default=True, help="Agent id to fill in.")
@click.option("--theme", default="nrm-and-duty-to-notify", show_default=True, help="Theme id to fill in.")
@_registry_option
def new(dataset_id: str, publisher: str, theme: str, metadata: Path) -> None:
    """Write a commented scaffold for a new dataset record, to fill in.

    Example: catalogue new police-recorded-crime --publisher home-office --theme crime-and-justice
    """
    import re

    from catalogue.records.scaffold import render_scaffold
    from catalogue.records.values import SLUG_PATTERN

    if not re.match(SLUG_PATTERN, dataset_id):
        raise click.BadParameter(
            "use lowercase letters, digits and single hyphens, e.g. 'nrm-statistics'", param_hint="DATASET_ID"
        )
    path = metadata / "datasets" / f"{dataset_id}.yaml"
    if path.exists():
        raise click.ClickException(f"{path} already exists; edit it instead")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_scaffold(dataset_id, publisher, theme), encoding="utf-8")
    click.echo(f"wrote {path}: fill it in, then run `catalogue validate` and `catalogue stamp`")


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of stdout.")
def schema(out: Path | None) -> None:
    """Print the JSON Schema of a dataset record, for editors that validate YAML as you type.

    Example: catalogue schema --out schema/dataset.schema.json
    """
    from catalogue.records.schema import dataset_json_schema

    text = json.dumps(dataset_json_schema(), indent=2)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {out}")
    else:
        click.echo(text)


@main.command()
@_registry_option
def stamp(metadata: Path) -> None:
    """Record today as the modified date of every record whose content changed.

    Writes metadata/stamps.json; commit it with the records. Unchanged records keep their dates.

    Example: catalogue stamp && git add metadata/stamps.json
    """
    from catalogue.records.stamps import write_stamps

    registry = _load(metadata, check_stamps=False)
    added, changed = write_stamps(registry)
    click.echo(
        f"stamped: {len(added)} new, {len(changed)} changed, "
        f"{len(registry.datasets) - len(added) - len(changed)} unchanged"
    )


@main.command()
@_registry_option
@click.option(
    "--out",
    default="build",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder; replaced only if the whole build succeeds.",
)
def build(metadata: Path, out: Path) -> None:
    """Validate, then write every output (site, DCAT, CKAN dumps, feeds) into one folder.

    Example: catalogue build --out /tmp/registry-build
    """
    from catalogue.build import build as run_build

    registry = _load(metadata)
    _run_build(registry, out, run_build)


def _run_build(registry: Registry, out: Path, run_build: object) -> None:
    started = time.perf_counter()

    def progress(step: str) -> None:
        click.echo(f"  building {step} ({time.perf_counter() - started:.1f}s)", err=True)

    from catalogue.build import BuildRefused

    try:
        run_build(registry, out, progress=progress)  # type: ignore[operator]
    except BuildRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"built {len(registry.datasets)} datasets into {out} in {time.perf_counter() - started:.1f}s")


@main.command()
@_registry_option
@click.option(
    "--out",
    default="build",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder to build into and serve.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--no-build", is_flag=True, help="Serve the existing output folder without rebuilding.")
@click.option(
    "--watch",
    is_flag=True,
    help="Live preview: rebuild when metadata/ or site/ change and reload "
    "open pages; a record that stops validating shows its error instead.",
)
def serve(metadata: Path, out: Path, host: str, port: int, no_build: bool, watch: bool) -> None:
    """Build, then serve the site, the DCAT feeds and the CKAN API (read-only).

    Example: catalogue serve --port 8080, then open http://127.0.0.1:8080/
    """
    import uvicorn

    from catalogue.build import build as run_build
    from catalogue.serve.app import create_app

    if watch:
        from catalogue.serve.preview import PreviewApp
        from catalogue.site.build import MKDOCS_YML

        preview = PreviewApp(metadata, out, [metadata, MKDOCS_YML.parent / "site"])
        preview.rebuild()
        if preview.app is None:
            raise click.ClickException("the records must validate once before the preview can start")
        click.echo(f"previewing {metadata} on http://{host}:{port}/ (rebuilds on change; Ctrl+C to stop)")
        uvicorn.run(preview, host=host, port=port, log_level="warning", access_log=False)
        return

    if not no_build:
        _run_build(_load(metadata), out, run_build)
    problem = BuildLayout(out).is_current()
    if problem:
        raise click.ClickException(f"{problem}; run without --no-build")
    click.echo(f"serving {out} on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(create_app(out), host=host, port=port, log_level="warning", access_log=False)


@main.command()
@_registry_option
@click.option("--ckan", "ckan_url", required=True, help="Base URL of the CKAN site, e.g. https://ckan.example.org")
@click.option("--dry-run", is_flag=True, help="Print the plan; change nothing.")
@click.option("--prune", is_flag=True, help="Also delete datasets this registry published that it no longer has.")
def publish(metadata: Path, ckan_url: str, dry_run: bool, prune: bool) -> None:
    """Push organizations, groups and datasets to a real CKAN through its Action API.

    The API token comes from the CKAN_API_TOKEN environment variable (never a flag, so it stays out
    of shell history). Prints its plan; updates only what changed; deletes only datasets it
    published, and only with --prune. Running it twice changes nothing the second time.

    Example: CKAN_API_TOKEN=... catalogue publish --ckan https://ckan.example.org --dry-run
    """
    import os

    import ckanapi

    from catalogue.ckan.publish import TOKEN_VARIABLE, apply, plan

    registry = _load(metadata)
    token = os.environ.get(TOKEN_VARIABLE)
    if not token and not dry_run:
        raise click.UsageError(f"set {TOKEN_VARIABLE} to a CKAN API token with rights to create datasets")
    ckan = ckanapi.RemoteCKAN(ckan_url.rstrip("/"), apikey=token, user_agent="modern-slavery-registry publish")
    try:
        steps = plan(registry, ckan, prune=prune)
        for step in steps:
            click.echo(str(step))
        counts = {
            action: sum(1 for s in steps if s.action == action) for action in ("create", "update", "delete", "skip")
        }
        summary = ", ".join(f"{n} to {a}" for a, n in counts.items() if n) or "nothing to change"
        if dry_run:
            click.echo(f"dry run: {summary}")
            return
        apply(ckan, steps, lambda step: None)
    except ckanapi.NotAuthorized as exc:
        raise click.ClickException(
            f"CKAN refused: {exc}; does the token in {TOKEN_VARIABLE} have the rights?"
        ) from None
    except ckanapi.ValidationError as exc:
        raise click.ClickException(f"CKAN rejected a record: {exc}") from None
    except (ckanapi.CKANAPIError, OSError) as exc:
        raise click.ClickException(f"could not talk to {ckan_url}: {exc}") from None
    click.echo(f"published: {summary}")


@main.command()
@_registry_option
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default="linkcheck.json",
    show_default=True,
    help="Where to write the JSON report.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 300),
    default=10.0,
    show_default=True,
    help="Seconds to wait for each answer.",
)
def linkcheck(metadata: Path, report: Path, timeout: float) -> None:
    """Check every URL in the registry (pages, files, access routes, sources); exit 1 if any is broken.

    At most a few requests at a time per host; HEAD first, GET when HEAD is refused; redirects
    followed and reported; failures that may pass retried with back-off.

    Example: catalogue linkcheck --report /tmp/links.json
    """
    import asyncio

    from catalogue.linkcheck import check_urls, registry_urls, report_json, table

    registry = _load(metadata, check_stamps=False)
    urls = registry_urls(registry)

    def progress(done: int, total: int) -> None:
        if done == total or done % 10 == 0:
            click.echo(f"  checked {done}/{total}", err=True)

    results = asyncio.run(check_urls(urls, timeout=timeout, progress=progress))
    click.echo(table(results))
    report.write_text(report_json(results), encoding="utf-8")
    click.echo(f"report written to {report}")
    if any(not r.ok for r in results):
        sys.exit(1)


@main.command(name="import")
@click.argument("source")
@_registry_option
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
