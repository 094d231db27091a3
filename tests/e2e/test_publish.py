"""End-to-end: `catalogue publish` against a real CKAN 2.11 on PostgreSQL started here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import pytest

from catalogue.records.loader import load_registry
from tests.conftest import METADATA
from tests.e2e.real_ckan import RealCkan, real_ckan

pytestmark = pytest.mark.e2e


@pytest.fixture
def ckan(tmp_path: Path) -> Iterator[RealCkan]:
    """A fresh CKAN on a fresh database for each test (about 15 s to start and stop), so no test sees what
    another published and each passes alone and in any order."""
    folder = tmp_path / "ckan"
    folder.mkdir()
    with real_ckan(folder) as running:
        yield running


def publish(ckan: RealCkan, metadata: Path, *flags: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CKAN_API_TOKEN": ckan.token if token is None else token}
    return subprocess.run(
        [sys.executable, "-m", "catalogue", "publish", "--ckan", ckan.url, "--metadata", str(metadata), *flags],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def stamp(metadata: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "catalogue", "stamp", "--metadata", str(metadata)],
        check=True,
        capture_output=True,
        timeout=300,
    )


def modified_times(client: ckanapi.RemoteCKAN) -> dict[str, str]:
    return {name: client.action.package_show(id=name)["metadata_modified"] for name in client.action.package_list()}


def test_publish_creates_then_changes_only_what_changed(ckan: RealCkan, tmp_path: Path) -> None:
    metadata = tmp_path / "metadata"
    shutil.copytree(METADATA, metadata)
    client = ckanapi.RemoteCKAN(ckan.url, apikey=ckan.token)
    ours = sorted(path.stem for path in (metadata / "datasets").glob("*.yaml"))

    dry = publish(ckan, metadata, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "create  dataset      nrm-dtn-quarterly" in dry.stdout
    registry = load_registry(metadata)
    expected = len({d.publisher for d in registry.datasets.values()}) + len(registry.catalogue.themes) + len(ours)
    assert f"dry run: {expected} to create" in dry.stdout
    assert "dry run:" in dry.stdout
    assert client.action.package_list() == []

    first = publish(ckan, metadata)
    assert first.returncode == 0, first.stdout + first.stderr
    assert sorted(client.action.package_list()) == ours
    assert {"home-office", "ons", "nca", "uk-data-service"} <= set(client.action.organization_list())
    assert "nrm-and-duty-to-notify" in client.action.group_list()
    quarterly = client.action.package_show(id="nrm-dtn-quarterly")
    assert quarterly["organization"]["name"] == "home-office"
    # a package's licence is the one its distributions share; mixed (or not stated) is CKAN's "notspecified"
    shared = {name: {dist.licence for dist in d.distributions} for name, d in registry.datasets.items()}
    assert quarterly["license_id"] == ("uk-ogl" if shared["nrm-dtn-quarterly"] == {"ogl-3"} else "notspecified")
    open_one = min(name for name, licences in shared.items() if licences == {"ogl-3"})
    mixed = min(name for name, licences in shared.items() if len(licences) > 1)
    assert client.action.package_show(id=open_one)["license_id"] == "uk-ogl"
    assert client.action.package_show(id=mixed)["license_id"] == "notspecified"
    assert {extra["key"] for extra in quarterly["extras"]} >= {"caveats", "method_changes", "registry_source"}
    before = modified_times(client)

    second = publish(ckan, metadata)
    assert second.returncode == 0, second.stdout
    assert "published: nothing to change" in second.stdout, second.stdout
    assert modified_times(client) == before

    record = metadata / "datasets" / "nrm-dtn-annual.yaml"
    record.write_text(record.read_text().replace('end of year summary"', 'end of year summary (edited)"', 1))
    stamp(metadata)
    third = publish(ckan, metadata)
    assert third.returncode == 0, third.stderr
    assert "update  dataset      nrm-dtn-annual  (title)" in third.stdout
    after = modified_times(client)
    assert {name for name in after if after[name] != before[name]} == {"nrm-dtn-annual"}
    assert client.action.package_show(id="nrm-dtn-annual")["title"].endswith("(edited)")


def test_prune_removes_only_what_we_published(ckan: RealCkan, tmp_path: Path) -> None:
    metadata = tmp_path / "metadata"
    shutil.copytree(METADATA, metadata)
    client = ckanapi.RemoteCKAN(ckan.url, apikey=ckan.token)
    assert publish(ckan, metadata).returncode == 0
    client.action.package_create(name="someone-elses-dataset", title="Not ours", owner_org="ons")

    (metadata / "datasets" / "ons-modern-slavery-uk-2020.yaml").unlink()
    _drop_relations_to(metadata, "ons-modern-slavery-uk-2020")
    stamp(metadata)

    kept = publish(ckan, metadata)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "ons-modern-slavery-uk-2020" in client.action.package_list()

    pruned = publish(ckan, metadata, "--prune")
    assert pruned.returncode == 0, pruned.stdout + pruned.stderr
    assert "delete  dataset      ons-modern-slavery-uk-2020" in pruned.stdout
    remaining = client.action.package_list()
    assert "ons-modern-slavery-uk-2020" not in remaining
    assert "someone-elses-dataset" in remaining


def test_publish_needs_a_token(ckan: RealCkan, tmp_path: Path) -> None:
    result = publish(ckan, METADATA, token="")
    assert result.returncode == 2
    assert "CKAN_API_TOKEN" in result.stderr
    refused = publish(ckan, METADATA, token="not-a-token")
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr


def _drop_relations_to(metadata: Path, dataset_id: str) -> None:
    """Remove `related` entries naming `dataset_id`, so the registry stays valid without it."""
    import yaml

    for path in (metadata / "datasets").glob("*.yaml"):
        record = yaml.safe_load(path.read_text())
        related = record.get("related", [])
        if any(item["id"] == dataset_id for item in related):
            record["related"] = [item for item in related if item["id"] != dataset_id]
            path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
