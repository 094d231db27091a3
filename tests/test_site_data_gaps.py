"""The data-gaps register (issue #15), built from the records: each gap a record states or shows (what it could
not confirm, comparability breaks, missing quality notes, breakdowns for part of a series, releases not
announced, licences not stated or not open, files without a direct link) is on the page under the heading a
reader from the regulator's side looks under, linked to the record and its sources; and it leaves the page
when the record closes it.

The registry here is two shipped records with known changes made, so the expectations do not move as the
content engineers edit the shipped records.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from catalogue.records.model import Breakdown, Caveat, Dataset, Distribution, Period, Unknown
from catalogue.records.registry import Registry
from catalogue.site.data_gaps import data_gaps_page
from catalogue.site.render import HtmlBlocks

QUARTERLY, OTHER = "nrm-dtn-quarterly", "police-recorded-crime-ew"
FILE = "https://assets.publishing.service.gov.uk/media/example/nrm-tables.ods"
PAGE = "https://www.gov.uk/government/statistics/example-release"
ROOT = Path(__file__).resolve().parent.parent


def _page(registry: Registry, *changed: Dataset) -> str:
    datasets = {key: registry.datasets[key] for key in (QUARTERLY, OTHER)}
    datasets.update({d.id: d for d in changed})
    for dataset in datasets.values():  # relations only among the two
        related = [r for r in dataset.related if r.id in datasets]
        datasets[dataset.id] = dataset.model_copy(update={"related": related})
    blocks = HtmlBlocks()
    text = data_gaps_page(dataclasses.replace(registry, datasets=datasets), blocks)
    for token, block in blocks.blocks.items():
        text = text.replace(token, block)
    return text


def _section(page: str, heading: str) -> str:
    """The text under `heading` (a Markdown heading line) up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = page.index(f"\n{heading}\n")
    rest = page[start + len(heading) + 2 :]
    ends = [rest.find(f"\n{'#' * n} ") for n in range(1, len(level) + 1)]
    ends = [e for e in ends if e >= 0]
    return rest[: min(ends)] if ends else rest


def _cited(text: str, dataset: Dataset, keys: list[str]) -> bool:
    return all(f'href="{dataset.sources[key].url}"'.replace("&", "&amp;") in text for key in keys)


@pytest.fixture(scope="module")
def gappy(registry: Registry) -> Dataset:
    """The quarterly series with one of each gap: an unknown (with markup in its note), a comparability break,
    an ongoing series with no next release, an age breakdown only from 2024, a file with no licence stated and
    a page with no direct file link."""
    d = registry.datasets[QUARTERLY]
    key = d.described_from[0]
    return d.model_copy(
        update={
            "unknowns": [Unknown(field="releases.next_release", note="Looked for <b>the</b> calendar entry.")],
            "caveats": [
                Caveat(
                    title="Counting rule changed in 2099",
                    text="Counts either side differ.",
                    severity="critical",
                    breaks_comparability=True,
                    periods=[Period(start="2099")],
                    sources=[key],
                )
            ],
            "temporal_coverage": d.temporal_coverage.model_copy(update={"ongoing": True, "end": None}),
            "releases": d.releases.model_copy(update={"next_release": None}),
            "breakdowns": [
                Breakdown(dimension="age", detail="Adult or child", available=Period(start="2098"), sources=[key])
            ],
            "distributions": [
                Distribution(
                    title="Tables with no terms",
                    format="ODS",
                    media_type="application/vnd.oasis.opendocument.spreadsheet",
                    access_url=d.landing_page,
                    download_url=FILE,
                    licence="unknown",
                    sources=[key],
                ),
                Distribution(
                    title="Release page only",
                    format="HTML",
                    media_type="text/html",
                    access_url=PAGE,
                    licence="ogl-3",
                    sources=[key],
                ),
            ],
        }
    )


def test_each_gap_is_under_its_heading_linked_to_the_record_and_cited(registry: Registry, gappy: Dataset) -> None:
    page = _page(registry, gappy)
    record = f'<a href="../dataset/{QUARTERLY}/">{gappy.title}</a>'
    key = gappy.described_from[0]

    unknown = _section(page, "### Not confirmed in the sources read")
    assert record in unknown
    # the field in words, not "releases.next_release"
    assert "Release dates: announced date of the next edition" in unknown
    assert "Looked for &lt;b&gt;the&lt;/b&gt; calendar entry." in unknown  # record text is escaped
    assert _cited(unknown, gappy, gappy.described_from)

    breaks = _section(page, "### Where figures cannot be compared")
    assert "Counting rule changed in 2099" in breaks
    assert "from 2099" in breaks
    assert record in breaks
    assert _cited(breaks, gappy, [key])

    partial = _section(page, "### Breakdowns for part of a series only")
    assert "by age from 2098 only" in partial
    assert _cited(partial, gappy, [key])

    releases = _section(page, "### Periods and releases")
    no_next = releases[releases.index("no next release announced") :].split("</li>")[0]
    assert record in no_next

    reuse = _section(page, "## What cannot be reused")
    assert f'<a href="{FILE}">Tables with no terms</a> (licence not stated' in reuse
    assert "Release page only" not in reuse  # under an open licence

    downloads = _section(page, "## What cannot be downloaded")
    assert f'<a href="{PAGE}">Release page only</a> (HTML' in downloads
    assert "Tables with no terms" not in downloads  # it has a direct file link


def test_a_gap_leaves_the_page_when_the_record_closes_it(registry: Registry, gappy: Dataset) -> None:
    closed = gappy.model_copy(
        update={
            "unknowns": [],
            "caveats": [],
            "releases": gappy.releases.model_copy(update={"next_release": "2099-01-01"}),
            "breakdowns": [b.model_copy(update={"available": Period()}) for b in gappy.breakdowns],
            "distributions": [
                x.model_copy(update={"licence": "ogl-3", "download_url": x.download_url or FILE + "?page"})
                for x in gappy.distributions
            ],
        }
    )
    page = _page(registry, closed)
    record = f'<a href="../dataset/{QUARTERLY}/">'
    assert record not in _section(page, "### Not confirmed in the sources read")
    assert "Counting rule changed in 2099" not in page
    assert "by age from 2098" not in page
    assert record not in _section(page, "### Breakdowns for part of a series only")
    releases = _section(page, "### Periods and releases")
    if "no next release announced" in releases:
        assert record not in releases[releases.index("no next release announced") :].split("</li>")[0]
    assert record not in _section(page, "## What cannot be reused")
    assert record not in _section(page, "## What cannot be downloaded")


def test_asked_breakdowns_published_nowhere_are_named_until_a_source_publishes_them(
    registry: Registry, gappy: Dataset
) -> None:
    bare = [d.model_copy(update={"breakdowns": []}) for d in (gappy, registry.datasets[OTHER])]
    breakdowns = _section(_page(registry, *bare), "### Breakdowns")
    nowhere = breakdowns[breakdowns.index("Asked for and published by no source") :].split("</li>")[0]
    assert "Exploitation sub-type" in nowhere
    assert "Age" in nowhere
    key = gappy.described_from[0]
    sub_type = Breakdown(dimension="exploitation-sub-type", available=Period(), sources=[key])
    breakdowns = _section(
        _page(registry, bare[0].model_copy(update={"breakdowns": [sub_type]}), bare[1]), "### Breakdowns"
    )
    nowhere = breakdowns[breakdowns.index("Asked for and published by no source") :].split("</li>")[0]
    assert "Exploitation sub-type" not in nowhere
    assert "Age" in nowhere


def test_the_page_is_generated_not_written_by_hand() -> None:
    """A hand-written page at the same path would be replaced by the generated one; keeping one in site/ would
    only let the two drift again."""
    assert not (ROOT / "site" / "data-gaps" / "index.md").exists()


def test_an_asked_breakdown_once_published_is_listed_as_no_longer_a_gap(registry: Registry, gappy: Dataset) -> None:
    bare = registry.datasets[OTHER].model_copy(update={"breakdowns": []})
    page = _page(registry, gappy.model_copy(update={"breakdowns": []}), bare)
    assert "<strong>Age:</strong>" not in _section(page, "## No longer gaps")
    no_longer = _section(_page(registry, gappy, bare), "## No longer gaps")
    age = no_longer[no_longer.index("<strong>Age:</strong>") :].split("</li>")[0]
    assert f'<a href="../dataset/{QUARTERLY}/">' in age
    assert "2098 to now" in age
    assert _cited(age, gappy, gappy.described_from[:1])
