"""What every record shipped in metadata/ must have beyond what the model requires (issue #15): a
`checked` date and at least one distribution. The model leaves both optional so that imported
catalogues still load; the shipped registry is held to them here."""

from __future__ import annotations

from catalogue.records.checks import shipping_gaps
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
