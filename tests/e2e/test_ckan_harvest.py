"""End-to-end proof 2 of issue 18: the CKAN harvester's route gives a CKAN the same datasets as our package_show.

A real `catalogue serve` on 127.0.0.1 is harvested by ckanext-harvest 1.6.3's own CKAN harvester (`ckan` source
type), run for real by its `ckan harvester run-test` command (gather: our package_search pages, 100 rows a page,
sorted by id; import: ckanharvester.py's import_stage, then base.py's _create_or_update_package, which calls
package_create with the package_show form), into a real CKAN 2.11.6 with ckanext-dcat 2.4.4's DCAT-AP 3 schema on
ckanext-scheming 3.1.0, configured as the harvesters' guide says (real_ckan.HARVESTING, HARVEST_CONFIG).
Only the queues are skipped (run-test exists for that), and Solr (see real_ckan.py).

What the harvester itself changes (ckanext/harvest/harvesters/ckanharvester.py, 1.6.3), and so what this proof
allows:
- lines 407-452: with `remote_groups: create` each group is looked up locally by id, then by name, else fetched
  with our group_show and created with our id (lines 445-450): groups arrive whole;
- lines 458-496: with `remote_orgs: create` the organization is fetched with our organization_show and created with
  our id (lines 487-492); without it every dataset would go to the harvest source's organization (line 462);
- lines 537-546: each resource's `url_type` and `revision_id` are dropped (ours are None / absent);
- base.py lines 258-262 and 333-354: the package keeps our `id` and (when free) our `name`, and is created with
  CKAN's default create schema, over which ckanext-scheming lays the DCAT-AP schema's fields (its validate()).
A default-schema CKAN is not a target of this route: its harvester would drop the DCAT-AP fields for want of
anywhere to keep them (proof 1 covers publish into it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import ckanapi
import pytest

from catalogue.records.registry import Registry
from tests.conftest import METADATA, ServerProcess
from tests.e2e.real_ckan import HARVESTING, RealCkan, real_ckan
from tests.e2e.test_ckan_routes import compare_all, registry  # noqa: F401  (registry is a fixture)

pytestmark = pytest.mark.e2e

# The harvest source configuration the guide gives: our organizations and groups created in the harvesting CKAN.
HARVEST_CONFIG = {"remote_orgs": "create", "remote_groups": "create"}


@pytest.fixture(scope="module")
def ours(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("registry") / "build"
    with ServerProcess("--metadata", str(METADATA), "--out", str(out)) as running:
        yield running


@pytest.fixture
def harvesting(tmp_path: Path) -> Iterator[RealCkan]:
    folder = tmp_path / "ckan"
    folder.mkdir()
    with real_ckan(folder, HARVESTING, migrate=("harvest",)) as running:
        yield running


def harvest_source(ckan: RealCkan, name: str, url: str, source_type: str, config: dict[str, object]) -> None:
    """Create a harvest source through the CKAN's Action API, as a CKAN administrator does (a source belongs to
    an organization of the harvesting CKAN: `harvesters` here)."""
    client = ckanapi.RemoteCKAN(ckan.url, apikey=ckan.token)
    if "harvesters" not in client.action.organization_list():
        client.action.organization_create(name="harvesters", title="Harvest sources")
    client.action.harvest_source_create(
        name=name,
        title=name,
        url=url,
        source_type=source_type,
        frequency="MANUAL",
        config=json.dumps(config),
        owner_org="harvesters",
    )


def test_ckan_harvester_stores_what_our_package_show_says(
    ours: ServerProcess,
    harvesting: RealCkan,
    registry: Registry,  # noqa: F811
) -> None:
    harvest_source(harvesting, "registry-api", ours.url, "ckan", HARVEST_CONFIG)
    output = harvesting.harvest("registry-api")
    client = ckanapi.RemoteCKAN(harvesting.url, apikey=harvesting.token)
    problems = compare_all(registry, "dcat_ap_3", client)
    assert not problems, "\n".join(problems[:40]) + "\n--- harvester output:\n" + output[-4000:]
