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


@pytest.fixture(scope="session")
def site(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped registry's site as `write_site` makes it, built on 2026-11-30 (the citations' "accessed"
    date), once for every module that only reads it: each site build is mostly mkdocs' fixed work, seconds
    apiece. Read-only; a module that needs another site (other records, preview) defines its own `site`."""
    from catalogue.site.build import SiteBuild, write_site

    out = tmp_path_factory.mktemp("site") / "site"
    out.mkdir()
    write_site(SiteBuild(registry, built="2026-11-30"), out)
    return out


@pytest.fixture(scope="session")
def built_outputs(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build's site, metadata quality and DCAT steps on the shipped registry, as `catalogue build` runs them
    (built today), once for the modules that only read them. Read-only."""
    from catalogue.build import build

    out = tmp_path_factory.mktemp("build") / "out"
    build(registry, out, steps=build_steps("site", "metadata quality", "DCAT feeds"))
    return out


@pytest.fixture(scope="session")
def served_outputs(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped registry's registry.json, DCAT feeds and CKAN dumps and search index (what the server and the
    Action API answer from), built once for every module that only reads them or serves them. Read-only."""
    from catalogue.build import build

    out = tmp_path_factory.mktemp("served") / "build"
    build(registry, out, steps=build_steps("registry.json", "DCAT feeds", "CKAN dumps and search index"))
    return out


@pytest.fixture
def registry_copy(tmp_path: Path) -> Path:
    """Return a writable copy of the shipped registry folder."""
    target = tmp_path / "metadata"
    shutil.copytree(METADATA, target)
    return target


def small_registry(target: Path, root: str = "nrm-dtn-annual", unrelated: str = "us-tip-report-uk") -> Path:
    """Copy into `target` a registry of the shipped records `related` reaches from `root` (every record that one
    names, so the copy validates) and `unrelated`, with only the agents they and the catalogue name. A build of
    the whole registry is mostly mkdocs' fixed work plus a page per record and per agent: tests that need a
    build but not every record (incremental builds' byte-equality) build this one, a quarter of the pages.
    Its stamps are the shipped ones, those of records left out included: run `write_stamps` before a
    `load_registry` that checks them."""
    import yaml

    records = {path.stem: yaml.safe_load(path.read_text("utf-8")) for path in (METADATA / "datasets").glob("*.yaml")}
    keep, todo = {root, unrelated}, [root]
    while todo:
        for related in records[todo.pop()].get("related") or []:
            if related["id"] not in keep:
                keep.add(related["id"])
                todo.append(related["id"])
    catalogue = yaml.safe_load((METADATA / "catalogue.yaml").read_text("utf-8"))
    agents = {catalogue["publisher"]}
    for key in keep:
        agents |= {records[key]["publisher"], *(records[key].get("creator") or [])}
    (target / "datasets").mkdir(parents=True)
    (target / "agents").mkdir()
    for name in ("catalogue.yaml", "stamps.json"):
        shutil.copy2(METADATA / name, target / name)
    for key in keep:
        shutil.copy2(METADATA / "datasets" / f"{key}.yaml", target / "datasets")
    for key in agents:
        shutil.copy2(METADATA / "agents" / f"{key}.yaml", target / "agents")
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
