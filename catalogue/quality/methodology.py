"""The data.europa.eu Metadata Quality Assessment (MQA): its indicators, points, dimensions and ratings.

Why a copy of the methodology here: producers see the MQA score only after data.europa.eu harvests
a record, on a portal they do not run. Scoring the same indicators before publishing lets them fix
a record first. Every number below was read from a published source (checked 2026-11-30); where the
sources disagree or say nothing, the reading taken is named here and in the producers' guide
(site/guides/producers.md, "Metadata quality score"). No points are invented.

Sources read (stored public copies, through the project's search tools, on 2026-11-30):

[M] The methodology page, https://data.europa.eu/mqa/methodology?locale=en, as copied in the README of
    github.com/mjanez/ckan-mqa (commit 468010f): the five dimensions and their maxima (findability 100,
    accessibility 100, interoperability 110, reusability 75, contextuality 20; 405 in all) and the
    rating bands Excellent 351-405, Good 221-350, Sufficient 121-220, Bad 0-120; its example table
    gives the points of each indicator (the same as [V]).
[V] The piveau DQV score vocabulary, github.com/piveau-data/piveau-vocabularies,
    src/main/resources/piveau-dqv-vocabulary.ttl (commit 7b29f2a): one dqv:Metric per indicator
    (`pv:keywordAvailability` ...), its dimension, its `pv:trueScore` (the points) and, for format and
    media type only, a `pv:falseScore` of -5.
[U] The MQA dashboard's own methodology page, github.com/piveau-data/piveau-metrics-ui,
    src/components/AboutMetrics.vue and src/i18n/lang.json (commit a577447, 2019): the same points
    per indicator; "the distribution with the highest number of points is used" (interoperability);
    the -5 penalty "for each distribution without a format" (and without a media type).
[S] The scoring vocabulary edp-scoring-skos.rdf and the format lists edp-machine-readable-format.rdf
    and edp-non-proprietary-format.rdf of data.europa.eu's edp-vocabularies, as copied in
    github.com/YourOpenDAta/mqa-scoring (commit 105c863), folder edp-vocabularies/.
[L] The data provider manual, https://dataeuropa.gitlab.io/data-provider-manual/metadata-quality-dashboard/
    (its opening only was stored): accessibility is checked by HTTP requests to accessURL and downloadURL.

| dimension        | indicator (our key)         | points | on           | DQV metric [V]                          |
|------------------|-----------------------------|-------:|--------------|-----------------------------------------|
| findability      | keywords                    |     30 | dataset      | pv:keywordAvailability                  |
| findability      | categories                  |     30 | dataset      | pv:categoryAvailability                 |
| findability      | geo search (spatial)        |     20 | dataset      | pv:spatialAvailability                  |
| findability      | time-based search (temporal)|     20 | dataset      | pv:temporalAvailability                 |
| accessibility    | access URL answers          |     50 | distribution | pv:accessUrlStatusCode                  |
| accessibility    | download URL given          |     20 | distribution | pv:downloadUrlAvailability              |
| accessibility    | download URL answers        |     30 | distribution | pv:downloadUrlStatusCode                |
| interoperability | format given                |     20 | distribution | pv:formatAvailability (-5 if not)       |
| interoperability | media type given            |     10 | distribution | pv:mediaTypeAvailability (-5 if not)    |
| interoperability | format, media type from vocabularies | 10 | distribution | pv:formatMediaTypeVocabularyAlignment |
| interoperability | non-proprietary             |     20 | distribution | pv:formatMediaTypeNonProprietary        |
| interoperability | machine-readable            |     20 | distribution | pv:formatMediaTypeMachineInterpretable  |
| interoperability | DCAT-AP compliance          |     30 | dataset      | pv:dcatApCompliance                     |
| reusability      | licence given               |     20 | distribution | pv:licenceAvailability                  |
| reusability      | known licence               |     10 | distribution | pv:knownLicence                         |
| reusability      | access rights given         |     10 | dataset      | pv:accessRightsAvailability             |
| reusability      | access rights from vocabulary |    5 | dataset      | pv:accessRightsVocabularyAlignment      |
| reusability      | contact point               |     20 | dataset      | pv:contactPointAvailability             |
| reusability      | publisher                   |     10 | dataset      | pv:publisherAvailability                |
| contextuality    | rights                      |      5 | distribution | pv:rightsAvailability                   |
| contextuality    | file size                   |      5 | distribution | pv:byteSizeAvailability                 |
| contextuality    | date of issue               |      5 | either       | pv:dateIssuedAvailability               |
| contextuality    | modification date           |      5 | either       | pv:dateModifiedAvailability             |

Where the methodology is unclear, and the reading taken:
- Several distributions. [U] says, for interoperability, that the distribution with the most points
  counts ("identical content for multiple distributions"); no source says how the other
  distribution-level indicators combine. We apply the same rule in every dimension: for each
  dimension, the distribution with the most points in it counts.
- The -5 penalties for a distribution without a format or a media type are in [V] and [U] but not in
  [M]'s table. We apply them (to interoperability, per distribution) and never let a dimension go
  below 0, which no source states either.
- Ratings: [M] starts Sufficient at 121 and Bad at 0-120; [S] says Sufficient ("Enough") is "between
  120 and 220" and Bad "less than 120". We follow [M] (121), so a score of exactly 120 is Bad here.
- Known licence: the MQA checks against its own licence list (edp-licences-skos, an extension of the
  EU licence authority table). We count any IRI of the EU licence authority table as known.
- Vocabulary alignment: [V] says both dct:format and dcat:mediaType must be aligned (EU file types,
  IANA media types); a distribution without a media type therefore misses it.
- Non-proprietary and machine-readable: the MQA looks up the media type in IANA-based lists first,
  then the format in the lists of [S]. We have not vendored the media-type lists, so only the format
  is looked up (a distribution whose media type alone is on a list is under-scored here).
- DCAT-AP compliance: the MQA validates each dataset with the DCAT-AP SHACL shapes. Scoring has no
  SHACL engine at run time; the caller says whether the document conforms. For the shipped records
  the writer's output is validated against the DCAT-AP 3.0.1 shapes in CI (tests/test_rdf.py), so
  the registry's scores count it as earned and say why.
- Accessibility: the MQA sends HTTP requests; scoring does not. The link checker's last JSON report
  (`catalogue linkcheck`) answers for the URLs it checked (ok means a final status below 400 after
  redirects); a URL it did not check is "not checked" and scores 0.
- Dates of issue and modification: [V] says "in a distribution", [U] lists them for the dataset and
  its distributions; either counts here.
"""

from __future__ import annotations

from dataclasses import dataclass

METHODOLOGY_URL = "https://data.europa.eu/mqa/methodology?locale=en"
PIVEAU = "https://piveau.eu/ns/voc#"  # the piveau DQV vocabulary's namespace, [V]
EU = "http://publications.europa.eu/resource/authority"


@dataclass(frozen=True)
class Dimension:
    key: str
    label: str
    max_points: int
    definition: str  # what the dimension measures, in the words of [V] (skos:definition)


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "findability",
        "Findability",
        100,
        "Metadata and data should be easy to find for both humans and computers: keywords, categories, "
        "spatial and temporal coverage.",
    ),
    Dimension(
        "accessibility",
        "Accessibility",
        100,
        "Whether the data the distributions point at can be reached: access URL and download URL answering.",
    ),
    Dimension(
        "interoperability",
        "Interoperability",
        110,
        "Whether a distribution can be used by other applications: format, media type, controlled "
        "vocabularies, non-proprietary and machine-readable formats, DCAT-AP compliance.",
    ),
    Dimension(
        "reusability",
        "Reusability",
        75,
        "Whether the data can be reused: licence, access rights, contact point, publisher.",
    ),
    Dimension(
        "contextuality",
        "Contextuality",
        20,
        "Properties that give users more context: rights, file size, dates of issue and modification.",
    ),
)
DIMENSION_BY_KEY = {d.key: d for d in DIMENSIONS}
MAX_POINTS = sum(d.max_points for d in DIMENSIONS)  # 405
MISSING_FORMAT_PENALTY = -5  # [V] pv:falseScore of pv:formatAvailability and pv:mediaTypeAvailability

# Lowest total for each rating, highest first ([M]); below the last, "Bad".
RATINGS: tuple[tuple[int, str], ...] = ((351, "Excellent"), (221, "Good"), (121, "Sufficient"))


def rating(total: int) -> str:
    return next((name for lowest, name in RATINGS if total >= lowest), "Bad")


@dataclass(frozen=True)
class Indicator:
    """One MQA indicator. `on` is "dataset" or "distribution" (or "either" for the dates);
    `network` marks those that need an HTTP answer (taken from the link checker's report);
    `advice` says, in producers' words and naming the record field, what earns it."""

    key: str
    label: str
    dimension: str
    points: int
    metric: str  # the piveau DQV metric's local name, [V]
    on: str
    advice: str
    network: bool = False


INDICATORS: tuple[Indicator, ...] = (
    Indicator("keywords", "Keywords", "findability", 30, "keywordAvailability", "dataset",
              "Add at least one word people search for under `keywords`."),
    Indicator("categories", "Categories", "findability", 30, "categoryAvailability", "dataset",
              "Give the record at least one theme under `themes`."),
    Indicator("spatial", "Geo search", "findability", 20, "spatialAvailability", "dataset",
              "Say which places the figures cover under `spatial` (e.g. `united-kingdom`)."),
    Indicator("temporal", "Time-based search", "findability", 20, "temporalAvailability", "dataset",
              "Give the periods covered under `temporal_coverage` (`start`, `end`)."),
    Indicator("access_url_answers", "Access URL answers", "accessibility", 50, "accessUrlStatusCode",
              "distribution",
              "Make each distribution's `access_url` a page that answers (no 4xx or 5xx); check with "
              "`catalogue linkcheck`.", network=True),
    Indicator("download_url", "Download URL given", "accessibility", 20, "downloadUrlAvailability",
              "distribution", "Give a stable direct link to the file as `download_url` of a distribution."),
    Indicator("download_url_answers", "Download URL answers", "accessibility", 30, "downloadUrlStatusCode",
              "distribution",
              "Make the distribution's `download_url` answer (no 4xx or 5xx); check with `catalogue linkcheck`.",
              network=True),
    Indicator("format", "Format given", "interoperability", 20, "formatAvailability", "distribution",
              "Give each distribution a `format` (an EU file-type code such as CSV or ODS)."),
    Indicator("media_type", "Media type given", "interoperability", 10, "mediaTypeAvailability", "distribution",
              "Give each distribution its IANA `media_type` (e.g. `text/csv`); a distribution without one "
              "also costs 5 points."),
    Indicator("vocabularies", "Format and media type from vocabularies", "interoperability", 10,
              "formatMediaTypeVocabularyAlignment", "distribution",
              "Give a distribution both a `format` from the EU file types and a `media_type` from IANA's list."),
    Indicator("non_proprietary", "Non-proprietary format", "interoperability", 20,
              "formatMediaTypeNonProprietary", "distribution",
              "Offer a distribution in an open format (e.g. `format: CSV` or `ODS`, not XLSX or PDF)."),
    Indicator("machine_readable", "Machine-readable format", "interoperability", 20,
              "formatMediaTypeMachineInterpretable", "distribution",
              "Offer a distribution in a machine-readable format (e.g. `format: CSV`, `ODS` or `XLSX`, not "
              "PDF or HTML)."),
    Indicator("dcat_ap", "DCAT-AP compliance", "interoperability", 30, "dcatApCompliance", "dataset",
              "The record's DCAT must conform to the DCAT-AP SHACL shapes; `catalogue validate` and CI check "
              "what the writer makes of it."),
    Indicator("licence", "Licence given", "reusability", 20, "licenceAvailability", "distribution",
              "Give each distribution a `licence`; add a distribution if the record has none."),
    Indicator("known_licence", "Known licence", "reusability", 10, "knownLicence", "distribution",
              "Use a licence from the EU licence list for `licence` (e.g. `ogl-3`, `cc-by-4`), not `unknown` "
              "or the publisher's own terms."),
    Indicator("access_rights", "Access rights given", "reusability", 10, "accessRightsAvailability", "dataset",
              "Say how open the data is under `access.level`."),
    Indicator("access_rights_vocabulary", "Access rights from vocabulary", "reusability", 5,
              "accessRightsVocabularyAlignment", "dataset",
              "Use one of the levels of `access.level` (open, safeguarded, controlled), which map to the EU "
              "access-right list."),
    Indicator("contact_point", "Contact point", "reusability", 20, "contactPointAvailability", "dataset",
              "Name who answers questions under `contact_point`."),
    Indicator("publisher", "Publisher", "reusability", 10, "publisherAvailability", "dataset",
              "Name the publishing agent under `publisher`."),
    Indicator("rights", "Rights", "contextuality", 5, "rightsAvailability", "distribution",
              "Give a distribution its `rights`, the publisher's rights statement (e.g. 'Crown copyright'); it "
              "is written as `dct:rights`, a `dct:RightsStatement`."),
    Indicator("byte_size", "File size", "contextuality", 5, "byteSizeAvailability", "distribution",
              "Give the file's size in bytes as `byte_size` of a distribution."),
    Indicator("issued", "Date of issue", "contextuality", 5, "dateIssuedAvailability", "either",
              "Give the date the series was first published as `releases.first_issued`."),
    Indicator("modified", "Modification date", "contextuality", 5, "dateModifiedAvailability", "either",
              "Give the date of the latest edition as `releases.last_updated`."),
)  # fmt: skip

# The file-type codes of [S] (EU file-type authority table, `{EU}/file-type/<code>`).
MACHINE_READABLE_FORMATS = frozenset(
    [
        "CSV",
        "GEOJSON",
        "ICS",
        "JSON",
        "JSON_LD",
        "KML",
        "KMZ",
        "NETCDF",
        "ODS",
        "RDFA",
        "RDF_N_QUADS",
        "RDF_N_TRIPLES",
        "RDF_TRIG",
        "RDF_TURTLE",
        "RDF_XML",
        "RSS",
        "SHP",
        "XLS",
        "XLSX",
        "XML",
    ]
)
NON_PROPRIETARY_FORMATS = frozenset(
    [
        "BMP",
        "CSV",
        "DBF",
        "GEOJSON",
        "GZIP",
        "HTML",
        "ICS",
        "JPEG2000",
        "JSON",
        "JSON_LD",
        "KML",
        "KMZ",
        "NETCDF",
        "ODS",
        "PNG",
        "RDF_N_QUADS",
        "RDF_N_TRIPLES",
        "RDF_TRIG",
        "RDF_TURTLE",
        "RDF_XML",
        "RSS",
        "RTF",
        "TAR",
        "TIFF",
        "TSV",
        "TXT",
        "WMS_SRVC",
        "XML",
        "ZIP",
    ]
)
FILE_TYPE = EU + "/file-type/"
LICENCE = EU + "/licence/"
ACCESS_RIGHT = EU + "/access-right/"
IANA_MEDIA_TYPES = ("https://www.iana.org/assignments/media-types/", "http://www.iana.org/assignments/media-types/")

assert sum(i.points for i in INDICATORS) == MAX_POINTS == 405
assert all(sum(i.points for i in INDICATORS if i.dimension == d.key) == d.max_points for d in DIMENSIONS), (
    "each dimension's indicators add up to its maximum, as the methodology's table has it"
)
