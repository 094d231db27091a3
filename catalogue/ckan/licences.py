"""CKAN 2.11's default licence register, as `license_list` and `package_show` give it, and our licences in it.

Copied from a real CKAN 2.11.6 (`ckan.model.license.LicenseRegister().values()`, each `license_dictize()`), in
its order: a harvester compares licence ids, titles and URLs with its own register, so ours must be the same,
down to the strings "True"/"False" CKAN gives for the domain flags. tests/test_ckan_tags_licences.py checks
this table against the real register when .ckan-venv is there, else against the copy vendored in tests/vendor.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class CkanLicence(NamedTuple):
    id: str
    title: str
    url: str
    od_conformance: str
    domain_content: bool
    domain_data: bool
    is_generic: bool

    @property
    def is_open(self) -> bool:
        """CKAN's `isopen`: the Open Definition conformance is "approved"."""
        return self.od_conformance == "approved"


_APPROVED, _NOT = "approved", "not reviewed"
REGISTER: tuple[CkanLicence, ...] = (
    CkanLicence("notspecified", "License not specified", "", _NOT, False, False, True),
    CkanLicence(
        "odc-pddl",
        "Open Data Commons Public Domain Dedication and License (PDDL)",
        "http://www.opendefinition.org/licenses/odc-pddl",
        _APPROVED,
        False,
        True,
        False,
    ),
    CkanLicence(
        "odc-odbl",
        "Open Data Commons Open Database License (ODbL)",
        "http://www.opendefinition.org/licenses/odc-odbl",
        _APPROVED,
        False,
        True,
        False,
    ),
    CkanLicence(
        "odc-by",
        "Open Data Commons Attribution License",
        "http://www.opendefinition.org/licenses/odc-by",
        _APPROVED,
        False,
        True,
        False,
    ),
    CkanLicence(
        "cc-zero",
        "Creative Commons CCZero",
        "http://www.opendefinition.org/licenses/cc-zero",
        _APPROVED,
        True,
        True,
        False,
    ),
    CkanLicence(
        "cc-by",
        "Creative Commons Attribution",
        "http://www.opendefinition.org/licenses/cc-by",
        _APPROVED,
        False,
        False,
        False,
    ),
    CkanLicence(
        "cc-by-sa",
        "Creative Commons Attribution Share-Alike",
        "http://www.opendefinition.org/licenses/cc-by-sa",
        _APPROVED,
        True,
        False,
        False,
    ),
    CkanLicence(
        "gfdl",
        "GNU Free Documentation License",
        "http://www.opendefinition.org/licenses/gfdl",
        _APPROVED,
        True,
        False,
        False,
    ),
    CkanLicence("other-open", "Other (Open)", "", _APPROVED, True, False, True),
    CkanLicence("other-pd", "Other (Public Domain)", "", _APPROVED, True, False, True),
    CkanLicence("other-at", "Other (Attribution)", "", _APPROVED, True, False, True),
    CkanLicence(
        "uk-ogl",
        "UK Open Government Licence (OGL)",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        _APPROVED,
        True,
        False,
        False,
    ),
    CkanLicence(
        "cc-nc",
        "Creative Commons Non-Commercial (Any)",
        "http://creativecommons.org/licenses/by-nc/2.0/",
        _NOT,
        False,
        False,
        False,
    ),
    CkanLicence("other-nc", "Other (Non-Commercial)", "", _NOT, False, False, True),
    CkanLicence("other-closed", "Other (Not Open)", "", _NOT, False, False, True),
)
BY_ID = {licence.id: licence for licence in REGISTER}

# Our licence slugs (records/vocabularies.py) → the register's id.
OURS: dict[str, str] = {
    "ogl-3": "uk-ogl",
    "cc-by-4": "cc-by",
    "ukds-end-user-licence": "other-closed",
    "all-rights-reserved": "other-closed",
    "unknown": "notspecified",
}


def licence_fields(slug: str) -> dict[str, Any]:
    """Return the licence keys of package_show for our licence `slug`: `license_url` only when the register
    has a URL for it (CKAN's package_dictize leaves the key out otherwise)."""
    licence = BY_ID[OURS[slug]]
    return {"isopen": licence.is_open, "license_id": licence.id, "license_title": licence.title} | (
        {"license_url": licence.url} if licence.url else {}
    )


def license_dict(licence: CkanLicence) -> dict[str, str]:
    """Return one licence as CKAN 2.11's license_list does (its key order; flags as the strings it gives)."""
    return {
        "domain_content": str(licence.domain_content),
        "id": licence.id,
        "domain_data": str(licence.domain_data),
        "domain_software": "False",
        "family": "",
        "is_generic": str(licence.is_generic),
        "od_conformance": licence.od_conformance,
        "osd_conformance": "not reviewed",
        "maintainer": "",
        "status": "active",
        "url": licence.url,
        "title": licence.title,
    }
