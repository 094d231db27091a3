"""The four asks pages that answer the regulator in substance (issue #15): breakdowns, research access,
methods and quality, data linkage. Each is built from the records alone, every point linked to the
record's source, and says what is not there as plainly as what is.

The registry here is three shipped records with known changes made, so the expectations do not move
as the content engineers edit the shipped records: the NRM quarterly series, the UK Data Service's
record-level data, and one more open record.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from catalogue.records.model import Breakdown, Dataset, Distribution, Linkage, Period
from catalogue.records.registry import Registry
from catalogue.site.asks import asks_pages
from catalogue.site.render import HtmlBlocks

QUARTERLY, UKDS, OTHER = "nrm-dtn-quarterly", "ukds-nrm-dtn-8910", "police-recorded-crime-ew"
FILE = "https://assets.publishing.service.gov.uk/media/example/nrm-tables.ods"


def _small(registry: Registry, **changes: Dataset) -> Registry:
    """The three records, none split by UK or non-UK nationality and the third with no data file or breakdown
    (whatever the shipped records say by now), with `changes` on top."""
    datasets = {
        key: registry.datasets[key].model_copy(
            update={"breakdowns": [b for b in registry.datasets[key].breakdowns if b.dimension != "uk-non-uk"]}
        )
        for key in (QUARTERLY, UKDS)
    }
    datasets[OTHER] = registry.datasets[OTHER].model_copy(update={"breakdowns": [], "distributions": []})
    datasets.update(changes)
    for dataset in datasets.values():  # relations only among the three
        related = [r for r in dataset.related if r.id in datasets]
        datasets[dataset.id] = dataset.model_copy(update={"related": related})
    return dataclasses.replace(registry, datasets=datasets)


def _pages(registry: Registry) -> dict[str, str]:
    blocks = HtmlBlocks()
    pages = asks_pages(registry, blocks)
    out = {}
    for path, text in pages.items():
        for token, block in blocks.blocks.items():
            text = text.replace(token, block)
        out[path.removeprefix("asks/").removesuffix("/index.md")] = text
    return out


@pytest.fixture(scope="module")
def quarterly(registry: Registry) -> Dataset:
    """The quarterly series with a sub-type breakdown from 2024, a data file, a QAAD gap and a planned linkage."""
    d = registry.datasets[QUARTERLY]
    key = d.described_from[0]
    sub_type = Breakdown(
        dimension="exploitation-sub-type",
        detail="Sub-types of criminal exploitation",
        available=Period(start="2024"),
        sources=[key],
    )
    tables = Distribution(
        title="Data tables (ODS)",
        format="ODS",
        media_type="application/vnd.oasis.opendocument.spreadsheet",
        access_url=d.landing_page,
        download_url=FILE,
        licence="ogl-3",
        byte_size=123_456,
        sources=[key],
    )
    planned = Linkage(
        linked_with="Court and prosecution records", status="planned", note="Planned with the CPS.", sources=[key]
    )
    return d.model_copy(
        update={
            "breakdowns": [b for b in d.breakdowns if b.dimension not in ("exploitation-sub-type", "uk-non-uk")]
            + [sub_type],
            "distributions": [tables],
            "data_linkage": [planned],
            "qaad": None,
            "sources": d.sources,
        }
    )


def _cited(page: str, dataset: Dataset, keys: list[str]) -> bool:
    return all(f'href="{dataset.sources[key].url}"'.replace("&", "&amp;") in page for key in keys)


def test_breakdowns_matrix_by_dimension_and_period_and_what_is_not_published(
    registry: Registry, quarterly: Dataset
) -> None:
    page = _pages(_small(registry, **{QUARTERLY: quarterly}))["breakdowns"]
    matrix = page[page.index("<caption>") : page.index("</table>")]
    row = re.search(r'<tr><td><a href="#exploitation-sub-type">Exploitation sub-type</a></td><td>yes</td><td>1</td>'
                    r"<td>([^<]*)</td></tr>", matrix)  # fmt: skip
    assert row is not None
    assert row.group(1) == "2024 to now"
    # the year grid: one source from 2024, none before
    grid = page[page.index("## By year") :]
    grid = grid[: grid.index("</table>")]
    years = re.findall(r'<th scope="col">(\d{4})</th>', grid)
    cells = re.search(r'<th scope="row">Exploitation sub-type \(asked\)</th>((?:<td>[^<]*</td>)+)', grid)
    assert cells is not None
    by_year = dict(zip(years, re.findall(r"<td>([^<]*)</td>", cells.group(1)), strict=True))
    assert (by_year["2023"], by_year["2024"]) == ("\u2013", "1")  # an en dash: none
    section = page[page.index("### Exploitation sub-type { #exploitation-sub-type }") :]
    section = section[: section.index("</table>")]
    assert "Sub-types of criminal exploitation" in section
    assert _cited(section, quarterly, quarterly.described_from[:1])
    # asked for and given by nobody in this registry: UK or non-UK nationals; said under "What is not published"
    not_published = page[page.index("## What is not published") :]
    nobody = re.search(r"Asked for and published by no source in the registry:</strong> ([^.]*)\.", not_published)
    assert nobody is not None
    assert "UK or non-UK national" in nobody.group(1).split("; ")
    assert "Exploitation sub-type" not in nobody.group(1)
    # without the sub-type breakdown, it moves to "not published by any source"
    bare = quarterly.model_copy(
        update={"breakdowns": [b for b in quarterly.breakdowns if b.dimension != "exploitation-sub-type"]}
    )
    page = _pages(_small(registry, **{QUARTERLY: bare}))["breakdowns"]
    assert "<tr><td>Exploitation sub-type</td><td>yes</td><td>0</td><td><strong>not published by any source" in page


def test_research_access_leads_with_routes_that_give_data(registry: Registry, quarterly: Dataset) -> None:
    ukds = registry.datasets[UKDS]
    # the quarterly series lists the record-level data among its distributions: that is the route, not a file
    record_level = quarterly.distributions[0].model_copy(
        update={"title": "Record-level data", "format": "CSV", "access_url": ukds.access.url, "download_url": None}
    )
    on_request = registry.datasets[OTHER].model_copy(
        update={
            "access": registry.datasets[OTHER].access.model_copy(update={"conditions": "More data on request."}),
            "distributions": [],
            "breakdowns": [],
        }
    )
    with_route = quarterly.model_copy(update={"distributions": [*quarterly.distributions, record_level]})
    page = _pages(_small(registry, **{QUARTERLY: with_route, OTHER: on_request}))["research-access"]
    record_level = page.index("## Record-level data for research")
    tables = page.index("## Data tables to download")
    publications = page.index("## Publications without data files")
    assert record_level < page.index(ukds.title) < tables < page.index(FILE) < publications
    route = page[record_level:tables]
    assert ukds.access.url in route
    assert "safeguarded access" in route
    assert _cited(route, ukds, ukds.access.sources)
    assert re.search(rf"Behind these published series</strong>[^<]*: <a href=\"../../dataset/{QUARTERLY}/\">", route)
    assert "More data on request." in page[page.index("## More on request") : tables]
    # the open record without a data file is one name in a sentence, not a table row
    other = registry.datasets[OTHER]
    assert page.count("<tr>") == 2  # the header and the quarterly series' row
    assert page[tables:publications].count("Record-level data") == 0
    assert other.title in page[publications:]


def test_methods_and_quality_per_series_says_what_is_and_is_not_published(
    registry: Registry, quarterly: Dataset
) -> None:
    page = _pages(_small(registry, **{QUARTERLY: quarterly}))["quality"]
    section = page[page.index(f'<h3 id="{QUARTERLY}">') :]
    section = section[: section.index("<h3", 5) if "<h3" in section[5:] else len(section)]
    assert "no QAAD assessment is recorded for this series" in section
    for note in quarterly.quality.notes():
        assert _cited(section, quarterly, note[1].sources)
    for change in quarterly.method_changes:
        assert change.title in section
        assert _cited(section, quarterly, change.sources)
    for revision in quarterly.revisions:
        assert _cited(section, quarterly, revision.sources)
    # a series without notes says which ESS dimensions have none
    bare = quarterly.model_copy(update={"quality": quarterly.quality.model_copy(update={"relevance": None})})
    page = _pages(_small(registry, **{QUARTERLY: bare}))["quality"]
    assert "No quality note recorded on: relevance." in page
    # the summary table has a row per series, the NRM series first
    glance = page[page.index("## At a glance") : page.index("## Series by series")]
    assert glance.index(QUARTERLY) < glance.index(OTHER)


def test_data_linkage_lists_every_linkage_and_the_gaps(registry: Registry, quarterly: Dataset) -> None:
    page = _pages(_small(registry, **{QUARTERLY: quarterly}))["data-linkage"]
    assert "Court and prosecution records" in page
    assert _cited(page, quarterly, quarterly.described_from[:1])
    asks = page[page.index("## What was asked for") :]
    assert re.search(
        r"Criminal justice outcomes:</strong> <strong>gap</strong>: nothing linked and published yet", asks
    )
    assert re.search(r"Immigration outcomes[^<]*:</strong> <strong>gap</strong>: no linkage in the records", asks)
    linked = quarterly.model_copy(
        update={"data_linkage": [quarterly.data_linkage[0].model_copy(update={"status": "linked"})]}
    )
    page = _pages(_small(registry, **{QUARTERLY: linked}))["data-linkage"]
    assert "Criminal justice outcomes:</strong> linked and published, in part" in page
