"""The value types records are made of (dates, web addresses, slugs, vocabulary terms), each with the
error a producer sees when a value is wrong: the message says what would be valid.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from catalogue.records import vocabularies
from catalogue.records.suggest import unknown_message
from catalogue.records.vocabularies import Term

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATE_FORMS = "expected YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-04 or 2019-04-29"


def in_vocabulary(vocabulary: dict[str, Term], what: str) -> AfterValidator:
    """Return a validator that accepts only the slugs of `vocabulary`."""

    def check(value: str) -> str:
        if value not in vocabulary:
            raise PydanticCustomError(
                "unknown_term", "{message}", {"message": unknown_message(what, value, list(vocabulary))}
            )
        return value

    return AfterValidator(check)


def _partial_date(value: str) -> str:
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise PydanticCustomError(
            "bad_date",
            "{value} is not a date ({forms})",
            {"value": repr(value), "forms": DATE_FORMS},
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise PydanticCustomError(
            "bad_date",
            "{value} has no month {month}: months are 01 to 12 ({forms})",
            {"value": repr(value), "month": month, "forms": DATE_FORMS},
        )
    if day is not None and month is not None and not 1 <= day <= calendar.monthrange(year or 1, month)[1]:
        raise PydanticCustomError(
            "bad_date",
            "{value} is not a day of the calendar: {month} {year} has {days} days",
            {
                "value": repr(value),
                "month": calendar.month_name[month],
                "year": year,
                "days": calendar.monthrange(year or 1, month)[1],
            },
        )
    return value


# Characters RFC 3987 allows in no IRI: a URL holding one validates nowhere else (DCAT, CKAN, HTML).
_NOT_IN_IRI = re.compile(r'[\s\x00-\x1f\x7f-\x9f<>"{}|\\^`\[\]]')


def _url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", value):
        raise PydanticCustomError(
            "bad_url", "{value} is not a web address (expected http:// or https://...)", {"value": repr(value)}
        )
    bad = _NOT_IN_IRI.search(value)
    if bad:
        raise PydanticCustomError(
            "bad_url",
            "{value} holds {char}, which a web address cannot; percent-encode it (e.g. %20 for a space)",
            {"value": repr(value), "char": repr(bad.group())},
        )
    return value


def _yaml_bool(value: object) -> object:
    """Accept only `true` and `false`: YAML 1.1 also reads yes, no, on, off, y and n as booleans, and
    a producer who wrote `no` for Norway should be told, not silently given False."""
    if isinstance(value, bool) or value in ("true", "false"):
        return value is True or value == "true"
    raise PydanticCustomError("bad_boolean", "{value} is not true or false", {"value": repr(value)})


# No control characters, quotes, brackets or separators: an address goes into mailto: IRIs and HTML.
_EMAIL_PART = r"[^@\s\x00-\x1f\x7f<>\"()\[\],;:\\]+"
_EMAIL = re.compile(rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$")


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise PydanticCustomError("bad_email", "{value} is not an email address", {"value": repr(value)})
    return value


def duration(value: str) -> str:
    if not re.match(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?$", value):
        raise PydanticCustomError(
            "bad_duration",
            "{value} is not an ISO 8601 duration (expected e.g. {expected})",
            {"value": repr(value), "expected": ", ".join(vocabularies.RESOLUTIONS)},
        )
    return value


def media_type(value: str) -> str:
    if not re.match(r"^[a-z]+/[a-zA-Z0-9.+\-]+$", value):
        raise PydanticCustomError(
            "bad_media_type",
            "{value} is not a media type (expected an IANA type such as 'text/csv')",
            {"value": repr(value)},
        )
    return value


# A YAML editor reads `start: 2014` as a number, so the JSON Schema admits a bare year as an integer too.
PartialDate = Annotated[
    str,
    AfterValidator(_partial_date),
    Field(json_schema_extra={"type": ["string", "integer"], "pattern": _PARTIAL_DATE.pattern}),
]
Url = Annotated[str, AfterValidator(_url)]
Boolean = Annotated[bool, BeforeValidator(_yaml_bool)]
Email = Annotated[str, AfterValidator(_email)]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=1, max_length=100)]
Text = Annotated[str, Field(min_length=1)]
SourceKeys = Annotated[list[Slug], Field(min_length=1, description="Keys of this record's `sources` that support it.")]


def date_bounds(value: str) -> tuple[str, str]:
    """Return the first and last full date a partial date covers, as ISO strings (for ordering)."""
    parts = value.split("-")
    year = int(parts[0])
    if len(parts) == 3:
        return value, value
    if len(parts) == 2:
        month = int(parts[1])
        return f"{value}-01", f"{value}-{calendar.monthrange(year, month)[1]:02d}"
    return f"{value}-01-01", f"{value}-12-31"


def utc_moment(value: str) -> datetime:
    """Return an ISO 8601 date or timestamp as an aware UTC datetime; no zone means UTC.

    The one reader of timestamps (stamps, `modified_since`, Solr date ranges, feeds), so that each
    reads the same forms; ValueError for anything else, including moments outside the years 1-9999
    once moved to UTC (`9999-12-31T23:59:59-14:00`)."""
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{value!r} is outside the years 1 to 9999 in UTC") from None
