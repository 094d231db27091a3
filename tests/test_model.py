"""Unit tests for the record model and the registry's derived facts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from catalogue.records.model import Dataset, TemporalCoverage
from catalogue.records.registry import UUID_NAMESPACE, Registry, content_hash
from catalogue.records.values import date_bounds


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


# CKAN ids already published (and harvested) from this registry: written here as literals, computed once,
# so a change to the namespace or to the names hashed under it fails here instead of renaming every dataset.
PINNED_NAMESPACE = "6f1f8c2e-6a52-5d7c-9f0e-3b1a3c1d7e55"
PINNED_UUIDS = [
    (Registry.package_uuid, ("nrm-dtn-quarterly",), "76feaa04-1f22-57da-8b15-8da295cd00d7"),
    (Registry.package_uuid, ("nca-nrm-statistics",), "85fe5550-5c41-54b1-80cd-8a83b27cc25d"),
    (Registry.package_uuid, ("a",), "f5179ae9-5676-575b-8de2-04f048af15ae"),
    (Registry.package_uuid, ("b",), "a4eb9589-1bad-59a9-b367-0cddec3bbc4e"),
    (Registry.resource_uuid, ("nrm-dtn-quarterly", 0), "1ab2d8d2-07c8-523b-ac7e-18f7058bfc43"),
    (Registry.resource_uuid, ("nrm-dtn-quarterly", 1), "bccc5efc-6f26-5241-9a41-7c83487dfd2b"),
    (Registry.resource_uuid, ("a", 0), "b1680d85-e698-57a9-a5cd-0d84b4dacd4d"),
    (Registry.resource_uuid, ("a", 1), "8873fc24-e522-5ec7-8353-d4f67e571f88"),
    (Registry.agent_uuid, ("home-office",), "b6fcead1-6ff1-567f-bac9-ad5508f5ca28"),
    (Registry.tag_uuid, ("NRM",), "a5163435-1d3a-5682-a227-ba3f93dbb30f"),
    (Registry.theme_uuid, ("children",), "a78e97d2-ae0e-52ed-90c4-bb51f774cd51"),
]


def test_uuid_namespace_is_pinned() -> None:
    assert str(UUID_NAMESPACE) == PINNED_NAMESPACE


@pytest.mark.parametrize(("derive", "args", "expected"), PINNED_UUIDS)
def test_uuids_are_stable(derive: Callable[..., str], args: tuple[object, ...], expected: str) -> None:
    assert derive(*args) == expected


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


@pytest.mark.parametrize("url", ["https://a.example/x\x1b[31my", "https://a.example/\x85", "https://a.example/a b"])
def test_a_web_address_with_a_control_character_or_space_is_refused(url: str) -> None:
    from pydantic import TypeAdapter, ValidationError

    from catalogue.records.values import Url

    with pytest.raises(ValidationError, match="web address"):
        TypeAdapter(Url).validate_python(url)


@pytest.mark.parametrize("email", ["a<b>@c.example", '"x"@y.example', "a@b\x1b.example", "a@b.example>"])
def test_an_email_address_with_markup_or_control_characters_is_refused(email: str) -> None:
    from pydantic import TypeAdapter, ValidationError

    from catalogue.records.values import Email

    with pytest.raises(ValidationError):
        TypeAdapter(Email).validate_python(email)
