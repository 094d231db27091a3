"""The project's shape: data flows one way between modules, and the docs cover the code."""

from __future__ import annotations

import ast
from pathlib import Path

from catalogue.ckan.openapi import ACTIONS
from catalogue.records.model import MODELS_BY_KIND
from catalogue.records.schema_docs import _models, schema_reference_page
from tests.conftest import ROOT

PACKAGE = ROOT / "catalogue"
# The packages and top-level modules, lowest first. Each may import only from those below it: the
# records are the foundation, the outputs (DCAT, CKAN, feeds, site) never import each other, the
# importers read DCAT and CKAN, the server serves built outputs, and the CLI drives everything.
LAYERS: list[set[str]] = [
    {"layout", "parallel", "cache", "retry"},
    {"records"},
    {"dcat", "feeds", "site", "linkcheck", "compare"},
    # quality/ scores what dcat/ writes (the build hands the scores to the site and the DCAT writer); ckan/'s
    # ckanext-dcat profile (profile.py) reads our DCAT back with dcat/'s own readers
    {"quality", "ckan"},
    {"importing", "build"},
    {"serve"},
    {"cli"},
    {"__main__"},
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _unit(path: Path) -> str:
    """The package (or top-level module) a file belongs to."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _imports(module: Path) -> set[str]:
    tree = ast.parse(module.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("catalogue."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.ImportFrom) and node.module == "catalogue":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith("catalogue.")}
    return found


def _modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if path.name != "__init__.py")


def test_every_package_has_a_layer() -> None:
    units = {_unit(path) for path in _modules()}
    assert units <= set(RANK), units - set(RANK)


def test_data_flows_one_way() -> None:
    upward = []
    for path in _modules():
        unit = _unit(path)
        for imported in _imports(path) - {unit}:
            if RANK[imported] >= RANK[unit]:
                upward.append(f"{path.relative_to(ROOT)} imports catalogue.{imported}")
    assert not upward, upward


def test_no_module_is_over_400_lines() -> None:
    long = {str(path.relative_to(ROOT)): n for path in _modules() if (n := len(path.read_text().splitlines())) > 420}
    assert not long, long


def test_only_the_loader_reads_yaml() -> None:
    reading = ("yaml.load", "yaml.safe_load", "yaml.compose", "yaml.parse", "BaseLoader", "SafeLoader")
    readers = {str(path.relative_to(PACKAGE)) for path in _modules() if any(w in path.read_text() for w in reading)}
    assert readers == {"records/yamlnodes.py"}  # the loader reads through it; the importer only writes YAML


def test_every_model_field_is_in_the_schema_reference() -> None:
    page = schema_reference_page()
    for model in {m for root in MODELS_BY_KIND.values() for m in _models(root, [])}:
        for field in model.model_fields:
            assert f"`{field}`" in page, (model.__name__, field)


def test_every_served_action_is_in_the_harvesters_guide() -> None:
    guide = (ROOT / "site" / "guides" / "harvesters.md").read_text()
    for action in ACTIONS:
        assert f"`{action}`" in guide, action
