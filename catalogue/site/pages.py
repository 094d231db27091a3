"""The site's generated Markdown pages: publishers, themes, their indexes, all datasets, method changes
and breakdowns across sources, the compare page (the regulator's asks are in asks.py, dataset pages in dataset.py).

Nothing here is committed: the mkdocs hook adds these pages at build time. Each page is a template
(templates/pages/); what a record says reaches it only as HTML blocks the templates render, autoescaped,
never as Markdown source (see render.py).
"""

from __future__ import annotations

import re
from typing import Any

from markdown.extensions.toc import slugify  # type: ignore[import-untyped]

from catalogue.records import vocabularies
from catalogue.records.model import Dataset
from catalogue.records.registry import Registry
from catalogue.site.render import HtmlBlocks, Toc, render

# an en dash marks a breakdown the source does not publish
NOT_PUBLISHED = "–"  # noqa: RUF001


def heading_id(text: str) -> str:
    """The id Markdown's toc extension (mkdocs' default slugify) gives a heading with this text."""
    return str(slugify(text, "-"))


def dataset_rows(registry: Registry, datasets: list[Dataset]) -> list[dict[str, str]]:
    """The rows of a list of datasets (macros.dataset_table), by title."""
    return [
        {
            "id": d.id,
            "title": d.title,
            "publisher": registry.agents[d.publisher].name,
            "frequency": vocabularies.FREQUENCIES[d.frequency].label,
            "status": vocabularies.STATISTICS_STATUSES[d.statistics_status.status].label,
        }
        for d in sorted(datasets, key=lambda d: d.title.lower())
    ]


def method_change_rows(datasets: list[Dataset]) -> list[tuple[str, Dataset, Any]]:
    """Every method change of `datasets` as (date, dataset, change), oldest first (macros.method_change_table)."""
    rows = [(change.date, d, change) for d in datasets for change in d.method_changes]
    return sorted(rows, key=lambda r: (r[0], r[1].id))


def agent_page(registry: Registry, agent_id: str, blocks: HtmlBlocks, toc: Toc) -> str:
    agent = registry.agents[agent_id]
    return render(
        "pages/organization.md",
        blocks=blocks,
        toc=toc,
        agent=agent,
        anchor=heading_id(agent.name),
        type_label=vocabularies.AGENT_TYPES[agent.type].label,
        published=dataset_rows(registry, [d for d in registry.datasets.values() if d.publisher == agent_id]),
        produced=dataset_rows(registry, [d for d in registry.datasets_of_agent(agent_id) if d.publisher != agent_id]),
    )


def theme_page(registry: Registry, theme_id: str, blocks: HtmlBlocks, toc: Toc) -> str:
    theme = registry.theme(theme_id)
    return render(
        "pages/group.md",
        blocks=blocks,
        toc=toc,
        theme=theme,
        anchor=heading_id(theme.label),
        datasets=dataset_rows(registry, registry.datasets_of_theme(theme_id)),
    )


def section_index(registry: Registry, kind: str, blocks: HtmlBlocks) -> str:
    """Return the index page of all publishers or all themes."""
    if kind == "organization":
        items = [
            (a.name, f"{a.id}/", len([d for d in registry.datasets.values() if d.publisher == a.id]))
            for a in registry.agents.values()
        ]
        title = "Publishers"
    else:
        items = [(t.label, f"{t.id}/", len(registry.datasets_of_theme(t.id))) for t in registry.catalogue.themes]
        title = "Themes"
    return render("pages/section-index.md", blocks=blocks, title=title, items=sorted(items))


def all_datasets_page(registry: Registry, blocks: HtmlBlocks) -> str:
    return render(
        "pages/all-datasets.md", blocks=blocks, datasets=dataset_rows(registry, list(registry.datasets.values()))
    )


def method_changes_page(registry: Registry, blocks: HtmlBlocks) -> str:
    """Return the method-change timeline of every series on one page, oldest first."""
    return render("pages/method-changes.md", blocks=blocks, rows=method_change_rows(list(registry.datasets.values())))


# the matrix's columns, grouped as readers look for them (every dimension is one of facts.MATRIX_DIMENSIONS)
MATRIX_GROUPS = [
    ("Exploitation", ["exploitation-type", "exploitation-sub-type"]),
    ("Who", ["age", "sex", "nationality", "uk-non-uk"]),
    ("Where", ["police-force-area", "location-of-exploitation"]),
    ("Result", ["decision", "outcome"]),
]
MATRIX_SHORT = {
    "exploitation-type": "Type",
    "exploitation-sub-type": "Sub-type",
    "age": "Age",
    "sex": "Sex",
    "nationality": "Nationality",
    "uk-non-uk": "UK / non-UK",
    "police-force-area": "Police force area",
    "location-of-exploitation": "Location",
    "decision": "Decision",
    "outcome": "Outcome",
}
_SHORTER = [
    (re.compile(r"^modern slavery:?\s*", re.I), ""),
    (re.compile(r"National Referral Mechanism", re.I), "NRM"),
    (re.compile(r"Duty to Notify", re.I), "DtN"),
    (re.compile(r"Independent Anti-Slavery Commissioner", re.I), "IASC"),
    (re.compile(r"Office for National Statistics", re.I), "ONS"),
    (re.compile(r"\s+statistics UK\b"), " statistics"),
]


def short_title(title: str) -> str:
    """A dataset's title short enough for a table's first column: common names abbreviated as their
    publishers abbreviate them (NRM, DtN, IASC, ONS). Never cut: a cut title can hide what tells two
    sources apart (and what a record says is shown whole); a long one wraps in its cell."""
    text = title
    for pattern, replacement in _SHORTER:
        text = pattern.sub(replacement, text)
    return text[:1].upper() + text[1:]


def _period_cell(period: Any) -> str:
    """A breakdown's periods in a matrix cell: "all" (periods), "2019-04 on", "to 2019", "2015 to 2019"."""
    if period.start and period.end:
        return f"{period.start} to {period.end}"
    if period.start:
        return f"{period.start} on"
    if period.end:
        return f"to {period.end}"
    return "all"


def breakdown_matrix_page(registry: Registry, blocks: HtmlBlocks) -> str:
    """Return which source can be split by which dimension, and for which periods: the sources that publish
    at least one of the matrix's breakdowns, grouped by their first theme, with short names; the others are
    named below it."""
    dimensions = [d for _, group in MATRIX_GROUPS for d in group]
    groups: dict[str, list[tuple[Dataset, str, list[str]]]] = {}
    others = []
    for d in sorted(registry.datasets.values(), key=lambda d: short_title(d.title).lower()):
        by_dimension: dict[str, list[str]] = {}
        for b in d.breakdowns:
            by_dimension.setdefault(b.dimension, []).append(_period_cell(b.available))
        if not any(dim in by_dimension for dim in dimensions):
            others.append((d, short_title(d.title)))
            continue
        cells = ["; ".join(by_dimension[dim]) if dim in by_dimension else NOT_PUBLISHED for dim in dimensions]
        groups.setdefault(d.themes[0], []).append((d, short_title(d.title), cells))
    theme_order = [t.id for t in registry.catalogue.themes]
    grouped = [(registry.theme(t).label, groups[t]) for t in theme_order if t in groups]
    return render(
        "pages/breakdowns.md",
        blocks=blocks,
        column_groups=[(label, len(group)) for label, group in MATRIX_GROUPS],
        columns=[(MATRIX_SHORT[d], vocabularies.DIMENSIONS[d].label) for d in dimensions],
        grouped=grouped,
        others=others,
        filled=sum(c != NOT_PUBLISHED for _, rows in grouped for _, _, cells in rows for c in cells),
        total=sum(len(rows) for _, rows in grouped) * len(dimensions),
    )


def compare_page(registry: Registry, blocks: HtmlBlocks) -> str:
    """Return the page where a reader picks two sides to compare (site/javascripts/compare.js asks the
    server's /api/compare; the site cannot import the comparison engine, an output of its own)."""
    datasets = [(d.id, d.title) for d in sorted(registry.datasets.values(), key=lambda d: d.title.lower())]
    dimensions = [(key, term.label) for key, term in vocabularies.DIMENSIONS.items()]
    return render("pages/compare.md", blocks=blocks, datasets=datasets, dimensions=dimensions)


def generated_pages(registry: Registry, blocks: HtmlBlocks) -> dict[str, str]:
    """Return every generated Markdown page, by its path under the site's docs folder (dataset pages
    are HTML, rendered by dataset.py); their HTML blocks go into `blocks`."""
    pages = {}
    for agent_id in registry.agents:
        path = f"organization/{agent_id}/index.md"
        pages[path] = agent_page(registry, agent_id, blocks, blocks.toc(path))
    for theme in registry.catalogue.themes:
        path = f"group/{theme.id}/index.md"
        pages[path] = theme_page(registry, theme.id, blocks, blocks.toc(path))
    pages["organization/index.md"] = section_index(registry, "organization", blocks)
    pages["group/index.md"] = section_index(registry, "group", blocks)
    pages["dataset/index.md"] = all_datasets_page(registry, blocks)
    pages["method-changes/index.md"] = method_changes_page(registry, blocks)
    pages["breakdowns/index.md"] = breakdown_matrix_page(registry, blocks)
    pages["compare/index.md"] = compare_page(registry, blocks)
    return pages
