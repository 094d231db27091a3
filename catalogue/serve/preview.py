"""Live preview for `catalogue serve --watch`: rebuild on every change, keep serving the last good build.

A record that stops validating does not stop the server: its error is printed in the terminal and
shown on every open page (the preview script polls `/__preview/state` and reloads pages when a new
build is ready).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import click
import orjson
from watchfiles import awatch

from catalogue.build import build
from catalogue.records.errors import RecordErrors
from catalogue.records.loader import load_registry
from catalogue.serve.app import ServedApp, create_app

STATE_PATH = "/__preview/state"


class PreviewApp:
    """Serves the newest good build and rebuilds when `metadata/` or `site/` change."""

    def __init__(self, metadata: Path, out: Path, watched: list[Path]) -> None:
        self.metadata, self.out, self.watched = metadata, out, watched
        self.generation = 0
        self.error = ""
        self.app: ServedApp | None = None
        self._builds = Path(tempfile.mkdtemp(prefix="catalogue-preview-"))

    def rebuild(self) -> None:
        """Build into a fresh folder; on success serve it, on failure keep the last good build."""
        target = self._builds / f"build-{self.generation + 1}"
        try:
            registry = load_registry(self.metadata, check_stamps=False)
            build(registry, target, preview=True)
        except RecordErrors as exc:
            self.error = exc.to_text()
            click.echo(
                f"preview: the records do not validate; still serving the last good build\n{self.error}", err=True
            )
            return
        previous = self._builds / f"build-{self.generation}"
        if self.app is not None:
            self.app.close()
        self.app = create_app(target)
        self.generation += 1
        self.error = ""
        if self.out.resolve() != target.resolve():
            shutil.rmtree(self.out, ignore_errors=True)
            shutil.copytree(target, self.out)
        shutil.rmtree(previous, ignore_errors=True)
        click.echo(f"preview: build {self.generation} ready", err=True)

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
        await self.app(scope, receive, send)
