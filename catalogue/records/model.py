"""The record model: what a producer may write in `metadata/`, validated field by field.

Every model forbids unknown keys, so a typo is an error rather than silently lost data. Slugs from
controlled vocabularies (`vocabularies.py`) are checked here with an error that lists what would be valid.
No I/O: `load.py` feeds these models and checks the registry as a whole.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from catalogue.records import values, vocabularies
from catalogue.records.values import (
    Boolean,
    Email,
    PartialDate,
    Slug,
    SourceKeys,
    Text,
    Url,
    date_bounds,
    in_vocabulary,
)


class Strict(BaseModel):
    """Base for every record model: unknown keys are errors, values are never coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Contact(Strict):
    name: Text = Field(description="Who to contact, e.g. 'Modern Slavery Statistics team'.")
    email: Email | None = Field(None, description="Email address, if published.")
    url: Url | None = Field(None, description="Contact page, if there is no published email.")


class Source(Strict):
    title: Text = Field(description="Title of the page or document cited.")
    url: Url = Field(description="Where it can be read.")
    accessed: PartialDate = Field(description="When it was read (YYYY-MM-DD).")
    publisher: str | None = Field(None, description="Who published it, if not obvious from the title.")
    note: str | None = Field(None, description="Anything a reader should know about the citation (e.g. a mirror).")


# --- the catalogue and agents -------------------------------------------------------------------------


class Theme(Strict):
    id: Slug = Field(description="Stable slug, used in records' `themes`.")
    label: Text = Field(description="Name shown on the site.")
    description: Text = Field(description="One or two sentences on what belongs here.")
    eu_theme: Annotated[str, in_vocabulary(vocabularies.EU_THEMES, "EU data theme")] = Field(
        description="The EU data-theme authority code this theme sits under (DCAT-AP requires one)."
    )


class CatalogueInfo(Strict):
    title: Text = Field(description="Name of the catalogue.")
    description: Text = Field(description="What the catalogue is (Markdown).")
    publisher: Slug = Field(description="Agent id of whoever runs the catalogue.")
    licence: Annotated[str, in_vocabulary(vocabularies.LICENCES, "licence")] = Field(
        description="Licence of the metadata."
    )
    homepage: Url = Field(description="Where the catalogue is published.")
    base_uri: Url = Field(description="Base for every identifier (no trailing slash), e.g. https://example.org.")
    language: list[Annotated[str, in_vocabulary(vocabularies.LANGUAGES, "language")]] = Field(
        min_length=1, description="Languages of the metadata."
    )
    issued: PartialDate = Field(description="When the catalogue was first published.")
    contact: Contact = Field(description="Who answers questions about the catalogue.")
    themes: list[Theme] = Field(min_length=1, description="The theme list records choose from.")

    @model_validator(mode="after")
    def _base_uri_has_no_trailing_slash(self) -> CatalogueInfo:
        if self.base_uri.endswith("/"):
            raise PydanticCustomError(
                "trailing_slash", "base_uri {value} must not end with '/'", {"value": repr(self.base_uri)}
            )
        return self


class Agent(Strict):
    id: Slug = Field(description="Stable slug; must equal the file name.")
    name: Text = Field(description="Official name.")
    type: Annotated[str, in_vocabulary(vocabularies.AGENT_TYPES, "agent type")] = Field(
        description="Kind of organisation."
    )
    homepage: Url = Field(description="The organisation's web site.")
    description: str | None = Field(None, description="One or two sentences, for the publisher's page.")
    contact: Contact | None = Field(None, description="Who to contact about its statistics.")


# --- a dataset ----------------------------------------------------------------------------------------


class StatisticsStatus(Strict):
    status: Annotated[str, in_vocabulary(vocabularies.STATISTICS_STATUSES, "statistics status")] = Field(
        description="Official status under the Code of Practice for Statistics."
    )
    note: Text = Field(description="What the status means here, e.g. who designated it and when.")
    sources: SourceKeys


def _check_end_not_before_start(start: str | None, end: str | None) -> None:
    """Raise the `end_before_start` error if a period ends before it starts (partial dates compared
    by the days they span)."""
    if start and end and date_bounds(end)[1] < date_bounds(start)[0]:
        raise PydanticCustomError(
            "end_before_start", "end {end} is before start {start}", {"end": repr(end), "start": repr(start)}
        )


class TemporalCoverage(Strict):
    start: PartialDate | None = Field(
        None, description="First period the figures cover; leave out only if no source says (list it under unknowns)."
    )
    end: PartialDate | None = Field(None, description="Last period covered; leave out if the series goes on.")
    ongoing: Boolean = Field(description="true if new periods are still being added.")

    @model_validator(mode="after")
    def _end_after_start(self) -> TemporalCoverage:
        _check_end_not_before_start(self.start, self.end)
        if self.ongoing and self.end is not None:
            raise PydanticCustomError(
                "ongoing_with_end", "an ongoing series has no end; remove end or set ongoing: false", {}
            )
        return self


class Releases(Strict):
    first_issued: PartialDate | None = Field(None, description="When the series was first published.")
    last_updated: PartialDate | None = Field(None, description="Date of the latest edition.")
    next_release: PartialDate | None = Field(None, description="Announced date of the next edition, if announced.")
    note: str | None = Field(None, description="Release timing in words, e.g. 'quarterly at 9:30am'.")
    sources: SourceKeys


class Distribution(Strict):
    title: Text = Field(description="What this file or page is.")
    description: str | None = Field(None, description="What it holds.")
    format: Annotated[str, in_vocabulary(vocabularies.FILE_TYPES, "file type")] = Field(
        description="EU file-type code."
    )
    media_type: Annotated[str, AfterValidator(values.media_type)] | None = Field(None, description="IANA media type.")
    access_url: Url = Field(description="Page from which it can be reached.")
    download_url: Url | None = Field(None, description="Direct link to the file, if stable.")
    licence: Annotated[str, in_vocabulary(vocabularies.LICENCES, "licence")] = Field(description="Terms of reuse.")
    byte_size: int | None = Field(None, ge=0, description="Size in bytes, if known.")
    rights: Text | None = Field(
        None,
        description="Rights statement beyond the licence, as the publisher words it, e.g. 'Crown copyright'"
        " or 'Contains sensitive data: End User Licence'.",
    )
    sources: SourceKeys


class Access(Strict):
    level: Annotated[str, in_vocabulary(vocabularies.ACCESS_LEVELS, "access level")] = Field(
        description="open (anyone), safeguarded (registration and licence), controlled (secure access)."
    )
    route: Text = Field(description="How to get the data, e.g. 'UK Data Service'.")
    url: Url = Field(description="Where the route starts.")
    conditions: Text = Field(description="Who may have it, and on what vocabularies.")
    sources: SourceKeys


class Period(Strict):
    start: PartialDate | None = Field(None, description="First period affected; leave out if from the beginning.")
    end: PartialDate | None = Field(None, description="Last period affected; leave out if still affected.")

    @model_validator(mode="after")
    def _end_after_start(self) -> Period:
        _check_end_not_before_start(self.start, self.end)
        return self


Dimension = Annotated[str, in_vocabulary(vocabularies.DIMENSIONS, "breakdown dimension")]


class Breakdown(Strict):
    dimension: Dimension = Field(description="What the figures can be split by.")
    detail: str | None = Field(None, description="The categories, or how this source defines them.")
    available: Period = Field(description="The periods for which this breakdown is published.")
    sources: SourceKeys


class QualityNote(Strict):
    text: Text = Field(description="The quality statement (Markdown).")
    sources: SourceKeys


class Quality(Strict):
    relevance: QualityNote | None = Field(None, description="Does it measure what users need?")
    accuracy_and_reliability: QualityNote | None = Field(None, description="How close to the truth, and how stable.")
    timeliness_and_punctuality: QualityNote | None = Field(None, description="Lag and keeping to announced dates.")
    accessibility_and_clarity: QualityNote | None = Field(None, description="How easy to find, get and understand.")
    coherence_and_comparability: QualityNote | None = Field(
        None, description="Over time, between places, and with other sources."
    )

    def notes(self) -> list[tuple[str, QualityNote]]:
        """Return the notes present, in the order of the ESS quality dimensions."""
        return [(name, note) for name in vocabularies.QUALITY_DIMENSIONS if (note := getattr(self, name)) is not None]


class Qaad(Strict):
    level: str | None = Field(None, description="Assurance level published (e.g. A1, A2, A3), if any.")
    summary: Text = Field(description="What the QAAD assessment says, or that none is published.")
    url: Url | None = Field(None, description="Where it is published.")
    sources: SourceKeys


class Caveat(Strict):
    title: Text = Field(description="Short heading, e.g. 'Exploitation type not comparable before 2019'.")
    text: Text = Field(description="What users must know (Markdown).")
    severity: Annotated[str, in_vocabulary(vocabularies.CAVEAT_SEVERITIES, "severity")] = Field(
        description="info, warning or critical."
    )
    breaks_comparability: Boolean = Field(description="true if figures either side cannot be compared.")
    periods: list[Period] = Field(default_factory=list, description="Periods affected; empty means all.")
    breakdowns: list[Dimension] = Field(default_factory=list, description="Breakdowns affected; empty means all.")
    sources: SourceKeys


class MethodChange(Strict):
    date: PartialDate = Field(description="When the change took effect.")
    title: Text = Field(description="Short heading.")
    change: Text = Field(description="What changed.")
    effect: Text = Field(description="Its effect on the figures, or that the effect is not known.")
    series: list[Text] = Field(min_length=1, description="Which series or tables it affects.")
    sources: SourceKeys


class Revision(Strict):
    release: Text = Field(description="Which release published the revised figures.")
    date: PartialDate | None = Field(None, description="When it was published.")
    what: Text = Field(description="What was revised.")
    scale: Text = Field(description="How much, e.g. '4,746 to 4,738 (-8)'.")
    reason: Text = Field(description="Why.")
    sources: SourceKeys


class Related(Strict):
    id: Slug = Field(description="Id of another dataset record.")
    relation: Annotated[str, in_vocabulary(vocabularies.RELATIONS, "relation")] = Field(
        description="How the two relate."
    )
    note: Text = Field(description="How they differ, and when to use which.")


class Linkage(Strict):
    linked_with: Text = Field(description="The other data, e.g. 'Home Office asylum case data'.")
    status: Annotated[str, in_vocabulary(vocabularies.LINKAGE_STATUSES, "linkage status")] = Field(
        description="Where it stands."
    )
    note: Text = Field(description="What is linked, and what the linkage shows or not.")
    sources: SourceKeys


class Figure(Strict):
    label: Text = Field(description="What the number is, e.g. 'Referrals to the NRM, 2023'.")
    value: float = Field(allow_inf_nan=False, description="The number as published.")
    unit: Annotated[str, in_vocabulary(vocabularies.UNITS, "unit of measure")] = Field(description="Unit of measure.")
    period: Text = Field(description="The period it refers to.")
    table: Text = Field(description="The published table or section it comes from.")
    as_published_in: Text = Field(description="The release that published it (figures may be revised later).")
    sources: SourceKeys


class Unknown(Strict):
    field: Text = Field(description="The field or fact that is not known, e.g. 'distributions[0].format'.")
    note: Text = Field(description="What was looked for and not confirmed.")


class Dataset(Strict):
    id: Slug = Field(description="Stable slug; must equal the file name and never changes.")
    title: Text = Field(description="The title the producer uses.")
    summary: Annotated[str, Field(min_length=1, max_length=300)] = Field(description="One sentence.")
    description: Text = Field(description="What it is and what it covers (Markdown).")
    publisher: Slug = Field(description="Agent id of the publisher.")
    creator: list[Slug] = Field(default_factory=list, description="Agent ids of the producers, if not the publisher.")
    contact_point: Contact = Field(description="Who answers questions on the statistics.")
    landing_page: Url = Field(description="The producer's page for the series.")
    keywords: list[Text] = Field(min_length=1, description="Words people search for.")
    themes: list[Slug] = Field(min_length=1, description="Theme ids from catalogue.yaml.")
    statistics_status: StatisticsStatus = Field(description="Official statistics status, with a note.")
    frequency: Annotated[str, in_vocabulary(vocabularies.FREQUENCIES, "frequency")] = Field(
        description="How often it is released."
    )
    temporal_coverage: TemporalCoverage = Field(description="Periods the figures cover.")
    temporal_resolution: Annotated[str, AfterValidator(values.duration)] | None = Field(
        None, description="Smallest period the figures are given for (ISO 8601 duration, e.g. P3M)."
    )
    spatial: list[Annotated[str, in_vocabulary(vocabularies.GEOGRAPHIES, "geography")]] = Field(
        min_length=1, description="Areas covered."
    )
    unit_of_measure: list[Annotated[str, in_vocabulary(vocabularies.UNITS, "unit of measure")]] = Field(
        min_length=1, description="What is counted."
    )
    releases: Releases = Field(description="Release dates.")
    distributions: list[Distribution] = Field(default_factory=list, description="Files and pages with the data.")
    access: Access = Field(description="How to get the data.")
    breakdowns: list[Breakdown] = Field(default_factory=list, description="What the figures can be split by.")
    quality: Quality = Field(default_factory=Quality, description="Quality notes by ESS dimension.")
    qaad: Qaad | None = Field(None, description="Quality Assurance of Administrative Data assessment.")
    caveats: list[Caveat] = Field(default_factory=list, description="What users must know before using the figures.")
    method_changes: list[MethodChange] = Field(default_factory=list, description="Dated changes of method.")
    revisions: list[Revision] = Field(default_factory=list, description="Revisions, release by release.")
    related: list[Related] = Field(default_factory=list, description="Other records and how they relate.")
    data_linkage: list[Linkage] = Field(default_factory=list, description="Linkage with other data.")
    figures: list[Figure] = Field(default_factory=list, description="Headline figures, traced to their table.")
    unknowns: list[Unknown] = Field(default_factory=list, description="Facts looked for and not confirmed.")
    checked: PartialDate | None = Field(
        None,
        description="The day this record's facts were last checked against the publisher (YYYY-MM-DD); every "
        "shipped record has one (imported records may lack it until someone checks them).",
    )
    described_from: SourceKeys = Field(description="Sources for the title, landing page, frequency and coverage.")
    sources: dict[Slug, Source] = Field(min_length=1, description="Every citation, by a key the record uses.")

    def cited_keys(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Return every (location, source key) the record cites, for checking that each key is defined."""
        found: list[tuple[tuple[str | int, ...], str]] = []

        def walk(value: Any, loc: tuple[str | int, ...]) -> None:
            if isinstance(value, BaseModel):
                for name in type(value).model_fields:
                    if name == "sources" and isinstance(value, Dataset):
                        continue
                    walk(getattr(value, name), (*loc, name))
            elif isinstance(value, list):
                if loc and loc[-1] in ("sources", "described_from"):
                    found.extend(((*loc, i), key) for i, key in enumerate(value))
                else:
                    for i, item in enumerate(value):
                        walk(item, (*loc, i))

        walk(self, ())
        return found


MODELS_BY_KIND: dict[str, type[Strict]] = {"catalogue": CatalogueInfo, "agent": Agent, "dataset": Dataset}
