"""What the site's pages say about records, as plain data: which caveats lead, whether the 2019 break
applies, the finder's index and schema.org JSON-LD. No HTML here: templates turn these into pages."""

from __future__ import annotations

from typing import Any

from catalogue.records import vocabularies
from catalogue.records.model import Caveat, Dataset
from catalogue.records.registry import Registry

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


def caveats_first(dataset: Dataset) -> list[Caveat]:
    """Return the caveats most prominent first: comparability breaks, then by severity."""
    rank = {"critical": 0, "warning": 1, "info": 2}
    return sorted(dataset.caveats, key=lambda c: (not c.breaks_comparability, rank[c.severity]))


def shows_nrm_exploitation(dataset: Dataset) -> bool:
    """True if the record carries NRM exploitation-type figures (the 2019 break must then be shown)."""
    nrm = "nrm-and-duty-to-notify" in dataset.themes
    return nrm and any(b.dimension in ("exploitation-type", "exploitation-sub-type") for b in dataset.breakdowns)


def dataset_jsonld(registry: Registry, dataset: Dataset, page_url: str) -> dict[str, Any]:
    """Return schema.org Dataset JSON-LD for a dataset's page (templates/jsonld.html puts it in the page)."""
    return {
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
