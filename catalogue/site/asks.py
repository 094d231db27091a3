"""The pages that answer the regulator's asks (OSR to the Home Office, March 2023), built from the records.

Each page gathers from every record what bears on one ask, so it stays current as records change.
"""

from __future__ import annotations

from typing import Any

from catalogue.records import vocabularies
from catalogue.records.model import Dataset
from catalogue.records.registry import Registry
from catalogue.site.pages import MATRIX_DIMENSIONS, _front_matter, html_list, html_parts, html_table, period_text

OSR_LETTER = (
    "https://osr.statisticsauthority.gov.uk/correspondence/"
    "mark-pont-to-jon-simmons-national-referral-mechanism-and-duty-to-notify-statistics/"
)
ASKS = {
    "nrm-journey": "The victim's journey through the NRM, and when the thresholds changed",
    "undercount": "The undercount, and rising referrals as awareness",
    "breakdowns": "Which breakdowns exist where",
    "research-access": "How researchers can get the data",
    "quality": "Methods and quality of the NRM and Duty to Notify statistics",
    "revisions": "Revisions: scale, nature and effect",
    "signposting": "Signposting: related sources and how they differ",
    "exploitation-type-2019": "The 2019 exploitation-type comparability break",
    "data-linkage": "Data linkage: what is and is not linked",
    "figures": "Statement sourcing: headline figures and their tables",
}


def _link(d: Dataset) -> dict[str, str]:
    return {"text": d.title, "href": f"../../dataset/{d.id}/"}


def _page(slug: str, intro: str, body: list[str]) -> str:
    title = ASKS[slug]
    return _front_matter(title) + f"# {title}\n\n{intro} ([OSR, March 2023]({OSR_LETTER}))\n\n" + "\n".join(body) + "\n"


def _nrm_records(registry: Registry) -> list[Dataset]:
    return [d for d in registry.datasets.values() if "nrm-and-duty-to-notify" in d.themes]


def journey(registry: Registry) -> str:
    rows = []
    for d in _nrm_records(registry):
        for c in d.method_changes:
            rows.append((c.date, d, c))
    table = html_table(
        ["Date", "Series", "Change", "Effect"],
        [
            [
                [{"text": date}],
                [_link(d)],
                [{"text": c.title + ": ", "strong": True}, {"text": c.change}],
                [{"text": c.effect}],
            ]
            for date, d, c in sorted(rows, key=lambda r: (r[0], r[1].id))
        ],
    )
    return _page(
        "nrm-journey",
        "OSR asked for a clearer narrative of victims' journey through the NRM, with a flow "
        "chart like the one in ONS's Modern slavery in the UK article.",
        [
            "The flow chart, with the decision thresholds and when they changed, is on "
            "[The NRM journey](../../nrm-journey/). The changes recorded in the NRM records:\n",
            table,
        ],
    )


def undercount(registry: Registry) -> str:
    keywords = ("undercount", "hidden", "awareness", "identification", "not comparable with nrm")
    items = []
    for d in registry.datasets.values():
        for c in d.caveats:
            if any(k in (c.title + " " + c.text).lower() for k in keywords):
                items.append(
                    [
                        _link(d),
                        {"text": ": "},
                        {"text": c.title + ".", "strong": True},
                        {"text": " "},
                        {"markdown": c.text},
                    ]
                )
    return _page(
        "undercount",
        "OSR asked the bulletin to explain why the NRM and Duty to Notify figures are "
        "likely to be undercounts, and that rising referrals may reflect first responders' awareness.",
        [
            '!!! danger "Every source undercounts modern slavery"\n    No single source or method can count the '
            "victims. Counts are of people identified, referred or reported; modelled estimates are not counts "
            "and cannot be compared with them.\n",
            "What each source says about undercounting and awareness:\n",
            html_list(items),
        ],
    )


def breakdowns(registry: Registry) -> str:
    asked = ["exploitation-sub-type", "age", "location-of-exploitation", "uk-non-uk", "outcome", "nationality"]
    body = [
        "Users asked for NRM referrals by exploitation sub-type, age of victim and location of exploitation, "
        "and for outcome decisions by UK and non-UK nationals. For each, the sources that publish it and for "
        "which periods:\n"
    ]
    for dim in asked:
        found = [(d, b) for d in registry.datasets.values() for b in d.breakdowns if b.dimension == dim]
        body.append(f"## {vocabularies.DIMENSIONS[dim].label}\n")
        if found:
            body.append(
                html_list(
                    [
                        [_link(d), {"text": f": {period_text(b.available)}. "}, {"markdown": b.detail or ""}]
                        for d, b in found
                    ]
                )
            )
        else:
            body.append(
                "No source in the registry publishes this breakdown. It is listed in the "
                "[data-gaps register](../../data-gaps/)."
            )
        body.append("")
    body.append(
        f"The full matrix ({', '.join(vocabularies.DIMENSIONS[d].label for d in MATRIX_DIMENSIONS)}) is on "
        "[Breakdowns](../../breakdowns/)."
    )
    return _page("breakdowns", "OSR found the statistics not granular enough for some users.", body)


def research_access(registry: Registry) -> str:
    rows = [
        [
            [{"text": d.title, "href": f"../../dataset/{d.id}/"}],
            [{"text": vocabularies.ACCESS_LEVELS[d.access.level].label}],
            [{"text": d.access.route, "href": d.access.url}],
            [{"text": d.access.conditions}],
        ]
        for d in sorted(registry.datasets.values(), key=lambda d: (d.access.level == "open", d.title))
    ]
    return _page(
        "research-access",
        "OSR heard of the difficulties academic users face in getting permission and "
        "access for research involving the NRM.",
        [
            "Record-level NRM data are available for research through the UK Data Service (safeguarded access, with "
            "conditions). Every source's access route, most restricted first:\n",
            html_table(["Dataset", "Access", "Route", "Conditions"], rows),
        ],
    )


def quality(registry: Registry) -> str:
    parts: list[dict[str, Any]] = []
    for d in _nrm_records(registry):
        notes = d.quality.notes()
        if not notes and not d.qaad:
            continue
        parts.append({"text": d.title, "heading": (2, d.id)})
        for name, note in notes:
            parts.append({"paragraph": [{"text": vocabularies.QUALITY_DIMENSIONS[name].label + ".", "strong": True}]})
            parts.append({"markdown_block": note.text})
        if d.qaad:
            parts.append({"paragraph": [{"text": "Quality Assurance of Administrative Data.", "strong": True}]})
            parts.append({"markdown_block": d.qaad.summary})
        parts.append({"paragraph": [{"text": "Details, caveats and sources: "}, _link(d), {"text": "."}]})
    return _page(
        "quality",
        "OSR asked for significantly expanded quality and methods information: the live "
        "case-working system, recording practice, strengths and limitations, bias, accuracy, "
        "comparability, coherence and quality assurance across first responders, for example with its "
        "QAAD framework.",
        [html_parts(parts)] if parts else [],
    )


def revisions(registry: Registry) -> str:
    rows = [
        [
            [{"text": d.title, "href": f"../../dataset/{d.id}/"}],
            [{"text": r.release + (f" ({r.date})" if r.date else "")}],
            [{"text": r.what}],
            [{"text": r.scale}],
            [{"text": r.reason}],
        ]
        for d in registry.datasets.values()
        for r in d.revisions
    ]
    return _page(
        "revisions",
        "OSR asked for the scale, nature and impact of revisions to be explained.",
        [
            "Every revision recorded in the registry, release by release:\n",
            html_table(["Dataset", "Release", "What", "Scale", "Reason"], rows),
        ],
    )


def signposting(registry: Registry) -> str:
    parts: list[dict[str, Any]] = []
    for d in sorted(registry.datasets.values(), key=lambda d: d.title.lower()):
        relations = registry.relations_of(d.id)
        if not relations:
            continue
        parts.append({"text": d.title, "heading": (2, d.id)})
        parts.append(
            {
                "list": [
                    [
                        {"text": vocabularies.RELATIONS[rel].label + ": "},
                        _link(registry.datasets[other]),
                        {"text": ". " + " ".join(note.split())},
                    ]
                    for rel, other, note in relations
                ]
            }
        )
    return _page(
        "signposting",
        "OSR asked the NRM bulletin to signpost other data sources on modern slavery.",
        [html_parts(parts)] if parts else [],
    )


def exploitation_break(registry: Registry) -> str:
    items = []
    for d in registry.datasets.values():
        for c in d.caveats:
            if c.breaks_comparability and "exploitation-type" in c.breakdowns:
                periods = ", ".join(period_text(p) for p in c.periods) or "all periods"
                items.append(
                    [
                        _link(d),
                        {"text": ": "},
                        {"text": c.title, "strong": True},
                        {"text": f" ({periods}). "},
                        {"markdown": c.text},
                    ]
                )
    return _page(
        "exploitation-type-2019",
        "OSR asked for the caveat on the 2019 change to the recording of exploitation types to be made more prominent.",
        [
            '!!! danger "Exploitation type is not comparable across 2019"\n    Figures by exploitation type from '
            "before 2019 cannot be compared with later ones. The caveat is shown first on every dataset page where "
            "NRM exploitation figures appear.\n",
            "Where the break applies:\n",
            html_list(items),
        ],
    )


def linkage(registry: Registry) -> str:
    rows = [
        [
            [{"text": d.title, "href": f"../../dataset/{d.id}/"}],
            [{"text": link.linked_with}],
            [{"text": vocabularies.LINKAGE_STATUSES[link.status].label}],
            [{"text": link.note}],
        ]
        for d in registry.datasets.values()
        for link in d.data_linkage
    ]
    return _page(
        "data-linkage",
        "OSR welcomed work to link NRM data with immigration data and encouraged linking with other sources.",
        [html_table(["Dataset", "Linked with", "Status", "What it shows"], rows)],
    )


def figures(registry: Registry) -> str:
    rows = []
    for d in registry.datasets.values():
        for f in d.figures:
            value = f"{f.value:,.0f}" if f.value == int(f.value) else f"{f.value:,}"
            source = d.sources[f.sources[0]]
            rows.append(
                [
                    [{"text": f.label}],
                    [{"text": value}],
                    [{"text": f.period}],
                    [{"text": f.table}],
                    [{"text": f.as_published_in, "href": source.url}],
                    [{"text": d.title, "href": f"../../dataset/{d.id}/"}],
                ]
            )
    return _page(
        "figures",
        "OSR highlighted the need for public statements about modern slavery to be sourced from published statistics.",
        [
            "Headline figures recorded in the registry, each with the published table and release it comes from. "
            "Figures are as first published; later editions may revise them (see [revisions](../revisions/)).\n",
            html_table(["Figure", "Value", "Period", "Table", "Published in", "Dataset"], rows),
        ],
    )


def asks_pages(registry: Registry) -> dict[str, str]:
    """Return the ten asks pages and their index, by path under the docs folder."""
    builders = {
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
    pages = {f"asks/{slug}/index.md": build(registry) for slug, build in builders.items()}
    index = [
        "# The regulator's asks\n",
        f"In March 2023 the [Office for Statistics Regulation]({OSR_LETTER}) asked the Home Office for more "
        "about the NRM and Duty to Notify statistics. Each ask is answered here from the registry's records:\n",
    ]
    index += [f"{i}. [{title}]({slug}/)" for i, (slug, title) in enumerate(ASKS.items(), start=1)]
    index.append("\nAlso: the [glossary](../glossary/) and the [data-gaps register](../data-gaps/).")
    pages["asks/index.md"] = "\n".join(index) + "\n"
    return pages
