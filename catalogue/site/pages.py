"""The site's generated Markdown pages: publishers, themes, their indexes, all datasets, method changes
and breakdowns across sources, the compare page (the regulator's asks are in asks.py, dataset pages in dataset.py).

Nothing here is committed: the mkdocs hook adds these pages at build time. Each page is a template
(templates/pages/); what a record says reaches it only as HTML blocks the templates render, autoescaped,
never as Markdown source (see render.py).
"""

from __future__ import annotations

from typing import Any

from markdown.extensions.toc import slugify  # type: ignore[import-untyped]

from catalogue.records import vocabularies
from catalogue.records.model import Dataset
from catalogue.records.registry import Registry
from catalogue.site.facts import MATRIX_DIMENSIONS
from catalogue.site.render import HtmlBlocks, Toc, period_text, render

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


def breakdown_matrix_page(registry: Registry, blocks: HtmlBlocks) -> str:
    """Return which source can be split by which dimension, and for which periods."""
    rows = []
    for d in sorted(registry.datasets.values(), key=lambda d: d.title.lower()):
        by_dimension: dict[str, list[str]] = {}
        for b in d.breakdowns:
            by_dimension.setdefault(b.dimension, []).append(period_text(b.available))
        cells = [", ".join(by_dimension[dim]) if dim in by_dimension else NOT_PUBLISHED for dim in MATRIX_DIMENSIONS]
        rows.append((d, cells))
    headers = ["Dataset", *(vocabularies.DIMENSIONS[d].label for d in MATRIX_DIMENSIONS)]
    return render("pages/breakdowns.md", blocks=blocks, headers=headers, rows=rows)


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
