"""End-to-end: a harvester gets the same dataset by every route (issue 18), against real CKANs started here.

Proof 1: `catalogue publish` into a CKAN 2.11.6 with CKAN's default schema, and into one with ckanext-dcat 2.4's
DCAT-AP 3 schema on ckanext-scheming (`real_ckan.DCAT_AP_3`, the configuration the harvesters' guide gives);
every dataset read back with the target's package_show equals our own package_show (catalogue/ckan/packages.py),
field by field, apart from SET_BY_TARGET. On the default schema our package_show is compared in the form that
schema stores (publish.default_schema: ckanext-dcat's own extras for the DCAT fields).
Proofs 2 and 4 are in test_ckan_harvest.py and test_ckan_dcat.py. A CKAN that held our datasets on the default
schema and was then switched to the DCAT-AP 3 schema is repaired by the next publish (the last test).
A difference fails with the dataset, the field path and both values.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ckanapi
import pytest

from catalogue.ckan.packages import package_dict
from catalogue.ckan.publish import SERVER_SET, Target, sendable
from catalogue.records.loader import load_registry
from catalogue.records.registry import Registry
from tests.conftest import METADATA
from tests.e2e.real_ckan import DCAT_AP_3, RealCkan, ckan_on, postgres, real_ckan

pytestmark = pytest.mark.e2e

# What a target sets itself, so it may differ from ours: its timestamps, the user who created the package, and
# the ids it gives the organization, groups and tags it holds (ours are uuid5 of our ids; the package and
# resource ids we send are kept). Paths as _differences writes them, with [] for any position.
SET_BY_TARGET = frozenset(
    {
        "metadata_created",
        "metadata_modified",
        "creator_user_id",
        "owner_org",
        "organization.id",
        "organization.created",
        "groups[].id",
        "tags[].id",
        "resources[].metadata_modified",
    }
)
SCHEMAS = {"default": ("ckan.plugins =",), "dcat_ap_3": DCAT_AP_3}


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(METADATA)


@pytest.fixture(params=sorted(SCHEMAS))
def ckan(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, RealCkan]]:
    """A fresh CKAN on a fresh database, with the schema named by the parameter."""
    folder = tmp_path / "ckan"
    folder.mkdir()
    with real_ckan(folder, SCHEMAS[request.param]) as running:
        yield request.param, running


def expected(schema: str, package: dict[str, Any]) -> dict[str, Any]:
    """Return our package_show as the target stores it: as is on the DCAT-AP schema; on the default one with
    the schema fields as ckanext-dcat's extras (what publish sends), the keys CKAN sets as we serve them."""
    if schema == "dcat_ap_3":
        return package
    stored, _ = sendable(package, Target(None))
    return (
        {key: value for key, value in package.items() if key in SERVER_SET}
        | stored
        | {
            "owner_org": package["owner_org"],
            "groups": package["groups"],
            "tags": package["tags"],
            "resources": [ours | sent for ours, sent in zip(package["resources"], stored["resources"], strict=True)],
        }
    )


def differences(ours: Any, theirs: Any, path: str = "", *, none_is_absent: bool = False) -> list[str]:
    """Return every field path where `theirs` differs from `ours`, with both values, outside SET_BY_TARGET."""
    if _generic(path) in SET_BY_TARGET:
        return []
    if isinstance(ours, dict) and isinstance(theirs, dict):
        found: list[str] = []
        for key in sorted(set(ours) | set(theirs)):
            sub = f"{path}.{key}" if path else key
            if key not in theirs or key not in ours:
                value = ours.get(key, theirs.get(key))
                if none_is_absent and value is None:
                    continue
                if _generic(sub) not in SET_BY_TARGET:
                    side = "ours only" if key in ours else "theirs only"
                    found.append(f"{sub}: {side}: {value!r}"[:300])
                continue
            found += differences(ours[key], theirs[key], sub, none_is_absent=none_is_absent)
        return found
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        return [
            line
            for i, (a, b) in enumerate(zip(ours, theirs, strict=True))
            for line in differences(a, b, f"{path}[{i}]", none_is_absent=none_is_absent)
        ]
    return [] if ours == theirs else [f"{path}: ours {ours!r} / theirs {theirs!r}"[:300]]


def _generic(path: str) -> str:
    return re.sub(r"\[\d+\]", "[]", path)


def publish(ckan: RealCkan, *flags: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CKAN_API_TOKEN": ckan.token}
    return subprocess.run(
        [sys.executable, "-m", "catalogue", "publish", "--ckan", ckan.url, "--metadata", str(METADATA), *flags],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def compare_all(registry: Registry, schema: str, client: ckanapi.RemoteCKAN) -> list[str]:
    """Return every difference between the target's package_show and ours, for every dataset; a lost one too."""
    names = set(client.action.package_list())
    problems = [f"{name}: not in the target CKAN" for name in sorted(set(registry.datasets) - names)]
    for name in sorted(set(registry.datasets) & names):
        ours = expected(schema, package_dict(registry, registry.datasets[name]))
        theirs = client.action.package_show(id=name)
        problems += [f"{name}: {line}" for line in differences(ours, theirs, none_is_absent=schema == "default")]
    return problems


def test_publish_then_package_show_equals_ours(ckan: tuple[str, RealCkan], registry: Registry) -> None:
    schema, running = ckan
    result = publish(running)
    assert result.returncode == 0, result.stdout + result.stderr
    label = "ckanext-scheming dataset schema  (every field fits)" if schema == "dcat_ap_3" else "default CKAN schema"
    assert f"note    schema       {label}" in result.stdout
    client = ckanapi.RemoteCKAN(running.url, apikey=running.token)
    problems = compare_all(registry, schema, client)
    assert not problems, "\n".join(problems[:40])
    again = publish(running)
    assert "published: nothing to change" in again.stdout, again.stdout


def test_publish_repairs_a_ckan_switched_to_the_dcat_ap_3_schema(tmp_path: Path, registry: Registry) -> None:
    """A site that took our datasets on CKAN's default schema, then enabled ckanext-dcat's DCAT-AP 3 schema on the
    same database (the issue: every package_show then answered 400): publish updates each dataset into the
    schema's form, and every package_show equals ours."""
    with postgres() as database:
        for name in ("default", "dcat_ap_3"):
            (tmp_path / name).mkdir()
        with ckan_on(database, tmp_path / "default") as before:
            first = publish(before)
            assert first.returncode == 0, first.stdout + first.stderr
        with ckan_on(database, tmp_path / "dcat_ap_3", DCAT_AP_3) as after:
            result = publish(after)
            assert result.returncode == 0, result.stdout + result.stderr
            updated = [line for line in result.stdout.splitlines() if line.startswith("update  dataset")]
            assert len(updated) == len(registry.datasets), result.stdout
            problems = compare_all(registry, "dcat_ap_3", ckanapi.RemoteCKAN(after.url, apikey=after.token))
            assert not problems, "\n".join(problems[:40])
            again = publish(after)
            assert "published: nothing to change" in again.stdout, again.stdout
