"""Turn the registry into the site's generated pages (Markdown), the finder's index and schema.org JSON-LD.

Nothing here is committed: the mkdocs hook (`site_hook.py`) adds these pages at build time. All text
from a record is escaped before it reaches Markdown (`_md`), so `<script>` in a record shows as text;
links in record Markdown may only point to http(s), mailto, or inside the site.
"""

from __future__ import annotations

import html
import json
import re
import secrets
from typing import Any

import markdown

from catalogue.records import vocabularies
from catalogue.records.model import Caveat, Dataset, Period
from catalogue.records.registry import Registry

_UNSAFE_LINK = re.compile(r"\]\(\s*(?!https?://|mailto:|/|#)")
NRM_EXPLOITATION_NOTE = (
    "The way NRM exploitation type is recorded changed in 2019: exploitation-type figures from before 2019 "
    "cannot be compared with later ones."
)


def _md(text: str) -> str:
    """Return record text safe to put in Markdown: HTML escaped, links only to safe schemes."""
    return _UNSAFE_LINK.sub("](#unsafe-link-", html.escape(text, quote=False))


def _inline(text: str) -> str:
    """Return record text for a table cell or heading: escaped, on one line, pipes escaped."""
    return _md(" ".join(text.split())).replace("|", "\\|")


# Tables and lists of generated pages are emitted as HTML blocks, which Markdown passes through untouched:
# at 10,000 datasets, Markdown's inline processing of table cells was most of the site's build time.
# Each part of a cell is escaped here (text and attribute), so record text cannot become markup.
_esc = html.escape


class RecordMarkdown:
    """Record text, which is Markdown, as HTML: escaped first (`_md`), then one reused converter with the
    extensions prose needs. Creating a converter costs more than converting a note, so there is one."""

    EXTENSIONS = ("tables", "sane_lists")
    _ONE_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.S)

    def __init__(self) -> None:
        self.converter = markdown.Markdown(extensions=list(self.EXTENSIONS))

    def block(self, text: str) -> str:
        self.converter.reset()
        return str(self.converter.convert(_md(text)))

    def inline(self, text: str) -> str:
        """Record Markdown inside a paragraph or cell: one paragraph loses its <p>."""
        rendered = self.block(text)
        match = self._ONE_PARAGRAPH.match(rendered)
        return match.group(1) if match and "<p>" not in match.group(1) else rendered


_RECORD_MARKDOWN: list[RecordMarkdown] = []


def record_markdown() -> RecordMarkdown:
    if not _RECORD_MARKDOWN:
        _RECORD_MARKDOWN.append(RecordMarkdown())
    return _RECORD_MARKDOWN[0]


def _part(part: dict[str, Any]) -> str:
    if "markdown" in part:
        return record_markdown().inline(part["markdown"])
    if "markdown_block" in part:
        return record_markdown().block(part["markdown_block"])
    if "list" in part:
        return _list(part["list"])
    if "paragraph" in part:
        return "<p>" + "".join(map(_part, part["paragraph"])) + "</p>"
    if "heading" in part:
        level, anchor = part["heading"]
        return f'<h{level} id="{_esc(anchor)}">{_esc(part["text"], quote=False)}</h{level}>'
    text = _esc(part["text"], quote=False)
    if part.get("href"):
        return f'<a href="{_esc(part["href"])}">{text}</a>'
    if part.get("strong"):
        return f"<strong>{text}</strong>"
    if part.get("id"):
        return f'<span id="{_esc(part["id"])}"></span>'
    return text


def _t(text: str) -> dict[str, str]:
    return {"text": text}


def _a(text: str, href: str) -> dict[str, str]:
    return {"text": text, "href": href}


def _b(text: str) -> dict[str, Any]:
    return {"text": text, "strong": True}


# An HTML block stands in a page's Markdown as a token on a line of its own, and the site hook puts it
# back once Markdown has run (`put_back_html_blocks`): Markdown then never parses the block (a table of
# 10,000 rows took seconds). The tokens hold a random part, so no record text can forge one.
HTML_BLOCKS: dict[str, str] = {}
_NONCE = secrets.token_hex(8)
_TOKEN = re.compile(rf"(?:<p>)?(RHB\d+X{_NONCE})(?:</p>)?")


def _html_block(block: str) -> str:
    token = f"RHB{len(HTML_BLOCKS)}X{_NONCE}"
    HTML_BLOCKS[token] = block
    return f"\n{token}\n"


def put_back_html_blocks(page_html: str) -> str:
    """Return a page's HTML with each block token replaced by its block."""
    return _TOKEN.sub(lambda match: HTML_BLOCKS[match.group(1)], page_html) if "RHB" in page_html else page_html


def html_table(headers: list[str], rows: list[list[list[dict[str, Any]]]], css: str = "") -> str:
    """Return an HTML table block, each cell a list of text, link or bold parts, all escaped."""
    head = "".join(f"<th>{_esc(h, quote=False)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join("<td>" + "".join(map(_part, cell)) + "</td>" for cell in row) + "</tr>\n" for row in rows
    )
    table = f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"
    return _html_block(f'<div class="{_esc(css)}">\n{table}\n</div>' if css else table)


def html_parts(parts: list[dict[str, Any]]) -> str:
    """Return an HTML block of parts as in html_table, plus headings ({"text", "heading": (level, id)}),
    record Markdown ({"markdown": text} inline, {"markdown_block": text}), paragraphs
    ({"paragraph": [parts]}) and lists ({"list": [[parts]]}). Headings here are not in the page's table
    of contents: material's search looks each one up in it, which at 10,000 headings took most of a
    minute."""
    return _html_block("\n".join(map(_part, parts)))


def _list(items: list[list[dict[str, Any]]]) -> str:
    return "<ul>\n" + "".join("<li>" + "".join(map(_part, item)) + "</li>\n" for item in items) + "</ul>"


def html_list(items: list[list[dict[str, Any]]]) -> str:
    """Return an HTML list block, each item a list of parts as in html_table."""
    return _html_block(_list(items))


def _front_matter(title: str) -> str:
    """Return YAML front matter giving the page's title already escaped.

    mkdocs' templates do not escape, and a title taken from the heading would reach <title> raw.
    A JSON string is a valid YAML scalar, so any text survives the trip.
    """
    return f"---\ntitle: {json.dumps(html.escape(' '.join(title.split())))}\n---\n\n"


def period_text(period: Period) -> str:
    if period.start and period.end:
        return f"{period.start} to {period.end}"
    if period.start:
        return f"from {period.start}"
    if period.end:
        return f"up to {period.end}"
    return "all periods"


def caveats_first(dataset: Dataset) -> list[Caveat]:
    """Return the caveats most prominent first: comparability breaks, then by severity."""
    rank = {"critical": 0, "warning": 1, "info": 2}
    return sorted(dataset.caveats, key=lambda c: (not c.breaks_comparability, rank[c.severity]))


def shows_nrm_exploitation(dataset: Dataset) -> bool:
    """True if the record carries NRM exploitation-type figures (the 2019 break must then be shown)."""
    nrm = "nrm-and-duty-to-notify" in dataset.themes
    return nrm and any(b.dimension in ("exploitation-type", "exploitation-sub-type") for b in dataset.breakdowns)


def dataset_jsonld(registry: Registry, dataset: Dataset, page_url: str) -> str:
    """Return schema.org Dataset JSON-LD, safe to place inside a <script> element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": registry.dataset_uri(dataset.id),
        "name": dataset.title,
        "description": dataset.summary,
        "url": page_url,
        "sameAs": dataset.landing_page,
        "keywords": dataset.keywords,
        "publisher": {
            "@type": "Organization",
            "name": registry.agents[dataset.publisher].name,
            "url": registry.agents[dataset.publisher].homepage,
        },
        "temporalCoverage": f"{dataset.temporal_coverage.start or '..'}/{dataset.temporal_coverage.end or '..'}",
        "spatialCoverage": [vocabularies.GEOGRAPHIES[g].label for g in dataset.spatial],
        "isAccessibleForFree": dataset.access.level == "open",
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.title,
                "encodingFormat": d.media_type or d.format,
                "contentUrl": d.download_url or d.access_url,
            }
            for d in dataset.distributions
        ],
    }
    # "<" escaped so no text can close the script element
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


def _dataset_list(registry: Registry, datasets: list[Dataset], prefix: str) -> str:
    rows = [
        [
            [_a(d.title, f"{prefix}dataset/{d.id}/")],
            [_t(registry.agents[d.publisher].name)],
            [_t(vocabularies.FREQUENCIES[d.frequency].label)],
            [_t(vocabularies.STATISTICS_STATUSES[d.statistics_status.status].label)],
        ]
        for d in sorted(datasets, key=lambda d: d.title.lower())
    ]
    return html_table(["Dataset", "Publisher", "Frequency", "Status"], rows)


def agent_page(registry: Registry, agent_id: str) -> str:
    agent = registry.agents[agent_id]
    published = [d for d in registry.datasets.values() if d.publisher == agent_id]
    produced = [d for d in registry.datasets_of_agent(agent_id) if d.publisher != agent_id]
    out = [
        _front_matter(agent.name) + f"# {_inline(agent.name)}\n",
        _md(agent.description or "") + "\n",
        f"Type: {vocabularies.AGENT_TYPES[agent.type].label}. Web site: <{agent.homepage}>\n",
    ]
    out.append("## Published here\n")
    out.append(_dataset_list(registry, published, "../../") if published else "None.\n")
    if produced:
        out.append("## Produced, published by others\n")
        out.append(_dataset_list(registry, produced, "../../"))
    return "\n".join(out)


def theme_page(registry: Registry, theme_id: str) -> str:
    theme = registry.theme(theme_id)
    datasets = registry.datasets_of_theme(theme_id)
    return (
        _front_matter(theme.label)
        + f"# {_inline(theme.label)}\n\n{_md(theme.description)}\n\n"
        + (_dataset_list(registry, datasets, "../../") if datasets else "No datasets yet.\n")
    )


def section_index(registry: Registry, kind: str) -> str:
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
    rows = [[[_a(name, link)], [_t(str(count))]] for name, link, count in sorted(items)]
    return f"# {title}\n\n" + html_table(["", "Datasets"], rows)


def all_datasets_page(registry: Registry) -> str:
    return (
        "# All datasets\n\nEvery dataset in the registry. The [finder](../finder/) filters them.\n\n"
        + _dataset_list(registry, list(registry.datasets.values()), "../")
    )


def method_changes_page(registry: Registry) -> str:
    """Return the method-change timeline of every series on one page, oldest first."""
    rows = []
    for d in registry.datasets.values():
        for change in d.method_changes:
            rows.append((change.date, d, change))
    intro = (
        "# Method changes across all sources\n\n"
        "Every dated change of method recorded in the registry, oldest first. A change can break the "
        "comparability of a series: read the effect before comparing figures either side of it.\n\n"
    )
    table = html_table(
        ["Date", "Series", "Change", "Effect"],
        [
            [
                [_t(date)],
                [_a(d.title, f"../dataset/{d.id}/")],
                [_b(change.title + ": "), _t(change.change)],
                [_t(change.effect)],
            ]
            for date, d, change in sorted(rows, key=lambda r: (r[0], r[1].id))
        ],
    )
    return intro + table


MATRIX_DIMENSIONS = [
    "exploitation-type",
    "exploitation-sub-type",
    "age",
    "sex",
    "nationality",
    "uk-non-uk",
    "police-force-area",
    "location-of-exploitation",
    "outcome",
    "decision",
]


def breakdown_matrix_page(registry: Registry) -> str:
    """Return which source can be split by which dimension, and for which periods."""
    out = [
        "# Breakdowns: which source can be split by what\n",
        "Each cell gives the periods for which a breakdown is published; a dash means the source does not "
        "publish it (as far as its record says). Exploitation sub-type, age, location of exploitation and "
        "outcomes by UK/non-UK nationality are the breakdowns users asked the Home Office for.\n",
    ]
    rows = []
    for d in sorted(registry.datasets.values(), key=lambda d: d.title.lower()):
        by_dimension: dict[str, list[str]] = {}
        for b in d.breakdowns:
            by_dimension.setdefault(b.dimension, []).append(period_text(b.available))
        # an en dash marks a breakdown the source does not publish
        cells = [
            ", ".join(by_dimension[dim]) if dim in by_dimension else "–"  # noqa: RUF001
            for dim in MATRIX_DIMENSIONS
        ]
        rows.append([[_a(d.title, f"../dataset/{d.id}/")], *([_t(cell)] for cell in cells)])
    out.append(html_table(["Dataset", *(vocabularies.DIMENSIONS[d].label for d in MATRIX_DIMENSIONS)], rows))
    return "\n".join(out)


def finder_index(registry: Registry) -> dict[str, Any]:
    """Return the finder's JSON index: one entry per dataset with every facet it filters on."""
    return {
        "facets": {
            "publisher": {a.id: a.name for a in registry.agents.values()},
            "theme": {t.id: t.label for t in registry.catalogue.themes},
            "status": {k: v.label for k, v in vocabularies.STATISTICS_STATUSES.items()},
            "geography": {k: v.label for k, v in vocabularies.GEOGRAPHIES.items()},
            "frequency": {k: v.label for k, v in vocabularies.FREQUENCIES.items()},
            "breakdown": {k: v.label for k, v in vocabularies.DIMENSIONS.items()},
            "access": {k: v.label for k, v in vocabularies.ACCESS_LEVELS.items()},
        },
        "datasets": [
            {
                "id": d.id,
                "title": d.title,
                "summary": d.summary,
                "text": " ".join(
                    [
                        d.title,
                        d.summary,
                        d.description,
                        " ".join(d.keywords),
                        " ".join(c.title + " " + c.text for c in d.caveats),
                    ]
                ).lower(),
                "publisher": [d.publisher],
                "theme": list(d.themes),
                "status": [d.statistics_status.status],
                "geography": list(d.spatial),
                "frequency": [d.frequency],
                "breakdown": sorted({b.dimension for b in d.breakdowns}),
                "access": [d.access.level],
                "breaks_comparability": any(c.breaks_comparability for c in d.caveats),
            }
            for d in registry.datasets.values()
        ],
    }


def generated_pages(registry: Registry) -> dict[str, str]:
    """Return every generated Markdown page, by its path under the site's docs folder (dataset pages
    are HTML, rendered by site_dataset.py)."""
    pages = {f"organization/{a}/index.md": agent_page(registry, a) for a in registry.agents}
    pages |= {f"group/{t.id}/index.md": theme_page(registry, t.id) for t in registry.catalogue.themes}
    pages["organization/index.md"] = section_index(registry, "organization")
    pages["group/index.md"] = section_index(registry, "group")
    pages["dataset/index.md"] = all_datasets_page(registry)
    pages["method-changes/index.md"] = method_changes_page(registry)
    pages["breakdowns/index.md"] = breakdown_matrix_page(registry)
    return pages
