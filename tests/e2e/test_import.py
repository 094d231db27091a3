"""`catalogue import` from a real `catalogue serve`: our own CKAN feed and our own DCAT catalogue (each
format, by URL and as a file) give back records equal to ours; another catalogue's DCAT maps what it
can and lists the rest."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from catalogue.records.loader import load_registry
from catalogue.records.registry import Registry
from tests.conftest import METADATA, ROOT, ServerProcess

pytestmark = pytest.mark.e2e
SAMPLE = ROOT / "tests" / "vendor" / "samples" / "sample-complete.ttl"  # see tests/vendor/README.md


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(
        "--metadata", str(METADATA), "--out", str(tmp_path_factory.mktemp("serve") / "build")
    ) as running:
        yield running


def run_import(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "catalogue", "import", *args], capture_output=True, text=True, timeout=300, cwd=ROOT
    )


def load_staged(staging: Path, work: Path) -> Registry:
    """Load the staged records as the registry's datasets (same catalogue and agents)."""
    copy = work / "metadata"
    shutil.copytree(METADATA, copy)
    for path in (copy / "datasets").glob("*.yaml"):
        path.unlink()
    for path in staging.glob("*.yaml"):
        shutil.copy(path, copy / "datasets" / path.name)
    return load_registry(copy)


def test_importing_our_ckan_feed_gives_back_our_records(server: ServerProcess, tmp_path: Path) -> None:
    staging = tmp_path / "staging"
    result = run_import(server.url, "--metadata", str(METADATA), "--staging", str(staging))
    assert result.returncode == 0, result.stdout + result.stderr
    original = load_registry(METADATA)
    assert "0 new" in result.stdout
    assert f"0 differ from the registry, {len(original.datasets)} the same" in result.stdout
    assert load_staged(staging, tmp_path).datasets == original.datasets


@pytest.mark.parametrize("path", ["/catalog", "/catalog.ttl", "/catalog.jsonld", "/catalog.rdf"])
def test_importing_our_dcat_catalogue_gives_back_our_records(server: ServerProcess, tmp_path: Path, path: str) -> None:
    staging = tmp_path / "staging"
    result = run_import(server.url + path, "--metadata", str(METADATA), "--staging", str(staging))
    assert result.returncode == 0, result.stdout + result.stderr
    original = load_registry(METADATA)
    assert f"0 new, 0 differ from the registry, {len(original.datasets)} the same" in result.stdout
    assert "not mapped" not in result.stdout
    assert load_staged(staging, tmp_path).datasets == original.datasets


@pytest.mark.parametrize("name", ["catalog.ttl", "catalog.jsonld", "catalog.rdf"])
def test_importing_a_dcat_file_gives_back_our_records(tmp_path: Path, name: str) -> None:
    build = tmp_path / "build"
    subprocess.run(
        [sys.executable, "-m", "catalogue", "build", "--metadata", str(METADATA), "--out", str(build)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    staging = tmp_path / "staging"
    result = run_import(str(build / name), "--metadata", str(METADATA), "--staging", str(staging))
    assert result.returncode == 0, result.stdout + result.stderr
    assert load_staged(staging, tmp_path).datasets == load_registry(METADATA).datasets


def test_another_catalogues_dcat_maps_what_it_can_and_lists_the_rest(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.ttl"
    foreign.write_text(SAMPLE.read_text() + "\nex:nrm-referrals dct:conformsTo <https://example.org/standard> .\n")
    staging = tmp_path / "staging"
    result = run_import(str(foreign), "--metadata", str(METADATA), "--staging", str(staging))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 new" in result.stdout
    lines = [line for line in result.stdout.splitlines() if line.startswith("nrm-referrals: not mapped: ")]
    assert any("http://purl.org/dc/terms/conformsTo (1 value)" in line for line in lines)
    assert any("country/GBR (not in the geography vocabulary)" in line for line in lines)
    assert any("data-theme/JUST (not a theme of this registry)" in line for line in lines)
    record = yaml.safe_load((staging / "nrm-referrals.yaml").read_text())
    assert record["frequency"] == "quarterly"
    assert record["access"] == {"level": "open"}
    assert record["temporal_coverage"] == {"start": "2009-04-01", "end": "2025-03-31", "ongoing": False}
    assert record["contact_point"] == {"name": "Statistics enquiries", "email": "stats@example.org"}
    assert record["distributions"] == [
        {
            "description": "CSV extract",
            "format": "CSV",
            "media_type": "text/csv",
            "access_url": "https://example.org/data/nrm.csv",
            "download_url": "https://example.org/data/nrm.csv",
            "licence": "ogl-3",
            "byte_size": 12345,
        }
    ]
    # kept, not dropped, so validation points at it
    assert record["spatial"] == ["http://publications.europa.eu/resource/authority/country/GBR"]


def test_import_writes_only_new_records_into_the_registry(server: ServerProcess, tmp_path: Path) -> None:
    registry = tmp_path / "metadata"
    shutil.copytree(METADATA, registry)
    removed = registry / "datasets" / "nca-nrm-statistics.yaml"
    removed.unlink()
    edited = registry / "datasets" / "nrm-dtn-annual.yaml"
    before = edited.read_text().replace('end of year summary"', 'end of year summary (local)"', 1)
    edited.write_text(before)
    for source in (server.url, server.url + "/catalog.ttl"):
        removed.unlink(missing_ok=True)
        result = run_import(
            source, "--metadata", str(registry), "--staging", str(tmp_path / "staging"), "--into", str(registry)
        )
        assert result.returncode == 0, result.stderr
        assert "1 new" in result.stdout
        assert "1 written" in result.stdout
        assert "1 differ" in result.stdout
        assert removed.exists()
        assert edited.read_text() == before
        assert "(local)" in result.stdout  # the diff of the record that differs


def test_import_from_nowhere_fails_clearly(tmp_path: Path) -> None:
    result = run_import("http://127.0.0.1:9", "--from", "ckan", "--staging", str(tmp_path / "s"))
    assert result.returncode == 1
    assert "no answer" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_of_what_is_not_a_catalogue_fails_clearly(server: ServerProcess, tmp_path: Path) -> None:
    not_rdf = run_import(server.url + "/", "--from", "dcat", "--staging", str(tmp_path / "s"))
    assert not_rdf.returncode == 1
    assert "text/html" in not_rdf.stderr
    assert "not RDF" in not_rdf.stderr
    (tmp_path / "notes.txt").write_text("hello")
    suffix = run_import(str(tmp_path / "notes.txt"), "--staging", str(tmp_path / "s"))
    assert suffix.returncode == 1
    assert "cannot tell the RDF format" in suffix.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> ")
    bad = run_import(str(broken), "--staging", str(tmp_path / "s"))
    assert bad.returncode == 1
    assert "not readable as turtle" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = run_import(str(tmp_path / "nowhere.ttl"), "--staging", str(tmp_path / "s"))
    assert missing.returncode == 1
    assert "no such file" in missing.stderr


def test_import_retries_a_failing_server(tmp_path: Path) -> None:
    """A local server that answers 503 twice, then the catalogue: the import backs off and gets it."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    requests: list[int] = []

    class Flaky(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(1)
            failing = len(requests) <= 2
            body = b"busy" if failing else SAMPLE.read_bytes()
            self.send_response(503 if failing else 200)
            self.send_header("Content-Type", "text/plain" if failing else "text/turtle")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/catalog.ttl"
        result = run_import(url, "--from", "dcat", "--staging", str(tmp_path / "s"))
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(requests) == 3
    assert "1 new" in result.stdout
