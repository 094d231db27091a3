"""The project's shape: data flows one way between modules, and the docs cover the code."""

from __future__ import annotations

import ast
from pathlib import Path

from catalogue.model import MODELS_BY_KIND
from catalogue.openapi import ACTIONS
from catalogue.schema_docs import _models, schema_reference_page
from tests.conftest import ROOT

PACKAGE = ROOT / "catalogue"
# Outputs never import each other's entry points, the CLI, or the server; only load.py reads YAML.
FORBIDDEN = {
    "rdf": {"ckan", "api", "server", "cli", "site", "load"},
    "ckan": {"rdf", "api", "server", "cli", "site", "load"},
    "site": {"rdf", "api", "server", "cli", "load", "ckan"},
    "model": {"load", "rdf", "ckan", "site", "api", "server", "cli"},
    "registry": {"load", "rdf", "ckan", "site", "api", "server", "cli"},
    "api": {"cli", "load", "rdf", "site"},
    "search": {"cli", "load", "rdf", "site", "api"},
}


def _imports(module: Path) -> set[str]:
    tree = ast.parse(module.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("catalogue"):
            found.add(node.module.split(".")[1] if "." in node.module else "")
            found |= {alias.name for alias in node.names if node.module == "catalogue"}
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("catalogue.")}
    return found


def test_data_flows_one_way() -> None:
    for name, forbidden in FORBIDDEN.items():
        assert not (_imports(PACKAGE / f"{name}.py") & forbidden), name


def test_only_the_loader_reads_yaml() -> None:
    reading = ("yaml.load", "yaml.safe_load", "yaml.compose", "yaml.parse", "BaseLoader", "SafeLoader")
    readers = {path.stem for path in PACKAGE.glob("*.py") if any(word in path.read_text() for word in reading)}
    assert readers == {"yamlnodes"}  # load.py reads through it; the importer only writes YAML


def test_every_model_field_is_in_the_schema_reference() -> None:
    page = schema_reference_page()
    for model in {m for root in MODELS_BY_KIND.values() for m in _models(root, [])}:
        for field in model.model_fields:
            assert f"`{field}`" in page, (model.__name__, field)


def test_every_served_action_is_in_the_harvesters_guide() -> None:
    guide = (ROOT / "site" / "guides" / "harvesters.md").read_text()
    for action in ACTIONS:
        assert f"`{action}`" in guide, action
