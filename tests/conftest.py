"""Shared fixtures: the shipped registry, a copy of it to break, a free port (golden files: tests/golden.py)."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from catalogue.build import Step, default_steps
from catalogue.records.loader import load_registry
from catalogue.records.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
METADATA = ROOT / "metadata"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The shipped registry, loaded once (read-only: tests make model copies to change)."""
    return load_registry(METADATA)


@pytest.fixture
def registry_copy(tmp_path: Path) -> Path:
    """Return a writable copy of the shipped registry folder."""
    target = tmp_path / "metadata"
    shutil.copytree(METADATA, target)
    return target


def build_steps(*names: str) -> list[tuple[str, Step]]:
    """The build's own steps named `names` (see catalogue.build.default_steps), for tests that need only
    those outputs: the site step (mkdocs) is the slow one, so tests that do not look at pages leave it out."""
    steps = dict(default_steps())
    unknown = set(names) - set(steps)
    assert not unknown, f"no build step named {sorted(unknown)}; the steps are {sorted(steps)}"
    return [(name, steps[name]) for name in names]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """A real `catalogue serve` on 127.0.0.1 and a free port, stopped on exit."""

    def __init__(self, *args: str, cwd: Path = ROOT, startup_seconds: float = 180) -> None:
        import subprocess
        import sys

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.startup_seconds = startup_seconds
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "catalogue", "serve", "--port", str(self.port), *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def __enter__(self) -> ServerProcess:
        import time

        import httpx

        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.proc.stdout.read()}")  # type: ignore[union-attr]
            try:
                httpx.get(self.url + "/registry.json", timeout=1)
                return self
            except httpx.TransportError:
                time.sleep(0.1)
        self.proc.kill()
        raise RuntimeError(f"server did not answer within {self.startup_seconds} s:\n{self.proc.stdout.read()}")  # type: ignore[union-attr]

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        if self.proc.stdout:
            self.proc.stdout.close()
