"""Finding things on the site: plain words for what a record could not confirm, the search entries' keywords and
boost, the home page's series and latest changes, the finder's index, and the breakdown matrix."""

from __future__ import annotations

import re
from pathlib import Path

from catalogue.records.registry import Registry
from catalogue.site.dataset import DatasetPages
from catalogue.site.facts import MATRIX_DIMENSIONS, featured, finder_index, prominence
from catalogue.site.pages import MATRIX_GROUPS, short_title
from catalogue.site.plain import field_words


def test_unknowns_are_said_in_words(registry: Registry) -> None:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    titles = [d.title for d in dataset.distributions]
    at = titles.index("Data tables published with each bulletin")  # the record orders files newest first
    assert (
        field_words(dataset, f"distributions[{at}].format")
        == "The file or page “Data tables published with each bulletin”: file type"
    )
    assert field_words(dataset, "releases.next_release") == "Release dates: announced date of the next edition"
    assert field_words(dataset, "breakdowns[*].available.start").startswith("Each breakdown: ")
    assert field_words(dataset, "figures[3]").startswith("The headline figure “Referrals of potential victims")
    assert field_words(dataset, "no_such_field") == "no_such_field"  # the producer's words, as written


def test_no_field_path_reaches_a_page(registry: Registry) -> None:
    pages = DatasetPages(registry, built="2026-11-30")
    for dataset in registry.datasets.values():
        body, _ = pages.render(dataset)
        if not dataset.unknowns:
            continue
        section = body[body.index('id="not-confirmed"') :]
        labels = re.findall(r"<li>(.*?)</strong>", section[: section.index("</ul>")])
        assert len(labels) == len(dataset.unknowns)
        for label in labels:  # what was not confirmed, in words (the notes are the producer's own text)
            assert not re.search(r"\w\[(\d+|\*)\]|\b[a-z]+_[a-z_]+\b|<code>", label), (dataset.id, label)


def test_dataset_search_entries_carry_keywords_and_boost(registry: Registry) -> None:
    pages = DatasetPages(registry)
    quarterly = pages.search_entries(registry.datasets["nrm-dtn-quarterly"], "dataset/nrm-dtn-quarterly/")[0]
    nca = pages.search_entries(registry.datasets["nca-nrm-statistics"], "dataset/nca-nrm-statistics/")[0]
    assert "referral" in quarterly["tags"]
    assert quarterly["boost"] > nca["boost"] > 1


def test_featured_puts_the_nrm_statistics_first(registry: Registry) -> None:
    top = featured(registry)
    assert top[0].id == "nrm-dtn-quarterly"
    assert [prominence(d) for d in top] == sorted((prominence(d) for d in top), reverse=True)
    assert all("nrm-and-duty-to-notify" in d.themes for d in top[:3])


def test_finder_index_says_which_breaks_and_when(registry: Registry) -> None:
    index = {d["id"]: d for d in finder_index(registry)["datasets"]}
    quarterly = index["nrm-dtn-quarterly"]
    assert quarterly["breaks"] == [
        "Exploitation type is not comparable before 2019",
        "Reasonable-grounds test changed in 2023",
        "Quarters before 2014 are less reliable, and before April 2019 were not the Home Office's",
    ]
    assert quarterly["latest"] == "2026-02-19"
    assert all(bool(d["breaks"]) == d["breaks_comparability"] for d in index.values())


def test_matrix_groups_cover_every_matrix_dimension_once() -> None:
    columns = [d for _, group in MATRIX_GROUPS for d in group]
    assert sorted(columns) == sorted(MATRIX_DIMENSIONS)


def test_short_titles() -> None:
    title = "Modern Slavery: National Referral Mechanism and Duty to Notify statistics UK (quarterly)"
    assert short_title(title) == "NRM and DtN statistics (quarterly)"
    assert short_title("x " * 80) == "X " + "x " * 79  # never cut: a long title wraps


def test_home_page_lists_the_series_and_latest_changes(site: Path) -> None:
    home = (site / "index.html").read_text()
    assert "registry:home" not in home
    series = home[home.index('id="series-people-come-for"') : home.index('id="latest-changes"')]
    links = re.findall(r'href="dataset/([^/]+)/"', series)
    assert links[0] == "nrm-dtn-quarterly"
    assert "nrm-dtn-annual" in links[:3]
    changes = home[home.index('id="latest-changes"') :]
    assert len(re.findall(r'href="dataset/[^/]+/"', changes)) >= 6
    assert 'href="changes.atom"' in changes


def test_matrix_page_is_grouped_with_sticky_names(registry: Registry, site: Path) -> None:
    page = (site / "breakdowns" / "index.html").read_text()
    matrix = page[page.index('class="registry-matrix"') :]
    matrix = matrix[: matrix.index("</table>")]
    groups = re.findall(r'<th scope="rowgroup"[^>]*>([^<]+)</th>', matrix)
    assert groups[0] == "NRM and Duty to Notify"
    rows = re.findall(r"<tr><td><a href=\"../dataset/([^/]+)/\"", matrix)
    assert "nrm-dtn-quarterly" in rows
    publishing = [d for d in registry.datasets.values() if {b.dimension for b in d.breakdowns} & set(MATRIX_DIMENSIONS)]
    assert sorted(rows) == sorted(d.id for d in publishing)
    cells = re.findall(r"<td>([^<]*)</td>", matrix)
    assert sum(c != "–" for c in cells) * 4 >= len(cells)  # noqa: RUF001  (a quarter filled at least; it was 1 in 30)
    assert f">{short_title(registry.datasets['nrm-dtn-quarterly'].title)}</a>" in matrix
