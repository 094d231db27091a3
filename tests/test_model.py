"""Unit tests for the record model and the registry's derived facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from catalogue.records.model import Dataset, TemporalCoverage, date_bounds
from catalogue.records.registry import Registry, content_hash


def test_shipped_registry_validates(registry: Registry) -> None:
    assert {
        "nrm-dtn-quarterly",
        "nrm-dtn-annual",
        "nca-nrm-statistics",
        "ukds-nrm-dtn-8910",
        "ons-modern-slavery-uk-2020",
    } <= set(registry.datasets)


def test_partial_dates_cover_their_whole_period() -> None:
    assert date_bounds("2019") == ("2019-01-01", "2019-12-31")
    assert date_bounds("2024-02") == ("2024-02-01", "2024-02-29")
    assert date_bounds("2023-01-30") == ("2023-01-30", "2023-01-30")


def test_end_in_same_year_as_start_is_allowed() -> None:
    assert TemporalCoverage(start="2019-04", end="2019", ongoing=False).end == "2019"


def test_scalars_are_not_coerced_by_yaml_rules(registry: Registry) -> None:
    # a keyword like "NO" stays text; YAML 1.1 would have made it False
    data = registry.datasets["nrm-dtn-quarterly"].model_dump()
    data["keywords"] = ["NO", "1.10"]
    assert Dataset.model_validate(data).keywords == ["NO", "1.10"]


def test_unknown_key_is_an_error(registry: Registry) -> None:
    data = registry.datasets["nrm-dtn-quarterly"].model_dump()
    data["frequncy"] = "quarterly"
    with pytest.raises(ValidationError, match="frequncy"):
        Dataset.model_validate(data)


def test_uuids_are_stable() -> None:
    assert Registry.package_uuid("nrm-dtn-quarterly") == Registry.package_uuid("nrm-dtn-quarterly")
    assert Registry.package_uuid("a") != Registry.package_uuid("b")
    assert Registry.resource_uuid("a", 0) != Registry.resource_uuid("a", 1)


def test_content_hash_ignores_nothing_that_matters(registry: Registry) -> None:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    changed = dataset.model_copy(update={"title": dataset.title + " (edited)"})
    assert content_hash(dataset) == content_hash(dataset.model_copy())
    assert content_hash(dataset) != content_hash(changed)


def test_relations_are_seen_from_both_sides(registry: Registry) -> None:
    # nrm-dtn-quarterly names nca-nrm-statistics as "replaces"; the NCA record names it "replaced-by"
    assert ("replaced-by", "nrm-dtn-quarterly") in {(r, o) for r, o, _ in registry.relations_of("nca-nrm-statistics")}
    # ons names nrm-dtn-quarterly "derived-from"; quarterly therefore shows ons as "source-for"
    assert ("source-for", "ons-modern-slavery-uk-2020") in {
        (r, o) for r, o, _ in registry.relations_of("nrm-dtn-quarterly")
    }


def test_every_cited_key_is_defined(registry: Registry) -> None:
    for dataset in registry.datasets.values():
        assert all(key in dataset.sources for _, key in dataset.cited_keys())


def test_explicit_null_is_absent(tmp_path: Path) -> None:
    from catalogue.records.loader import load_dataset_file
    from tests.conftest import DATA

    text = (DATA / "minimal-dataset.yaml").read_text().replace("  ongoing: true", "  end: null\n  ongoing: true")
    path = tmp_path / "minimal.yaml"
    path.write_text(text)
    assert load_dataset_file(path).temporal_coverage.end is None
