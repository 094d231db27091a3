"""The published counts on the NRM journey chart, from the records (the regulator asked for the
journey's flow chart; a reader also wants to know how many people reach each stage).

site/nrm-journey/index.md is written by hand. In its Mermaid chart a label may end with a marker
`@@count:UNIT@@` (UNIT a unit of measure, e.g. referrals); the build puts there the latest
whole-year count of that unit in the NRM annual statistics, or nothing when the records hold none.
Where the page has `JOURNEY_COUNTS_MARKER`, the same counts follow in words with their source, as
the chart's text alternative. Only numbers and a four-digit year enter the chart, so no record
text can reach Mermaid's label syntax.
"""

from __future__ import annotations

import re

from catalogue.records.model import Figure
from catalogue.records.registry import Registry
from catalogue.site.render import render

SERIES = "nrm-dtn-annual"  # the records whose figures give the journey's whole-year counts
COUNT_MARKER = re.compile(r"@@count:([a-z-]+)@@")
JOURNEY_COUNTS_MARKER = "<!-- registry:journey-counts -->"


def latest_counts(registry: Registry) -> dict[str, Figure]:
    """The latest whole-year figure of each unit in the annual series, by unit."""
    dataset = registry.datasets.get(SERIES)
    latest: dict[str, Figure] = {}
    for figure in dataset.figures if dataset else []:
        if re.fullmatch(r"\d{4}", figure.period) and figure.period >= getattr(latest.get(figure.unit), "period", ""):
            latest[figure.unit] = figure
    return latest


def with_counts(page_html: str, registry: Registry) -> str:
    """Put the counts into the chart's labels (as the HTML-escaped Mermaid source holds them) and the
    counts in words where the page's marker is."""
    counts = latest_counts(registry)

    def label(match: re.Match[str]) -> str:
        figure = counts.get(match.group(1))
        return f"&lt;br/&gt;{figure.value:,.0f} in {figure.period}" if figure else ""

    page_html = COUNT_MARKER.sub(label, page_html)
    if JOURNEY_COUNTS_MARKER in page_html:
        block = render("journey-counts.html", counts=sorted(counts.values(), key=lambda f: f.unit), series=SERIES)
        page_html = page_html.replace(JOURNEY_COUNTS_MARKER, block, 1)
    return page_html
