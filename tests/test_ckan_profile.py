"""The ckanext-dcat profile (catalogue/ckan/profile.py) runs in CKAN's own virtualenv, where the project is installed
with --no-deps: it imports only those of our modules that need nothing but rdflib and the standard library (the DCAT
readers, the extras' serialiser, the tag rule and the licence ids, shared with our own outputs); these tests check that,
and that what it reads equals what packages.py serves. (The profile itself is tested against the real ckanext-dcat in
tests/e2e/test_ckan_dcat.py.)"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from catalogue.ckan.licences import OURS
from catalogue.ckan.packages import package_dict
from catalogue.ckan.tags import ckan_tags
from catalogue.records import vocabularies
from catalogue.records.registry import Registry
from tests.conftest import ROOT

PROFILE = ROOT / "catalogue" / "ckan" / "profile.py"


def _ours(tree: ast.Module) -> list[str]:
    """Return the modules of this project the profile imports."""
    modules = [node.module or "" for node in tree.body if isinstance(node, ast.ImportFrom)]
    return [module for module in modules if module.startswith("catalogue")]


def _profile_namespace() -> dict[str, Any]:
    """Run the profile's constants and `_extras` with their imports (not its ckanext import, absent
    here) and return them."""
    tree = ast.parse(PROFILE.read_text())
    kept = [
        node
        for node in tree.body
        if (isinstance(node, ast.Assign | ast.FunctionDef) and getattr(node, "name", "") != "_label")
        or (isinstance(node, ast.ImportFrom) and (node.module or "").startswith(("catalogue", "rdflib")))
    ]
    namespace: dict[str, Any] = {"re": re, "Any": Any}
    exec(compile(ast.Module(body=kept, type_ignores=[]), str(PROFILE), "exec"), namespace)
    return namespace


PROFILE_NAMESPACE = _profile_namespace()


def test_the_profile_imports_only_ckan_ckanext_rdflib_and_ours() -> None:
    tree = ast.parse(PROFILE.read_text())
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    allowed = {"__future__", "re", "typing", "ckanext", "rdflib", "catalogue"}
    outside = {m for m in modules if m.split(".")[0] not in allowed}
    assert not outside, outside


def test_our_modules_the_profile_imports_need_only_rdflib_and_the_standard_library() -> None:
    """Import them with every other dependency of the project refused, as in CKAN's venv (installed --no-deps)."""
    ours = _ours(ast.parse(PROFILE.read_text()))
    assert ours, "the profile imports none of our modules"
    requirements = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[<>=\[ ;]", requirement)[0].lower().replace("-", "_") for requirement in requirements}
    refused = sorted((names - {"rdflib"}) | {"yaml", "orjson", "pydantic_core", "starlette", "jinja2", "mkdocs"})
    program = f"import sys\nfor name in {refused!r}: sys.modules[name] = None\n" + "".join(
        f"import {module}\n" for module in ours
    )
    result = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.fixture(scope="module")
def catalog(served_outputs: Path) -> Graph:
    return Graph().parse(served_outputs / "catalog.ttl", format="turtle")


def test_the_profile_reads_back_every_extra_byte_for_byte(registry: Registry, catalog: Graph) -> None:
    """The profile's extras from our catalog.ttl are packages.py's, value for value, apart from the keywords as
    written (the profile adds them beside, from the keywords it reads; RDF keeps no order)."""
    read = PROFILE_NAMESPACE["_extras"]
    base = registry.catalogue.base_uri
    problems = []
    for name, dataset in sorted(registry.datasets.items()):
        ours = {extra["key"]: extra["value"] for extra in package_dict(registry, dataset)["extras"]}
        ours.pop("keywords", None)
        theirs = read(catalog, base, registry.dataset_uri(name))
        problems += [
            f"{name}: {key}: ours {ours.get(key)!r} / profile {theirs.get(key)!r}"[:400]
            for key in sorted(set(ours) | set(theirs))
            if ours.get(key) != theirs.get(key)
        ]
    assert not problems, "\n".join(problems[:10])


def test_the_profile_derives_tags_by_the_rule_packages_uses() -> None:
    """One tag rule for both routes (catalogue/ckan/tags.py), not a copy that could drift; the rule itself is
    tested in tests/test_ckan_tags_licences.py, against a real CKAN where there is one."""
    assert PROFILE_NAMESPACE["ckan_tags"] is ckan_tags


def test_the_profile_knows_each_licence_iri_we_write() -> None:
    """Each licence IRI's last part (the EU's, else our ns/licence/<slug>) gives the CKAN id licences.py gives."""
    ids = PROFILE_NAMESPACE["LICENCE_IDS"]
    for slug, ckan_id in OURS.items():
        iri = vocabularies.LICENCES[slug].uri or f"https://example.org/ns/licence/{slug}"
        assert ids[iri.rsplit("/", 1)[-1]] == ckan_id, slug
