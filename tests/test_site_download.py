"""The dataset page's Download section and its "facts checked" line (issue #15): a button per file the
record links to directly, with format, size and licence; pages and documents listed apart; each
distribution's rights; the access route with its sources. Run on a copy of a real record with the
fields set, so the test does not depend on how far the shipped records have got."""

from __future__ import annotations

import re

import pytest

from catalogue.records.model import Dataset
from catalogue.records.registry import Registry
from catalogue.site.dataset import DatasetPages, checked_words

FILE = "https://assets.publishing.service.gov.uk/media/example/nrm-tables-q4-2025.ods"


@pytest.fixture(scope="module")
def record(registry: Registry) -> Dataset:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    first, *rest = dataset.distributions
    table = first.model_copy(
        update={
            "title": "Data tables, quarter 4 2025",
            "format": "ODS",
            "media_type": "application/vnd.oasis.opendocument.spreadsheet",
            "download_url": FILE,
            "byte_size": 1_234_567,
            "rights": "Crown copyright <b>2026</b>",
        }
    )
    pages = [dist.model_copy(update={"download_url": None}) for dist in rest]  # whatever the shipped record says
    return dataset.model_copy(update={"checked": "2026-11-30", "distributions": [table, *pages]})


def _section(body: str) -> str:
    start = body.index('<h2 id="download">')
    return body[start : body.index("<h2", start + 1)]


def test_a_file_gets_a_button_with_format_size_licence_and_rights(registry: Registry, record: Dataset) -> None:
    body, toc = DatasetPages(registry).render(record)
    section = _section(body)
    buttons = re.findall(r'<a class="md-button[^"]*" href="([^"]+)">([^<]*)<span[^>]*>([^<]*)</span>', section)
    assert buttons == [(FILE, "Download: Data tables, quarter 4 2025 ", "(ODS, 1.2 MB)")]
    assert 'Licence: <a href="http://publications.europa.eu/resource/authority/licence/OGL_3_0">' in section
    assert "Rights: Crown copyright &lt;b&gt;2026&lt;/b&gt;." in section  # escaped, never HTML
    # the distributions without a file link are pages, listed apart and not as buttons
    assert "Other pages and documents" in section
    assert section.count("<li>") == len(record.distributions)
    # the access route with its citations
    assert f'<a href="{record.access.url}">' in section
    assert all(record.sources[key].url in section for key in record.access.sources)
    assert [t["id"] for t in toc[0]["children"]][:2] == ["summary", "download"]
    # the section is the only place distributions are listed (the old second list is gone)
    assert body.count(FILE) == 1


def test_without_a_file_link_the_page_says_so_and_shows_no_button(registry: Registry, record: Dataset) -> None:
    pages_only = record.model_copy(
        update={"distributions": [d.model_copy(update={"download_url": None}) for d in record.distributions]}
    )
    section = _section(DatasetPages(registry).render(pages_only)[0])
    assert "md-button" not in section
    assert "The record has no direct link to a data file" in section


def test_facts_checked_date_is_shown_for_people_and_machines(registry: Registry, record: Dataset) -> None:
    body, _ = DatasetPages(registry).render(record)
    assert 'Facts checked against the publisher on <time datetime="2026-11-30">30 November 2026</time>.' in body
    unchecked, _ = DatasetPages(registry).render(record.model_copy(update={"checked": None}))
    assert "Facts checked against" not in unchecked
    assert "have not yet been checked against the publisher" in unchecked


@pytest.mark.parametrize(
    ("date", "words"), [("2026-11-30", "30 November 2026"), ("2026-01-05", "5 January 2026"), ("2026-03", "March 2026")]
)
def test_checked_words(date: str, words: str) -> None:
    assert checked_words(date) == {"iso": date, "words": words}
    assert checked_words(None) is None
