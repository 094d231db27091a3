"""Live preview for `catalogue serve --watch`: rebuild on every change, keep serving the last good build.

A record that stops validating, or a build step that fails, does not stop the server or the watching:
the error is printed in the terminal and shown on every open page (the preview script polls
`/__preview/state` and reloads pages when a new build is ready). Its build folders, in a temporary
folder, are removed when the preview stops.
"""

from __future__ import annotations

import asyncio
import gc
import shutil
import tempfile
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import click
import orjson
from watchfiles import awatch

from catalogue.build import build
from catalogue.layout import link_or_copy
from catalogue.records.errors import RecordErrors, printable
from catalogue.records.loader import load_registry
from catalogue.records.registry import with_base_uri
from catalogue.serve.app import ServedApp, create_app

STATE_PATH = "/__preview/state"


class PreviewApp:
    """Serves the newest good build and rebuilds when `metadata/` or `site/` change."""

    def __init__(self, metadata: Path, out: Path, watched: list[Path], base_uri: str | None = None) -> None:
        self.metadata, self.out, self.watched = metadata, out, watched
        self.base_uri = base_uri  # `serve --watch --base-uri`: every rebuild is for that address
        self.generation = 0
        self.error = ""
        self.app: ServedApp | None = None
        self.closed = False
        self._builds = Path(tempfile.mkdtemp(prefix="catalogue-preview-"))

    def rebuild(self) -> None:
        """Build into a fresh folder; on success serve it, on failure keep the last good build and say why.

        Any failure is reported, never raised: an exception escaping here ended the watch task, and the
        preview silently never rebuilt again."""
        target = self._builds / f"build-{self.generation + 1}"
        step = "loading the records"

        def progress(name: str) -> None:
            nonlocal step
            step = f"the {name} step"

        try:
            registry = load_registry(self.metadata, check_stamps=False, cache=self._builds / "records.pickle")
            if self.base_uri:
                registry = with_base_uri(registry, self.base_uri)
            step = "preparing its folder"
            last = self._builds / f"build-{self.generation}" if self.generation else None
            build(registry, target, progress=progress, preview=True, previous=last)  # reuses what did not change
            if self.closed:
                return
            self._serve(target)
        except RecordErrors as exc:
            self._failed(f"The records do not validate:\n{exc.to_text()}")
        except Exception as exc:  # a build step's own failure: the message, not a traceback
            self._failed(f"The build failed in {step}: {type(exc).__name__}: {printable(str(exc))}")
        finally:
            if self.closed:
                shutil.rmtree(self._builds, ignore_errors=True)
            # the replaced build's registry and pages are cyclic garbage (config, plugin and build refer to one
            # another), and this process seldom runs a full collection: without one here each rebuild kept
            # the one before alive (a registry a rebuild; gigabytes at 10,000 records), frozen during the next
            gc.collect()

    def _failed(self, error: str) -> None:
        self.error = error
        click.echo(f"preview: still serving the last good build. {error}", err=True)

    def _serve(self, target: Path) -> None:
        previous = self._builds / f"build-{self.generation}"
        if self.out.resolve() != target.resolve():
            shutil.rmtree(self.out, ignore_errors=True)
            shutil.copytree(target, self.out, copy_function=link_or_copy)
        if self.app is not None:
            self.app.close()
        self.app = create_app(target)
        self.generation += 1
        self.error = ""
        shutil.rmtree(previous, ignore_errors=True)
        click.echo(f"preview: build {self.generation} ready", err=True)

    def close(self) -> None:
        """Remove the preview's build folders (on Ctrl+C, SIGTERM, or a first build that failed)."""
        self.closed = True
        if self.app is not None:
            self.app.close()
        shutil.rmtree(self._builds, ignore_errors=True)

    async def watch(self) -> None:
        async for _ in awatch(*self.watched, debounce=300):
            await asyncio.to_thread(self.rebuild)

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._task = asyncio.create_task(self.watch())
                await send({"type": "lifespan.startup.complete"})
            message = await receive()
            self._task.cancel()
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] == "http" and scope["path"] == STATE_PATH:
            body = orjson.dumps({"generation": self.generation, "error": self.error})
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"cache-control", b"no-store")],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        assert self.app is not None
        await self.app(scope, receive, _revalidating(send) if scope["type"] == "http" else send)


def _revalidating(send: Any) -> Any:
    """`send` with every answer marked `no-cache`: a preview changes at each save, so the browser must ask
    again every time (the served build's five minutes would keep an edited script stale after a reload)."""

    async def revalidating_send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
            message = {**message, "headers": [*headers, (b"cache-control", b"no-cache")]}
        await send(message)

    return revalidating_send
