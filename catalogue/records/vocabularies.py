"""Controlled vocabularies a record may use, each slug with its label and, where one exists, its URI.

Producers write the short slug (`quarterly`, `england-and-wales`); every output takes the label and the
URI from here, so DCAT, CKAN and the site never disagree about what a slug means.
"""

from __future__ import annotations

from typing import NamedTuple

EU = "http://publications.europa.eu/resource/authority"
GSS = "http://statistics.data.gov.uk/id/statistical-geography"


class Term(NamedTuple):
    label: str
    uri: str | None = None


FREQUENCIES: dict[str, Term] = {
    "daily": Term("Daily", f"{EU}/frequency/DAILY"),
    "weekly": Term("Weekly", f"{EU}/frequency/WEEKLY"),
    "monthly": Term("Monthly", f"{EU}/frequency/MONTHLY"),
    "quarterly": Term("Quarterly", f"{EU}/frequency/QUARTERLY"),
    "semiannual": Term("Twice a year", f"{EU}/frequency/ANNUAL_2"),
    "annual": Term("Annual", f"{EU}/frequency/ANNUAL"),
    "biennial": Term("Every two years", f"{EU}/frequency/BIENNIAL"),
    "irregular": Term("Irregular", f"{EU}/frequency/IRREG"),
    "never": Term("One-off (not updated)", f"{EU}/frequency/NEVER"),
    "unknown": Term("Unknown", f"{EU}/frequency/UNKNOWN"),
}

# Temporal resolution of the figures, as the xsd:duration DCAT 3 expects.
RESOLUTIONS: dict[str, Term] = {
    "P1D": Term("Day"),
    "P1M": Term("Month"),
    "P3M": Term("Quarter"),
    "P1Y": Term("Year"),
    "P2Y": Term("Two years"),
}

# GSS codes of the Office for National Statistics' statistical geographies.
GEOGRAPHIES: dict[str, Term] = {
    "uk": Term("United Kingdom", f"{GSS}/K02000001"),
    "great-britain": Term("Great Britain", f"{GSS}/K03000001"),
    "england-and-wales": Term("England and Wales", f"{GSS}/K04000001"),
    "england": Term("England", f"{GSS}/E92000001"),
    "wales": Term("Wales", f"{GSS}/W92000004"),
    "scotland": Term("Scotland", f"{GSS}/S92000003"),
    "northern-ireland": Term("Northern Ireland", f"{GSS}/N92000002"),
}

STATISTICS_STATUSES: dict[str, Term] = {
    "accredited-official-statistics": Term("Accredited official statistics"),
    "official-statistics": Term("Official statistics"),
    "official-statistics-in-development": Term("Official statistics in development"),
    "management-information": Term("Management information"),
    "other": Term("Other (not official statistics)"),
}
# The statuses that are official statistics under the Code of Practice (the others are not).
OFFICIAL_STATUSES = frozenset(
    {"accredited-official-statistics", "official-statistics", "official-statistics-in-development"}
)

ACCESS_LEVELS: dict[str, Term] = {
    "open": Term("Open", f"{EU}/access-right/PUBLIC"),
    "safeguarded": Term("Safeguarded", f"{EU}/access-right/RESTRICTED"),
    "controlled": Term("Controlled", f"{EU}/access-right/NON_PUBLIC"),
}

UNITS: dict[str, Term] = {
    "referrals": Term("Referrals of potential victims"),
    "notifications": Term("Duty to Notify reports"),
    "decisions": Term("Decisions"),
    "potential-victims": Term("Potential victims"),
    "people-supported": Term("People supported"),
    "children": Term("Children"),
    "crimes": Term("Recorded crimes"),
    "suspects": Term("Suspects"),
    "prosecutions": Term("Prosecutions"),
    "defendants": Term("Defendants"),
    "convictions": Term("Convictions"),
    "sentences": Term("Sentences"),
    "calls": Term("Calls and contacts"),
    "cases": Term("Cases"),
    "statements": Term("Modern slavery statements"),
    "estimated-victims": Term("Estimated victims (modelled)"),
    "countries": Term("Countries"),
    "days": Term("Days"),
}

DIMENSIONS: dict[str, Term] = {
    "exploitation-type": Term("Exploitation type"),
    "exploitation-sub-type": Term("Exploitation sub-type"),
    "age": Term("Age"),
    "sex": Term("Sex or gender"),
    "nationality": Term("Nationality"),
    "uk-non-uk": Term("UK or non-UK national"),
    "uk-nation": Term("UK nation"),
    "police-force-area": Term("Police force area"),
    "local-authority": Term("Local authority"),
    "location-of-exploitation": Term("Location of exploitation"),
    "first-responder": Term("First responder organisation"),
    "competent-authority": Term("Competent authority"),
    "decision": Term("Decision type and outcome"),
    "outcome": Term("Outcome"),
    "offence": Term("Offence"),
    "time": Term("Time period"),
    "country": Term("Country"),
    "region": Term("Region"),
}

CAVEAT_SEVERITIES: dict[str, Term] = {
    "info": Term("Note"),
    "warning": Term("Warning"),
    "critical": Term("Critical"),
}

QUALITY_DIMENSIONS: dict[str, Term] = {
    "relevance": Term("Relevance"),
    "accuracy_and_reliability": Term("Accuracy and reliability"),
    "timeliness_and_punctuality": Term("Timeliness and punctuality"),
    "accessibility_and_clarity": Term("Accessibility and clarity"),
    "coherence_and_comparability": Term("Coherence and comparability"),
}

RELATIONS: dict[str, Term] = {
    "replaces": Term("Replaces", "http://purl.org/dc/terms/replaces"),
    "replaced-by": Term("Replaced by", "http://purl.org/dc/terms/isReplacedBy"),
    "compare-with": Term("Compare with", "http://purl.org/dc/terms/relation"),
    "source-for": Term("Source for", "http://purl.org/dc/terms/isReferencedBy"),
    "derived-from": Term("Derived from", "http://purl.org/dc/terms/source"),
    "part-of": Term("Part of", "http://purl.org/dc/terms/isPartOf"),
    "has-part": Term("Has part", "http://purl.org/dc/terms/hasPart"),
}

# What a relation reads as from the other side, for "related datasets in both directions".
INVERSE_RELATIONS: dict[str, str] = {
    "replaces": "replaced-by",
    "replaced-by": "replaces",
    "compare-with": "compare-with",
    "source-for": "derived-from",
    "derived-from": "source-for",
    "part-of": "has-part",
    "has-part": "part-of",
}

LINKAGE_STATUSES: dict[str, Term] = {
    "linked": Term("Linked and published"),
    "in-progress": Term("Linkage in progress"),
    "planned": Term("Linkage planned"),
    "not-linked": Term("Not linked"),
    "unknown": Term("Unknown"),
}

AGENT_TYPES: dict[str, Term] = {
    "national-authority": Term("National authority", "http://purl.org/adms/publishertype/NationalAuthority"),
    "regional-authority": Term("Regional authority", "http://purl.org/adms/publishertype/RegionalAuthority"),
    "local-authority": Term("Local authority", "http://purl.org/adms/publishertype/LocalAuthority"),
    "non-governmental-organisation": Term(
        "Non-governmental organisation", "http://purl.org/adms/publishertype/NonGovernmentalOrganisation"
    ),
    "international-organisation": Term(
        "International organisation", "http://purl.org/adms/publishertype/SupraNationalAuthority"
    ),
    "academia": Term("Academia or research", "http://purl.org/adms/publishertype/Academia-ScientificOrganisation"),
    "company": Term("Company", "http://purl.org/adms/publishertype/Company"),
    "non-profit-organisation": Term(
        "Non-profit organisation", "http://purl.org/adms/publishertype/NonProfitOrganisation"
    ),
}

# EU file-type authority codes we expect; the slug is the code itself.
FILE_TYPES: dict[str, Term] = {
    code: Term(label, f"{EU}/file-type/{code}")
    for code, label in {
        "CSV": "CSV",
        "ODS": "OpenDocument spreadsheet",
        "XLSX": "Excel workbook",
        "XLS": "Excel 97-2003 workbook",
        "PDF": "PDF",
        "HTML": "Web page",
        "JSON": "JSON",
        "TSV": "Tab-separated values",
        "TXT": "Plain text",
        "ZIP": "ZIP archive",
        "SPSS": "SPSS data",
        "STATA": "Stata data",
    }.items()
}

LICENCES: dict[str, Term] = {
    "ogl-3": Term("Open Government Licence v3.0", f"{EU}/licence/OGL_3_0"),
    "cc-by-4": Term("Creative Commons Attribution 4.0", f"{EU}/licence/CC_BY_4_0"),
    "ukds-end-user-licence": Term("UK Data Service End User Licence"),
    "all-rights-reserved": Term("All rights reserved (publisher's terms)"),
    "unknown": Term("Licence not stated"),
}

LANGUAGES: dict[str, Term] = {
    "en": Term("English", f"{EU}/language/ENG"),
    "cy": Term("Welsh", f"{EU}/language/CYM"),
}

EU_THEMES: dict[str, Term] = {
    code: Term(label, f"{EU}/data-theme/{code}")
    for code, label in {
        "JUST": "Justice, legal system and public safety",
        "SOCI": "Population and society",
        "GOVE": "Government and public sector",
        "HEAL": "Health",
        "ECON": "Economy and finance",
        "INTR": "International issues",
    }.items()
}


def slugs_by_uri(vocabulary: dict[str, Term]) -> dict[str, str]:
    """Return the vocabulary's slugs keyed by URI, for reading other catalogues' URIs back into slugs."""
    return {term.uri: slug for slug, term in vocabulary.items() if term.uri}


# Slugs by URI for every vocabulary whose terms have URIs: how importers (DCAT and CKAN) read them back.
SLUGS_BY_URI: dict[str, dict[str, str]] = {
    "frequency": slugs_by_uri(FREQUENCIES),
    "geography": slugs_by_uri(GEOGRAPHIES),
    "file_type": slugs_by_uri(FILE_TYPES),
    "licence": slugs_by_uri(LICENCES),
    "access": slugs_by_uri(ACCESS_LEVELS),
    "relation": slugs_by_uri(RELATIONS),
}


def label_of(vocabulary: dict[str, Term], slug: str) -> str:
    """Return the human label for `slug`, the slug itself if the vocabulary lacks it."""
    term = vocabulary.get(slug)
    return term.label if term else slug
