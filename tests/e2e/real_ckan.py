"""Start a real CKAN 2.11 on a real PostgreSQL, both on 127.0.0.1, for the publish tests.

CKAN from PyPI in its own virtualenv
(`.ci/run` makes it at .ckan-venv), PostgreSQL from Debian run by the `postgres` user in a temporary
folder, no Solr (so CKAN's synchronous_search plugin is unloaded in the serving process, and the
code under test must find what exists through *_list and *_show, never package_search).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
CKAN_VENV = Path(os.environ.get("CKAN_VENV", ROOT / ".ckan-venv"))

# No Solr can be installed here (no package in the registries this machine reaches), so CKAN's processes index
# nothing on write (synchronous_search's notify and the index's index_package do nothing), and answer CKAN's
# internal package searches (organization_show and group_show count datasets with one) with an empty result
# instead of an error. This stands in for the outside search server only; CKAN's own database, actions,
# validation and API run for real, and `publish` itself never searches.
_NO_SOLR = """
import ckan.lib.search as search
import ckan.lib.search.query as search_query
def _no_search(self, query, permission_labels=None, **kwargs):
    self.count, self.results, self.facets = 0, [], {}
    return {"results": [], "count": 0}
search_query.PackageSearchQuery.run = _no_search
search.SynchronousSearchPlugin.notify = lambda self, entity, operation: None
search.index.PackageSearchIndex.index_package = lambda self, pkg_dict, defer_commit=False: None
"""
_SERVE = (
    _NO_SOLR
    + """
import sys
from ckan.cli import load_config
from ckan.config.middleware import make_app
from werkzeug.serving import run_simple

app = make_app(load_config(sys.argv[1]))
run_simple("127.0.0.1", int(sys.argv[2]), app, threaded=True)
"""
)
# What ckanext-harvest 1.6.3's `ckan harvester run-test SOURCE` does (utils.py run_test_harvester: a job for the
# source, then tests/lib.py run_harvest_job: the harvester's real gather_stage, then fetch_and_import_stages for each
# object, then harvest_jobs_run to close the job), in one process under the same stand-in for Solr as the server, and
# without Redis: the job is made with run=False, as ckanext-harvest's own test factory makes it (run-test's
# harvest_job_create would push it onto the Redis gather queue first), and harvest_jobs_run's Redis housekeeping
# (resubmit_jobs, resubmit_objects: re-queue stale queue entries) has no queue to look at.
_HARVEST = (
    _NO_SOLR
    + """
import sys
from ckan.cli import load_config
from ckan.config.middleware import make_app
import ckan.plugins.toolkit as tk
import ckanext.harvest.logic.action.update as harvest_update
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob
from ckanext.harvest.tests import lib

harvest_update.resubmit_jobs = harvest_update.resubmit_objects = lambda: None
app = make_app(load_config(sys.argv[1]))
with app._wsgi_app.test_request_context():
    context = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    source = tk.get_action("harvest_source_show")(context, {"id": sys.argv[2]})
    job = tk.get_action("harvest_job_create")(dict(context), {"source_id": source["id"], "run": False})
    results = lib.run_harvest_job(HarvestJob.get(job["id"]), queue.get_harvester(source["source_type"]))
    for guid, result in sorted(results.items()):
        print(guid, result.get("state"), result.get("report_status"), [str(e.message) for e in result["errors"]])
"""
)


# ckanext-dcat's RDFParser, as its RDF harvester runs it (ckanext/dcat/harvesters/rdf.py), with the profiles named by
# the CKAN's `ckanext.dcat.rdf.profiles`, over a DCAT file; prints the package dicts as one JSON list.
_PARSE = (
    _NO_SOLR
    + """
import json, sys
from ckan.cli import load_config
from ckan.config.middleware import make_app
from ckanext.dcat.processors import RDFParser

app = make_app(load_config(sys.argv[1]))
with app._wsgi_app.test_request_context():
    parser = RDFParser()
    with open(sys.argv[2], encoding="utf-8") as source:
        parser.parse(source.read(), _format="turtle")
    print(json.dumps(list(parser.datasets())))
"""
)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it")
    return versions[-1].parent


def _as_postgres(args: list[str]) -> None:
    command = ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd="/")
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


@contextmanager
def postgres() -> Iterator[str]:
    """Run a PostgreSQL server on a free port; yield its SQLAlchemy URL for database ckan.

    Its data folder sits directly under the system temporary folder, where the `postgres` user
    (which initdb needs when we run as root) can reach it.
    """
    binaries = _pg_bin()
    folder = Path(tempfile.mkdtemp(prefix="registry-test-pg-"))
    data = folder / "pgdata"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
    port = _free_port()
    _as_postgres([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"])
    _as_postgres(
        [
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(data / "log"),
            "-o",
            f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
            "start",
        ]
    )
    try:
        _as_postgres([str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "ckan"])
        yield f"postgresql://postgres@127.0.0.1:{port}/ckan"
    finally:
        _as_postgres([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class RealCkan:
    url: str
    token: str
    log: Path
    config: Path

    def harvest(self, source: str) -> str:
        """Run a harvest job of SOURCE on this CKAN as ckanext-harvest's `harvester run-test` does (gather, fetch
        and import, no queues; see _HARVEST); return its output (a line per harvest object) and log."""
        result = self._run(_HARVEST, source, timeout=900, what=f"harvest of {source}")
        return result.stdout + result.stderr

    def parse_dcat(self, document: Path) -> list[dict[str, Any]]:
        """Return the package dicts ckanext-dcat's RDFParser reads from a Turtle file with this CKAN's profiles."""
        result = self._run(_PARSE, str(document), timeout=600, what=f"RDFParser on {document}")
        return list(json.loads(result.stdout.strip().splitlines()[-1]))

    def _run(self, script: str, argument: str, *, timeout: int, what: str) -> subprocess.CompletedProcess[str]:
        """Run `script` with this CKAN's configuration and `argument` in CKAN's own virtualenv; fail saying `what`
        failed, with its output."""
        result = subprocess.run(
            [str(CKAN_VENV / "bin" / "python"), "-c", script, str(self.config), argument],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.config.parent,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{what} failed:\n{result.stdout}\n{result.stderr[-6000:]}")
        return result


def _ckan(config: Path | None, *args: str, stdin: str | None = None, cwd: Path | None = None) -> str:
    options = ["-c", str(config)] if config else []
    result = subprocess.run(
        [str(CKAN_VENV / "bin" / "ckan"), *options, *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        cwd=cwd or (config.parent if config else None),
    )
    if result.returncode != 0:
        raise RuntimeError(f"ckan {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# The configuration of a CKAN with ckanext-dcat's DCAT-AP 3 schema (ckanext-scheming), as the harvesters' guide
# gives it: `real_ckan(folder, DCAT_AP_3)`.
DCAT_AP_3 = (
    "ckan.plugins = scheming_datasets dcat",
    "scheming.dataset_schemas = ckanext.dcat.schemas:dcat_ap_full.yaml",
    "scheming.presets = ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml",
    "ckanext.dcat.rdf.profiles = euro_dcat_ap_3",
)
# The same with ckanext-harvest 1.6.3 and its CKAN harvester (and ckanext-dcat's DCAT harvester), as the guide gives
# it; its tables are made with `ckan db upgrade -p harvest` (real_ckan's `migrate`).
HARVESTING = (
    "ckan.plugins = harvest ckan_harvester dcat_rdf_harvester scheming_datasets dcat",
    *DCAT_AP_3[1:],
)


@contextmanager
def real_ckan(
    folder: Path, config_lines: tuple[str, ...] = ("ckan.plugins =",), migrate: tuple[str, ...] = ()
) -> Iterator[RealCkan]:
    """Yield a running CKAN 2.11 with a sysadmin's API token, on a fresh database.

    `config_lines` are ckan.ini settings (`key = value`), by default no plugin at all (CKAN's default schema);
    DCAT_AP_3 is the one with ckanext-dcat and ckanext-scheming's DCAT-AP 3 schema. `migrate` names plugins whose
    own tables `ckan db upgrade -p` makes (HARVESTING needs "harvest")."""
    with postgres() as database, ckan_on(database, folder, config_lines, migrate) as running:
        yield running


@contextmanager
def ckan_on(
    database: str, folder: Path, config_lines: tuple[str, ...] = ("ckan.plugins =",), migrate: tuple[str, ...] = ()
) -> Iterator[RealCkan]:
    """Yield a CKAN 2.11 configured by `config_lines` on `database` (a fresh one, or one an earlier CKAN left, as
    a site that switches its plugins keeps its database), with a sysadmin and a new API token; stop it on exit."""
    if not (CKAN_VENV / "bin" / "ckan").exists():
        raise RuntimeError(f"no CKAN at {CKAN_VENV}; .ci/run installs it (pip install 'ckan[requirements]==2.11.6')")
    port = _free_port()
    config = folder / "ckan.ini"
    subprocess.run(
        [str(CKAN_VENV / "bin" / "ckan"), "generate", "config", str(config)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    storage = folder / "storage"
    storage.mkdir()
    _ckan(
        None,
        "config-tool",
        str(config),
        f"sqlalchemy.url = {database}",
        f"ckan.site_url = http://127.0.0.1:{port}",
        *config_lines,
        f"ckan.storage_path = {storage}",
        "solr_url = http://127.0.0.1:9/solr/ckan",
        cwd=folder,
    )
    _ckan(config, "db", "init")
    for plugin in migrate:
        _ckan(config, "db", "upgrade", "-p", plugin)
    _ckan(
        config,
        "sysadmin",
        "add",
        "publisher",
        "email=publisher@example.org",
        "password=Publisher-Pass-1",
        stdin="y\n",
    )
    output = _ckan(config, "user", "token", "add", "publisher", "registry-tests")
    token = output.strip().splitlines()[-1].strip()
    log = folder / "ckan.log"
    with open(log, "w") as sink:
        proc = subprocess.Popen(
            [str(CKAN_VENV / "bin" / "python"), "-c", _SERVE, str(config), str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=folder,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"CKAN exited:\n{log.read_text()}")
            try:
                if httpx.get(f"{url}/api/3/action/status_show", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"CKAN did not answer in 120 s:\n{log.read_text()}")
            time.sleep(0.2)
        yield RealCkan(url, token, log, config)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
