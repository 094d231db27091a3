"""schema.org Dataset JSON-LD on every dataset page, checked against Google's Dataset structured-data
requirements (developers.google.com/search/docs/appearance/structured-data/dataset): the required properties
(name; description of 50 to 5,000 characters) and the types of the recommended ones this catalogue fills."""

from __future__ import annotations

import re
from typing import Any

from catalogue.records import vocabularies
from catalogue.records.registry import Registry
from catalogue.site.facts import dataset_jsonld, temporal_coverage

URL = re.compile(r"^https?://[^\s]+$")
MEDIA_TYPE = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9.+-]*$")
DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
INTERVAL = re.compile(rf"^(?:{DATE}|\.\.)/(?:{DATE}|\.\.)$")


def google_dataset_problems(data: dict[str, Any]) -> list[str]:
    """What Google's Dataset rich-result test would flag in `data`: missing required properties, and
    recommended properties of the wrong type."""
    problems = []
    if data.get("@context") != "https://schema.org" or data.get("@type") != "Dataset":
        problems.append("not a schema.org Dataset")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        problems.append("name: required text")
    description = data.get("description")
    if not isinstance(description, str) or not 50 <= len(description) <= 5000:
        problems.append("description: required, 50 to 5,000 characters")
    for key in ("url", "sameAs", "license"):
        if key in data and not URL.match(data[key]):
            problems.append(f"{key}: not a URL")
    for key in ("creator", "publisher"):
        values = data.get(key)
        for value in values if isinstance(values, list) else [values] if values else []:
            if value.get("@type") not in ("Organization", "Person") or not value.get("name"):
                problems.append(f"{key}: not a named Person or Organization")
    if not isinstance(data.get("keywords", []), list) or not all(isinstance(k, str) for k in data.get("keywords", [])):
        problems.append("keywords: not text")
    catalogue = data.get("includedInDataCatalog")
    if catalogue is not None and (catalogue.get("@type") != "DataCatalog" or not catalogue.get("name")):
        problems.append("includedInDataCatalog: not a named DataCatalog")
    for item in data.get("distribution", []):
        if item.get("@type") != "DataDownload" or not URL.match(item.get("contentUrl", "")):
            problems.append("distribution: a DataDownload needs a contentUrl")
        if "encodingFormat" in item and not MEDIA_TYPE.match(item["encodingFormat"]):
            problems.append(f"distribution: encodingFormat {item['encodingFormat']!r} is not a media type")
    if "temporalCoverage" in data and (
        not INTERVAL.match(data["temporalCoverage"]) or data["temporalCoverage"] == "../.."
    ):
        problems.append(f"temporalCoverage {data['temporalCoverage']!r} is not an ISO 8601 interval")
    for key in ("dateModified", "datePublished"):
        if key in data and not re.fullmatch(DATE, data[key]):
            problems.append(f"{key}: not an ISO 8601 date")
    if not isinstance(data.get("isAccessibleForFree", False), bool):
        problems.append("isAccessibleForFree: not a boolean")
    if not all(isinstance(v, str) for v in data.get("variableMeasured", [])):
        problems.append("variableMeasured: not text")
    return problems


def test_the_checker_finds_what_google_flags() -> None:
    """Seen failing: the JSON-LD the site wrote before (format codes, '../..', a short description)."""
    bad = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": "x",
        "description": "too short",
        "temporalCoverage": "../..",
        "distribution": [{"@type": "DataDownload", "encodingFormat": "ODS", "contentUrl": "https://a.b/c"}],
    }
    assert len(google_dataset_problems(bad)) == 3


def test_every_property_the_record_fills(registry: Registry) -> None:
    """creator, identifier, catalogue, dateModified and variableMeasured on every page; a licence wherever the
    record's files share one licence with an address (the UK Data Service's end user licence has none)."""
    for dataset in registry.datasets.values():
        data = dataset_jsonld(registry, dataset, f"https://x.example/dataset/{dataset.id}/")
        for key in ("creator", "identifier", "includedInDataCatalog", "dateModified", "variableMeasured"):
            assert data.get(key), (dataset.id, key)
        licences = {vocabularies.LICENCES[d.licence].uri for d in dataset.distributions}
        assert data.get("license") == (licences.pop() if len(licences) == 1 else None), dataset.id


def test_every_dataset_page_passes(registry: Registry) -> None:
    for dataset in registry.datasets.values():
        data = dataset_jsonld(registry, dataset, f"https://x.example/dataset/{dataset.id}/")
        assert google_dataset_problems(data) == [], dataset.id
        media_types = {d.media_type for d in dataset.distributions if d.media_type}
        assert {d["encodingFormat"] for d in data["distribution"] if "encodingFormat" in d} <= media_types


def test_quarterly_nrm_values(registry: Registry) -> None:
    data = dataset_jsonld(
        registry, registry.datasets["nrm-dtn-quarterly"], "https://x.example/dataset/nrm-dtn-quarterly/"
    )
    assert data["temporalCoverage"] == "2009-04/.."
    # the dataset's licence only where all its distributions share one; each download has its own
    licences = {d.licence for d in registry.datasets["nrm-dtn-quarterly"].distributions}
    assert ("license" in data) == (len(licences) == 1)
    assert all(d["license"].endswith("/licence/OGL_3_0") for d in data["distribution"] if "gov.uk" in d["contentUrl"])
    assert data["creator"] == [{"@type": "Organization", "name": "Home Office", "url": data["publisher"]["url"]}]
    assert data["includedInDataCatalog"]["name"] == registry.catalogue.title
    assert data["dateModified"] == registry.modified("nrm-dtn-quarterly")[:10]
    assert "text/html" in {d["encodingFormat"] for d in data["distribution"]}


def test_coverage_is_left_out_rather_than_unknown_at_both_ends(registry: Registry) -> None:
    unknown = [d for d in registry.datasets.values() if not (d.temporal_coverage.start or d.temporal_coverage.end)]
    assert unknown  # the shipped records have some
    for dataset in unknown:
        assert temporal_coverage(dataset) is None
        assert "temporalCoverage" not in dataset_jsonld(registry, dataset, "https://x.example/")


def test_each_download_carries_its_licence_and_rights(registry: Registry) -> None:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    first, *rest = dataset.distributions
    mixed = dataset.model_copy(
        update={
            "distributions": [
                first.model_copy(
                    update={"licence": "ogl-3", "rights": "Crown copyright", "download_url": "https://a.b/c.ods"}
                ),
                *(d.model_copy(update={"licence": "unknown", "rights": None}) for d in rest),
            ]
        }
    )
    data = dataset_jsonld(registry, mixed, "https://x.example/dataset/nrm-dtn-quarterly/")
    download = next(d for d in data["distribution"] if d["contentUrl"] == "https://a.b/c.ods")
    assert download["license"].endswith("/licence/OGL_3_0")
    assert download["copyrightNotice"] == "Crown copyright"
    assert "license" not in data  # two licences: the dataset claims neither
    assert google_dataset_problems(data) == []
