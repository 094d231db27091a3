"""The ckanext-dcat profile (catalogue/ckan/profile.py) runs in CKAN's own virtualenv and imports nothing of ours,
so it carries copies of two of our rules; these tests keep the copies equal to the originals. (The profile itself is
tested against the real ckanext-dcat in tests/e2e/test_ckan_dcat.py.)"""

from __future__ import annotations

import ast
import re
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from catalogue.ckan.licences import OURS
from catalogue.ckan.packages import ckan_tag
from catalogue.records import vocabularies
from tests.conftest import ROOT

PROFILE = ROOT / "catalogue" / "ckan" / "profile.py"


def _profile_namespace() -> dict[str, Any]:
    """Run the profile's constants and `ckan_tag` (not its ckanext import, absent here) and return them."""
    tree = ast.parse(PROFILE.read_text())
    kept = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign | ast.FunctionDef) and getattr(node, "name", "") != "_label"
    ]
    namespace: dict[str, Any] = {"re": re, "Any": Any}
    exec(compile(ast.Module(body=kept, type_ignores=[]), str(PROFILE), "exec"), namespace)
    return namespace


PROFILE_NAMESPACE = _profile_namespace()


def test_the_profile_imports_only_ckan_ckanext_and_rdflib() -> None:
    tree = ast.parse(PROFILE.read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    outside = {m for m in modules if m.split(".")[0] not in {"__future__", "json", "re", "typing", "ckanext", "rdflib"}}
    assert not outside, outside


# mostly characters CKAN allows, so that long tags (cut at 100) are as likely as refused characters
@given(st.text(alphabet=st.sampled_from("aZé9 _-.&'\t!ß"), max_size=140) | st.text(max_size=40))
@example("Modern Slavery & Exploitation Helpline")
@example("Barnardo's")
@example("x" * 120)
@example("long " * 30)
def test_the_profile_derives_tags_as_packages_does(keyword: str) -> None:
    assert PROFILE_NAMESPACE["ckan_tag"](keyword) == ckan_tag(keyword)


def test_the_profile_knows_each_licence_iri_we_write() -> None:
    """Each licence IRI's last part (the EU's, else our ns/licence/<slug>) gives the CKAN id licences.py gives."""
    ids = PROFILE_NAMESPACE["LICENCE_IDS"]
    for slug, ckan_id in OURS.items():
        iri = vocabularies.LICENCES[slug].uri or f"https://example.org/ns/licence/{slug}"
        assert ids[iri.rsplit("/", 1)[-1]] == ckan_id, slug
