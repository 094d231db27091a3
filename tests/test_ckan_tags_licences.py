"""Tags and licences CKAN accepts (issue 18): every tag we serve passes CKAN 2.11's own tag validators, and our
licence register is CKAN 2.11's default one.

The real validators and register are run in CKAN's own virtualenv (.ckan-venv, or CKAN_VENV) in a subprocess
where it is installed; everywhere, the register is also checked against the copy vendored in
tests/vendor/ckan-2.11/licenses.json (AGPL-3.0, see tests/vendor/README.md).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from catalogue.ckan.licences import BY_ID, OURS, REGISTER
from catalogue.ckan.packages import KEYWORDS_EXTRA, ckan_tag, license_list, package_dict
from catalogue.records.registry import Registry
from catalogue.records.vocabularies import LICENCES

ROOT = Path(__file__).resolve().parents[1]
CKAN_PYTHON = Path(os.environ.get("CKAN_VENV", ROOT / ".ckan-venv")) / "bin" / "python"
VENDORED = ROOT / "tests" / "vendor" / "ckan-2.11" / "licenses.json"
# A pattern the validators refuse: "&", "'", "/", ":", an emoji; and keywords that leave under two characters.
AWKWARD = [
    "Modern Slavery & Exploitation Helpline",
    "Barnardo's",
    "A/B: C",
    "x" * 140,
    "&",
    "é",
    "  spaced   out ",
    "🙂ok",
]

# One CKAN start for both lists (its imports are most of a run): the tags we serve, and a control list of tags
# CKAN must refuse, which shows the validators ran rather than passing everything.
_CHECK = """
import json, sys
from ckan.logic.validators import tag_length_validator, tag_name_validator
from ckan.lib.navl.dictization_functions import Invalid
from ckan.model.license import LicenseRegister
def refused(tags):
    found = []
    for tag in tags:
        try:
            tag_length_validator(tag, {})
            tag_name_validator(tag, {})
        except Invalid as exc:
            found.append([tag, str(exc)])
    return found
lists = json.load(sys.stdin)
print(json.dumps({"refused": refused(lists["served"]), "control": refused(lists["control"]),
                  "register": [l.license_dictize() for l in LicenseRegister().values()]}))
"""


def _tags(registry: Registry) -> list[str]:
    every = [tag["name"] for d in registry.datasets.values() for tag in package_dict(registry, d)["tags"]]
    return every + [tag for keyword in AWKWARD if (tag := ckan_tag(keyword))]


def test_tags_are_derived_and_keywords_kept(registry: Registry) -> None:
    assert ckan_tag("Modern Slavery & Exploitation Helpline") == "Modern Slavery and Exploitation Helpline"
    assert ckan_tag("Barnardo's") == "Barnardos"
    assert ckan_tag("&") == "and"
    assert ckan_tag("é") is None
    assert ckan_tag("x" * 140) == "x" * 100
    helpline = registry.datasets["modern-slavery-helpline"]
    package = package_dict(registry, helpline)
    assert "Modern Slavery and Exploitation Helpline" in [tag["name"] for tag in package["tags"]]
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert json.loads(extras[KEYWORDS_EXTRA]) == helpline.keywords


@pytest.mark.skipif(not CKAN_PYTHON.exists(), reason="no CKAN virtualenv (.ci/run makes .ckan-venv)")
def test_real_ckan_accepts_every_tag_and_has_our_register(registry: Registry) -> None:
    result = subprocess.run(
        [str(CKAN_PYTHON), "-c", _CHECK],
        input=json.dumps({"served": _tags(registry), "control": ["Barnardo's"]}),
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/",
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["refused"] == []
    assert found["register"] == json.loads(VENDORED.read_text()), "the vendored register is not CKAN's: refresh it"
    # CKAN itself refuses what we would have served before (the validators run, they are not stand-ins)
    assert [tag for tag, _ in found["control"]] == ["Barnardo's"]


def test_register_is_ckans_default_one(registry: Registry) -> None:
    vendored = json.loads(VENDORED.read_text())
    assert [{key: item[key] for key in sorted(item)} for item in license_list()] == vendored
    assert [licence.id for licence in REGISTER] == [item["id"] for item in vendored]
    assert set(OURS) == set(LICENCES)
    for dataset in registry.datasets.values():
        package = package_dict(registry, dataset)
        licence = BY_ID[package["license_id"]]
        assert package["license_title"] == licence.title
        assert package["isopen"] is licence.is_open
        # CKAN's package_dictize gives license_url only when the register has a URL
        assert package.get("license_url", "") == licence.url
        assert ("license_url" in package) is bool(licence.url)
