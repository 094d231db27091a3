"""Commands that write or serve the outputs: build, serve, publish, linkcheck."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from catalogue.cli.group import load_or_exit, main, registry_option
from catalogue.layout import BuildLayout
from catalogue.records.errors import printable
from catalogue.records.registry import Registry


@main.command()
@registry_option
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

    registry = load_or_exit(metadata)
    _run_build(registry, out, run_build)


def _run_build(registry: Registry, out: Path, run_build: object) -> None:
    started = time.perf_counter()

    def progress(step: str) -> None:
        click.echo(f"  building {step} ({time.perf_counter() - started:.1f}s)", err=True)

    from catalogue.build import BuildRefused

    try:
        run_build(registry, out, progress=progress)  # type: ignore[operator]
    except BuildRefused as exc:
        raise click.ClickException(printable(str(exc))) from None
    click.echo(f"built {len(registry.datasets)} datasets into {out} in {time.perf_counter() - started:.1f}s")


@main.command()
@registry_option
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
    from catalogue.build import build as run_build
    from catalogue.serve.app import create_app
    from catalogue.serve.server import run as run_server

    if watch:
        from catalogue.serve.preview import PreviewApp
        from catalogue.site.build import MKDOCS_YML

        preview = PreviewApp(metadata, out, [metadata, MKDOCS_YML.parent / "site"])
        try:  # uvicorn returns after Ctrl+C or SIGTERM; the preview's build folders go with it
            preview.rebuild()
            if preview.app is None:
                raise click.ClickException("the records must build once before the preview can start")
            click.echo(f"previewing {metadata} on http://{host}:{port}/ (rebuilds on change; Ctrl+C to stop)")
            run_server(preview, host, port)
        finally:
            preview.close()
        return

    if not no_build:
        _run_build(load_or_exit(metadata), out, run_build)
    problem = BuildLayout(out).is_current()
    if problem:
        raise click.ClickException(f"{problem}; run without --no-build")
    click.echo(f"serving {out} on http://{host}:{port}/ (Ctrl+C to stop)")
    run_server(create_app(out), host, port)


@main.command()
@registry_option
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

    registry = load_or_exit(metadata)
    token = os.environ.get(TOKEN_VARIABLE)
    if not token and not dry_run:
        raise click.UsageError(f"set {TOKEN_VARIABLE} to a CKAN API token with rights to create datasets")
    ckan = ckanapi.RemoteCKAN(ckan_url.rstrip("/"), apikey=token, user_agent="modern-slavery-registry publish")
    try:
        steps = plan(registry, ckan, prune=prune)
        for step in steps:
            click.echo(printable(str(step)))
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
@registry_option
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

    registry = load_or_exit(metadata, check_stamps=False)
    urls = registry_urls(registry)

    def progress(done: int, total: int) -> None:
        if done == total or done % 10 == 0:
            click.echo(f"  checked {done}/{total}", err=True)

    results = asyncio.run(check_urls(urls, timeout=timeout, progress=progress))
    click.echo(printable(table(results), keep_newlines=True))
    report.write_text(report_json(results), encoding="utf-8")
    click.echo(f"report written to {report}")
    if any(not r.ok for r in results):
        sys.exit(1)
