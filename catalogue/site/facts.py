"""What the site's pages say about records, as plain data: which caveats lead, whether the 2019 break
applies, the finder's index and schema.org JSON-LD. No HTML here: templates turn these into pages."""

from __future__ import annotations

from typing import Any

from catalogue.records import vocabularies
from catalogue.records.model import Caveat, Dataset
from catalogue.records.registry import Registry
from catalogue.site.render import oneline

NRM_EXPLOITATION_NOTE = (
    "The way NRM exploitation type is recorded changed in 2019: exploitation-type figures from before 2019 "
    "cannot be compared with later ones."
)
# The breakdowns the matrix across sources shows, in its column order.
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


# the theme of the series people come to the registry for (the NRM and Duty to Notify statistics)
FLAGSHIP_THEME = "nrm-and-duty-to-notify"
_FREQUENT = {"daily", "weekly", "monthly", "quarterly"}


def prominence(dataset: Dataset) -> int:
    """How much a dataset is what people come for, 0 to 4, from what the record says: one point each for
    the NRM theme, a series still going on, official statistics, and figures at least quarterly (the most
    current). The home page lists datasets by it and the site search boosts dataset pages by it."""
    return (
        (FLAGSHIP_THEME in dataset.themes)
        + dataset.temporal_coverage.ongoing
        + (dataset.statistics_status.status in vocabularies.OFFICIAL_STATUSES)
        + (dataset.frequency in _FREQUENT)
    )


def search_boost(dataset: Dataset) -> float:
    """The dataset page's boost in the site search (1 to 3): prominent series first among equal matches."""
    return 1 + prominence(dataset) / 2


def featured(registry: Registry, count: int = 8) -> list[Dataset]:
    """The series the home page offers first: most prominent, then a whole before its parts (the Duty to
    Notify counts are part of the NRM bulletin and share its release day), then latest edition, then title."""
    ranked = sorted(registry.datasets.values(), key=lambda d: d.title.lower())
    ranked.sort(key=lambda d: d.releases.last_updated or "", reverse=True)
    ranked.sort(key=lambda d: any(r.relation == "part-of" for r in d.related))
    ranked.sort(key=prominence, reverse=True)
    return ranked[:count]


def caveats_first(dataset: Dataset) -> list[Caveat]:
    """Return the caveats most prominent first: comparability breaks, then by severity."""
    rank = {"critical": 0, "warning": 1, "info": 2}
    return sorted(dataset.caveats, key=lambda c: (not c.breaks_comparability, rank[c.severity]))


def shows_nrm_exploitation(dataset: Dataset) -> bool:
    """True if the record carries NRM exploitation-type figures (the 2019 break must then be shown)."""
    nrm = FLAGSHIP_THEME in dataset.themes
    return nrm and any(b.dimension in ("exploitation-type", "exploitation-sub-type") for b in dataset.breakdowns)


def dataset_jsonld(registry: Registry, dataset: Dataset, page_url: str) -> dict[str, Any]:
    """Return schema.org Dataset JSON-LD for a dataset's page (templates/jsonld.json puts it in the page),
    with every property of Google's Dataset guidelines the record can fill and nothing it does not give:
    media types only where the record has one, a download only where there is an address of the data itself
    (a direct link, or a web page that is the data), temporal coverage only where a date is known. The
    dataset's `license` only where every distribution has the same one; each download carries its own
    licence, and its rights statement as `copyrightNotice`."""
    catalogue = registry.catalogue
    licences = {d.licence for d in dataset.distributions}
    licence_uri = vocabularies.LICENCES[licences.pop()].uri if len(licences) == 1 else None
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": registry.dataset_uri(dataset.id),
        "name": oneline(dataset.title),
        "description": jsonld_description(dataset),
        "url": page_url,
        "sameAs": dataset.landing_page,
        "identifier": [registry.dataset_uri(dataset.id), dataset.id],
        "keywords": dataset.keywords,
        "publisher": _organization(registry, dataset.publisher),
        "creator": [_organization(registry, a) for a in (dataset.creator or [dataset.publisher])],
        "includedInDataCatalog": {"@type": "DataCatalog", "name": oneline(catalogue.title), "url": catalogue.homepage},
        "dateModified": registry.modified(dataset.id)[:10],
        "spatialCoverage": [vocabularies.GEOGRAPHIES[g].label for g in dataset.spatial],
        "isAccessibleForFree": dataset.access.level == "open",
        "variableMeasured": [vocabularies.UNITS[u].label for u in dataset.unit_of_measure],
        "distribution": [
            {"@type": "DataDownload", "name": oneline(d.title), "contentUrl": url}
            | ({"encodingFormat": d.media_type} if d.media_type else {})
            | ({"contentSize": f"{d.byte_size} B"} if d.byte_size else {})
            | ({"license": uri} if (uri := vocabularies.LICENCES[d.licence].uri) else {})
            | ({"copyrightNotice": oneline(d.rights)} if d.rights else {})
            for d in dataset.distributions
            if (url := d.download_url or (d.access_url if d.media_type == "text/html" else None))
        ],
    }
    if licence_uri:
        data["license"] = licence_uri
    if dataset.releases.first_issued:
        data["datePublished"] = dataset.releases.first_issued
    if coverage := temporal_coverage(dataset):
        data["temporalCoverage"] = coverage
    return data


def jsonld_description(dataset: Dataset) -> str:
    """The description Google asks for (50 to 5,000 characters): the summary, with the description after it
    when the summary alone is shorter than that, cut at a word within the limit."""
    text = oneline(dataset.summary)
    if len(text) < 50:
        text = oneline(f"{text} {dataset.description}")
    if len(text) > 5000:
        text = text[:4999].rsplit(" ", 1)[0] + "…"
    return text


def temporal_coverage(dataset: Dataset) -> str | None:
    """The coverage as an ISO 8601 interval; an open end is "..", and no coverage at all is left out."""
    start, end = dataset.temporal_coverage.start, dataset.temporal_coverage.end
    if not (start or end):
        return None
    return f"{start or '..'}/{end or '..'}"


def _organization(registry: Registry, agent_id: str) -> dict[str, Any]:
    agent = registry.agents[agent_id]
    return {"@type": "Organization", "name": oneline(agent.name), "url": agent.homepage}


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
                # for the finder's sort and its results: which breaks, how prominent, the latest edition
                "breaks": [c.title for c in caveats_first(d) if c.breaks_comparability],
                "keywords": " ".join(d.keywords).lower(),
                "prominence": prominence(d),
                "latest": d.releases.last_updated or "",
            }
            for d in registry.datasets.values()
        ],
    }
