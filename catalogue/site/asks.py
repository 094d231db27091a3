"""The pages that answer the regulator's asks (OSR to the Home Office, March 2023), built from the records.

Each page gathers from every record what bears on one ask, so it stays current as records change. What
a page gathers is plain data here (the four that need most from the records, breakdowns, research access,
methods and quality and data linkage, in asks_detail.py); its template (templates/asks/<slug>.md, on the
layout asks/ask.md) makes the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from catalogue.records import vocabularies
from catalogue.records.model import Dataset
from catalogue.records.registry import Registry
from catalogue.site.asks_detail import breakdowns, linkage, quality, research_access
from catalogue.site.facts import FLAGSHIP_THEME
from catalogue.site.pages import method_change_rows
from catalogue.site.render import HtmlBlocks, period_text, render

OSR_LETTER = (
    "https://osr.statisticsauthority.gov.uk/correspondence/"
    "mark-pont-to-jon-simmons-national-referral-mechanism-and-duty-to-notify-statistics/"
)
ASKS = {
    "nrm-journey": "The victim's journey through the NRM, and when the thresholds changed",
    "undercount": "The undercount, and rising referrals as awareness",
    "breakdowns": "Which breakdowns exist where",
    "research-access": "How researchers can get the data",
    "quality": "Methods and quality of the Home Office and NRM series",
    "revisions": "Revisions: scale, nature and effect",
    "signposting": "Signposting: related sources and how they differ",
    "exploitation-type-2019": "The 2019 exploitation-type comparability break",
    "data-linkage": "Data linkage: what is and is not linked",
    "figures": "Statement sourcing: headline figures and their tables",
}
UNDERCOUNT_WORDS = ("undercount", "hidden", "awareness", "identification", "not comparable with nrm")


def _nrm_records(registry: Registry) -> list[Dataset]:
    return [d for d in registry.datasets.values() if FLAGSHIP_THEME in d.themes]


def journey(registry: Registry) -> dict[str, Any]:
    return {"rows": method_change_rows(_nrm_records(registry))}


def undercount(registry: Registry) -> dict[str, Any]:
    items = [
        (d, c)
        for d in registry.datasets.values()
        for c in d.caveats
        if any(k in (c.title + " " + c.text).lower() for k in UNDERCOUNT_WORDS)
    ]
    return {"items": items}


def revisions(registry: Registry) -> dict[str, Any]:
    return {"rows": [(d, r) for d in registry.datasets.values() for r in d.revisions]}


def signposting(registry: Registry) -> dict[str, Any]:
    records = []
    for d in sorted(registry.datasets.values(), key=lambda d: d.title.lower()):
        relations = registry.relations_of(d.id)
        if relations:
            labelled = [
                (vocabularies.RELATIONS[rel].label, registry.datasets[other], note) for rel, other, note in relations
            ]
            records.append((d, labelled))
    return {"records": records}


def exploitation_break(registry: Registry) -> dict[str, Any]:
    items = [
        (d, c, ", ".join(period_text(p) for p in c.periods) or "all periods")
        for d in registry.datasets.values()
        for c in d.caveats
        if c.breaks_comparability and "exploitation-type" in c.breakdowns
    ]
    return {"items": items}


def figures(registry: Registry) -> dict[str, Any]:
    return {"rows": [(d, f) for d in registry.datasets.values() for f in d.figures]}


GATHER: dict[str, Callable[[Registry], dict[str, Any]]] = {
    "nrm-journey": journey,
    "undercount": undercount,
    "breakdowns": breakdowns,
    "research-access": research_access,
    "quality": quality,
    "revisions": revisions,
    "signposting": signposting,
    "exploitation-type-2019": exploitation_break,
    "data-linkage": linkage,
    "figures": figures,
}


def asks_pages(registry: Registry, blocks: HtmlBlocks) -> dict[str, str]:
    """Return the ten asks pages and their index, by path under the docs folder; their HTML blocks go
    into `blocks`."""
    pages = {
        f"asks/{slug}/index.md": render(
            f"asks/{slug}.md", blocks=blocks, title=ASKS[slug], osr_letter=OSR_LETTER, **gather(registry)
        )
        for slug, gather in GATHER.items()
    }
    pages["asks/index.md"] = render("asks/index.md", asks=ASKS, osr_letter=OSR_LETTER)
    return pages
