"""How a record's own fields travel as CKAN extras: which key, and the exact JSON, in one place.

Both routes into a CKAN use this: our package_show (packages.py, from the validated record) and the ckanext-dcat
profile (profile.py, from our DCAT inside CKAN's own virtualenv). So it imports the standard library only: the
profile runs where the project is installed with `pip install --no-deps` (no pydantic there).

The value of an extra is the field's JSON with sorted keys, and every list of strings in it (source keys, units of
measure, affected series and breakdowns, `described_from`) sorted too: these are sets, and RDF keeps no order for
repeated values, so a canonical order is the one both routes can serve byte for byte. (Lists of objects keep the
record's order: caveats, changes, revisions ... carry their index in their DCAT IRI.) The keywords as written are
the exception: they keep the producer's order in the `keywords` extra (KEYWORDS_EXTRA), which the DCAT route cannot
give back (test_ckan_dcat compares them as a set).
"""

from __future__ import annotations

import json
from typing import Any

# The extra that keeps the producer's keywords as written, when CKAN's tag rules changed any of them.
KEYWORDS_EXTRA = "keywords"
# The extra naming the registry a package came from (publish.py updates and prunes only those).
MARK = "registry_source"
# Record fields package_show has a key of its own for (title → title, description → notes, keywords
# → tags ...), each mapped there and back (importing/ckan.py) without loss; every other field is an extra.
CKAN_FIELDS = frozenset(
    {
        "id",
        "title",
        "description",
        "publisher",
        "creator",
        "contact_point",
        "landing_page",
        "keywords",
        "themes",
        "frequency",
        "temporal_resolution",
        "spatial",
    }
)
# The dataset fields of ckanext-dcat's dcat_ap_full.yaml (2.4): an extra of the same name is refused ("There is a
# schema field with the same name"), so a record field CKAN has no exact place for but whose name is one of these
# travels as the extra `record_<name>` (extra_key).
SCHEMA_FIELDS = frozenset(
    [
        *("title", "name", "notes", "tag_string", "contact", "publisher", "creator", "homepage", "license_id"),
        *("owner_org", "url", "issued", "modified", "version", "version_notes", "identifier", "frequency"),
        *("provenance", "dcat_type", "temporal_coverage", "temporal_resolution", "spatial_coverage"),
        *("spatial_resolution_in_meters", "access_rights", "alternate_identifier", "theme", "language"),
        *("documentation", "conforms_to", "is_referenced_by", "applicable_legislation", "has_version"),
        *("qualified_relation", "provenance_activity", "qualified_attribution", "uri"),
    ]
)


def extra_key(field_name: str) -> str:
    """Return the extra a record field travels in: its own name, unless the DCAT-AP schema has a field of that
    name (temporal_coverage: the schema's form has no `ongoing`, so the record's own form goes beside it)."""
    return f"record_{field_name}" if field_name in SCHEMA_FIELDS else field_name


def canonical(value: Any) -> Any:
    """Return `value` with every list of strings sorted (see the module's docstring), the rest as is."""
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(item, str) for item in value):
            return sorted(value)
        return [canonical(item) for item in value]
    return value


def extra_value(value: Any) -> str:
    """Return the JSON of a record field's value (its JSON form: the model's dump, or the DCAT reader's)."""
    return json.dumps(canonical(value), ensure_ascii=False, sort_keys=True)


def keywords_value(keywords: list[str]) -> str:
    """Return the `keywords` extra: the keywords as given, in their order."""
    return json.dumps(keywords, ensure_ascii=False)


def extras_list(extras: dict[str, str]) -> list[dict[str, str]]:
    """Return the extras as package_show lists them: sorted by key."""
    return [{"key": key, "value": extras[key]} for key in sorted(extras)]
