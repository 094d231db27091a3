"""What every record shipped in metadata/ must have beyond what the model requires (issue #15): a
`checked` date, at least one distribution, a media type for each, and for a series still published the
date of its latest edition or an unknown saying why not. The model leaves these optional so that imported
catalogues still load; the shipped registry is held to them here."""

from __future__ import annotations

from catalogue.records.checks import shipping_gaps
from catalogue.records.model import Unknown
from catalogue.records.registry import Registry


def test_every_shipped_record_is_checked_and_has_a_distribution(registry: Registry) -> None:
    problems = shipping_gaps(registry.datasets.values())
    assert not problems, f"{len(problems)} shipped-record problem(s):\n" + "\n".join(problems)


def test_a_record_without_them_is_named_with_the_field_and_what_to_do(registry: Registry) -> None:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    bare = dataset.model_copy(update={"checked": None, "distributions": []})
    done = dataset.model_copy(update={"checked": "2026-11-30"})
    assert done.distributions
    assert shipping_gaps([done]) == []
    problems = shipping_gaps([bare])
    assert [line.split(": ")[:2] for line in problems] == [
        ["metadata/datasets/nrm-dtn-quarterly.yaml:1:1", "checked"],
        ["metadata/datasets/nrm-dtn-quarterly.yaml:1:1", "distributions"],
    ]
    assert "checked: YYYY-MM-DD" in problems[0]


def test_a_distribution_without_a_media_type_is_named_by_its_place(registry: Registry) -> None:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    second = dataset.distributions[1].model_copy(update={"media_type": None})
    bare = dataset.model_copy(update={"distributions": [dataset.distributions[0], second]})
    assert shipping_gaps([dataset]) == []
    problems = shipping_gaps([bare])
    assert [line.split(": ")[:2] for line in problems] == [
        ["metadata/datasets/nrm-dtn-quarterly.yaml:1:1", "distributions[1].media_type"]
    ]
    assert "media_type: text/csv" in problems[0]


def test_a_series_still_published_needs_its_latest_edition_or_an_unknown(registry: Registry) -> None:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    assert dataset.temporal_coverage.ongoing
    assert dataset.releases
    assert dataset.releases.last_updated
    releases = dataset.releases.model_copy(update={"last_updated": None})
    undated = dataset.model_copy(update={"releases": releases})
    unknowns = [u for u in dataset.unknowns if u.field not in ("releases", "releases.last_updated")]
    silent = undated.model_copy(update={"unknowns": unknowns})
    problems = shipping_gaps([silent])
    assert [line.split(": ")[:2] for line in problems] == [
        ["metadata/datasets/nrm-dtn-quarterly.yaml:1:1", "releases.last_updated"]
    ]
    said = [*unknowns, Unknown(field="releases.last_updated", note="The latest edition's date was not read.")]
    assert shipping_gaps([silent.model_copy(update={"unknowns": said})]) == []
    ended = silent.model_copy(
        update={"temporal_coverage": silent.temporal_coverage.model_copy(update={"ongoing": False})}
    )
    assert shipping_gaps([ended]) == []
