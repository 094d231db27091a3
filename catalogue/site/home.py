"""The home page's generated block: the series people come for, and the latest changes in the registry.

site/index.md is written by hand; where it holds the marker `HOME_MARKER` (an HTML comment, which Markdown
passes through), the site build puts this block, rendered from the records, so the list never goes stale.
"""

from __future__ import annotations

from catalogue.records import vocabularies
from catalogue.records.registry import Registry
from catalogue.site.facts import featured, prominence
from catalogue.site.render import render

HOME_MARKER = "<!-- registry:home -->"
LATEST = 6


def home_block(registry: Registry) -> str:
    """The series people come for (facts.featured: the NRM and Duty to Notify statistics first) with their
    latest edition, and the records and method changes that changed last."""
    series = [
        {
            "dataset": d,
            "publisher": registry.agents[d.publisher].name,
            "frequency": vocabularies.FREQUENCIES[d.frequency].label,
            "latest": d.releases.last_updated,
            "breaks": sum(c.breaks_comparability for c in d.caveats),
        }
        for d in featured(registry)
        if prominence(d) >= 2
    ]
    changed = sorted(registry.datasets.values(), key=lambda d: (registry.modified(d.id), d.id), reverse=True)
    changes = sorted(
        ((m.date, d, m) for d in registry.datasets.values() for m in d.method_changes),
        key=lambda row: (row[0], row[1].id),
        reverse=True,
    )
    return render(
        "home.html",
        series=series,
        changed=[(registry.modified(d.id)[:10], d) for d in changed[:LATEST]],
        changes=changes[:LATEST],
    )
