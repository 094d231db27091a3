"""The shipped records as content: enough of them, each fact cited, every required page built."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from catalogue.records.registry import Registry

URL = re.compile(r"https?://[^\s)>\]\"']+")
ASK_PAGES = [
    "asks/nrm-journey",
    "asks/undercount",
    "asks/breakdowns",
    "asks/research-access",
    "asks/quality",
    "asks/revisions",
    "asks/signposting",
    "asks/exploitation-type-2019",
    "asks/data-linkage",
    "asks/figures",
]


def _urls(value: Any) -> list[str]:
    if isinstance(value, str):
        return [url.rstrip(".,;") for url in URL.findall(value)]
    if isinstance(value, dict):
        return [url for item in value.values() for url in _urls(item)]
    if isinstance(value, list):
        return [url for item in value for url in _urls(item)]
    return []


def test_at_least_thirty_real_records(registry: Registry) -> None:
    assert len(registry.datasets) >= 30
    assert not [d.id for d in registry.datasets.values() if "example.org" in d.landing_page]


def test_every_record_cites_sources_for_its_facts(registry: Registry) -> None:
    for dataset in registry.datasets.values():
        assert dataset.sources, dataset.id
        assert dataset.described_from, dataset.id
        for part in [*dataset.caveats, *dataset.method_changes, *dataset.revisions, *dataset.figures]:
            assert part.sources, (dataset.id, part)


def test_every_url_in_a_record_is_one_of_its_sources(registry: Registry) -> None:
    """A URL in a record is a claim about where something is; it must be a source the record cites
    (or the home page of its publisher or producer, which the agent's own record states)."""
    missing = {}
    for dataset in registry.datasets.values():
        cited = {source.url for source in dataset.sources.values()}
        cited |= {registry.agents[agent].homepage for agent in [dataset.publisher, *dataset.creator]}
        data = dataset.model_dump(mode="json", exclude={"sources", "contact_point"})
        found = sorted(set(_urls(data)) - cited)
        if found:
            missing[dataset.id] = found
    assert missing == {}


def test_required_pages_are_built(registry: Registry, built_outputs: Path) -> None:
    for page in [*ASK_PAGES, "asks", "glossary", "data-gaps", "nrm-journey", "method-changes", "breakdowns", "finder"]:
        assert (built_outputs / page / "index.html").is_file(), page
    for dataset_id in registry.datasets:
        assert (built_outputs / "dataset" / dataset_id / "index.html").is_file(), dataset_id
