"""Commands that write or serve the outputs: build, serve, publish, linkcheck."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from catalogue.cli.group import leave_at_once, load_or_exit, main, registry_option
from catalogue.layout import BuildLayout
from catalogue.records.errors import printable
from catalogue.records.registry import BadBaseUri, Registry, with_base_uri

BASE_URI_VARIABLE = "CATALOGUE_BASE_URI"
base_uri_option = click.option(
    "--base-uri",
    envvar=BASE_URI_VARIABLE,
    default=None,
    help=f"The address the registry is deployed at, e.g. https://stats.example.gov.uk (no trailing slash); "
    f"every identifier and canonical link is built from it. Default: {BASE_URI_VARIABLE}, "
    "else base_uri in metadata/catalogue.yaml.",
)


def _at_base(registry: Registry, base_uri: str | None) -> Registry:
    """The registry as deployed at `base_uri` (the option, else the environment), or as its record says."""
    if not base_uri:
        return registry
    try:
        return with_base_uri(registry, base_uri)
    except BadBaseUri as exc:
        raise click.BadParameter(printable(str(exc)), param_hint=f"--base-uri (or {BASE_URI_VARIABLE})") from None


def _out_option(help_text: str) -> Any:
    """`--out DIR` (default build/), as build and serve both take it."""
    return click.option(
        "--out", default="build", show_default=True, type=click.Path(file_okay=False, path_type=Path), help=help_text
    )


@main.command()
@registry_option
@_out_option("Output folder; replaced only if the whole build succeeds.")
@base_uri_option
@click.option(
    "--upstream",
    default="127.0.0.1:8000",
    show_default=True,
    help="HOST:PORT of `catalogue serve` for the nginx configuration the build writes (nginx/ in the output).",
)
@click.option(
    "--static",
    is_flag=True,
    help="Output for a plain static host (object store, pages service): package_list and package_show as "
    "files, no server-only files, and what the copy cannot do said on the pages that need the server.",
)
def build(metadata: Path, out: Path, base_uri: str | None, upstream: str, static: bool) -> None:
    """Validate, then write every output (site, DCAT, CKAN dumps, feeds) into one folder, with an
    nginx configuration that serves it in front of `catalogue serve` (see the README's "Deploying");
    with --static, for a host that only serves files instead.

    Example: catalogue build --out /srv/registry --base-uri https://stats.example.gov.uk
    """
    from catalogue.build import build as run_build
    from catalogue.build import records_cache

    if not static:
        _nginx_step(out, upstream)  # a bad --upstream or --out fails before anything, the record cache too, is written
    registry = _at_base(load_or_exit(metadata, cache=records_cache(out, metadata)), base_uri)
    _run_build(registry, out, run_build, upstream, static=static)
    leave_at_once()  # everything is written: no need to free the registry and the pages object by object


def _nginx_step(out: Path, upstream: str) -> Any:
    """The build step writing the nginx configuration; a value nginx cannot be given is a usage error."""
    from catalogue.serve.nginx import NginxProblem, nginx_step

    try:
        return nginx_step(out, upstream)
    except NginxProblem as exc:
        raise click.BadParameter(printable(str(exc)), param_hint=exc.option) from None


def _run_build(registry: Registry, out: Path, run_build: object, upstream: str, *, static: bool = False) -> None:
    started = time.perf_counter()

    def progress(step: str) -> None:
        click.echo(f"  building {step} ({time.perf_counter() - started:.1f}s)", err=True)

    from catalogue.build import BuildRefused, default_steps
    from catalogue.serve.static import StaticProblem, static_step

    last = ("static host files", static_step) if static else ("nginx configuration", _nginx_step(out, upstream))
    try:
        # the previous build's unchanged dataset pages are reused, except by --static, which rewrites pages
        previous = None if static else out.resolve()
        run_build(registry, out, steps=[*default_steps(previous=previous), last], progress=progress)  # type: ignore[operator]
    except (BuildRefused, StaticProblem) as exc:
        raise click.ClickException(printable(str(exc))) from None
    click.echo(f"built {len(registry.datasets)} datasets into {out} in {time.perf_counter() - started:.1f}s")


@main.command()
@registry_option
@_out_option("Output folder to build into and serve.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--no-build", is_flag=True, help="Serve the existing output folder without rebuilding.")
@click.option(
    "--watch",
    is_flag=True,
    help="Live preview: rebuild when metadata/ or site/ change and reload "
    "open pages; a record that stops validating shows its error instead.",
)
@base_uri_option
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes sharing the port (about one per core).",
)
def serve(
    metadata: Path, out: Path, host: str, port: int, no_build: bool, watch: bool, base_uri: str | None, workers: int
) -> None:
    """Build, then serve the site, the DCAT feeds and the CKAN API (read-only).

    Links a client follows (DCAT paging, the API's help links, the site's own links) name the
    address the request came to; identifiers name the base URI.

    Example: catalogue serve --port 8080 --workers 2, then open http://127.0.0.1:8080/
    """
    from catalogue.build import build as run_build
    from catalogue.serve.app import create_app
    from catalogue.serve.server import run as run_server
    from catalogue.serve.server import run_workers

    if watch and workers > 1:
        raise click.UsageError("--watch serves from one process; leave out --workers")
    if watch:
        from catalogue.serve.preview import PreviewApp
        from catalogue.site.build import MKDOCS_YML

        if base_uri:  # checked once here, so that the preview's first build cannot fail on it
            _at_base(load_or_exit(metadata, check_stamps=False), base_uri)
        preview = PreviewApp(metadata, out, [metadata, MKDOCS_YML.parent / "site"], base_uri)
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
        reach = "127.0.0.1" if host in ("0.0.0.0", "::", "") else f"[{host}]" if ":" in host else host
        upstream = f"{reach}:{port}"  # the nginx configuration the build writes points at this server
        from catalogue.build import records_cache

        registry = load_or_exit(metadata, cache=records_cache(out, metadata))
        _run_build(_at_base(registry, base_uri), out, run_build, upstream)
    layout = BuildLayout(out)
    problem = layout.is_current()
    if problem:
        raise click.ClickException(f"{problem}; run without --no-build")
    built_for = layout.read_dcat_index()["base_uri"]
    if no_build and base_uri and base_uri != built_for:
        raise click.ClickException(
            f"{out} was built for {built_for}, not {base_uri}; run without --no-build to build for {base_uri}"
        )
    click.echo(f"serving {out} on http://{host}:{port}/ with {workers} worker(s) (Ctrl+C to stop)")
    if workers > 1:
        run_workers(out, host, port, workers)
    else:
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
