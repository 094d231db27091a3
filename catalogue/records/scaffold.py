"""The commented scaffold `catalogue new ID` writes for a producer to fill in, and the check that a
record holds none of its placeholders.

Why a check: a scaffold left unfilled is otherwise a valid record (every placeholder is well-formed
text or a well-formed address), and `catalogue stamp` then `build` would publish "TITLE AS THE
PRODUCER PUBLISHES IT" to every harvester. The check is precise so that it never flags a real
record: a value is a placeholder only if it is exactly one of the texts below, or a web or email
address on example.org, example.com or example.net, the domains reserved for examples (RFC 2606),
which no real publication lives on.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from catalogue.records import vocabularies

# The scaffold's placeholder values, each named by the template field it fills.
PLACEHOLDERS = {
    "title": "TITLE AS THE PRODUCER PUBLISHES IT",
    "summary": "One sentence saying what is counted, where and how often.",
    "description": "What the statistics are, what they cover and how they are produced (Markdown).",
    "contact": "Who answers questions",
    "contact_url": "https://www.example.org/contact",
    "page_url": "https://www.example.org/the-series",
    "keyword_one": "keyword one",
    "keyword_two": "keyword two",
    "status_note": "What the status means here.",
    "source_title": "Title of the page you read",
}
_PLACEHOLDER_TEXTS = {text for text in PLACEHOLDERS.values() if "://" not in text}
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
_EMAIL = re.compile(r"^[^@\s]+@([^@\s]+)$")

_TEMPLATE = """\
# Dataset record. Every field is described in the producers' guide (docs: /guides/producers/).
# Fill in what published sources support; list what you could not confirm under `unknowns`.
# Check it with: catalogue validate     Record its dates with: catalogue stamp
id: {id}
title: {title}
summary: {summary}
description: |
  {description}
publisher: {publisher}          # agent id from metadata/agents/
creator: []                     # agent ids of producers, if not the publisher
contact_point:
  name: {contact}
  url: {contact_url}   # or email: someone@example.org
landing_page: {page_url}
keywords: [{keyword_one}, {keyword_two}]
themes: [{theme}]               # theme ids from metadata/catalogue.yaml
statistics_status:
  status: official-statistics   # {statuses}
  note: {status_note}
  sources: [main]
frequency: quarterly            # {frequencies}
temporal_coverage:
  start: 2019-04                # YYYY, YYYY-MM or YYYY-MM-DD
  ongoing: true                 # or give end: and set ongoing: false
temporal_resolution: P3M        # {resolutions}
spatial: [uk]                   # {geographies}
unit_of_measure: [referrals]    # {units}
releases:
  first_issued: 2019-08-29
  sources: [main]
distributions:
  - title: Data tables
    format: ODS                 # {file_types}
    access_url: {page_url}
    licence: ogl-3              # {licences}
    # rights: Crown copyright   # the publisher's rights statement beyond the licence, if it states one
    sources: [main]
access:
  level: open                   # {access_levels}
  route: gov.uk
  url: {page_url}
  conditions: Free to reuse under the Open Government Licence.
  sources: [main]
breakdowns: []                  # - dimension: age  available: {{start: 2019}}  sources: [main]
caveats: []                     # - title, text, severity, breaks_comparability, periods, breakdowns, sources
method_changes: []              # - date, title, change, effect, series, sources
revisions: []                   # - release, what, scale, reason, sources
related: []                     # - id, relation ({relations}), note
figures: []                     # - label, value, unit, period, table, as_published_in, sources
unknowns: []                    # - field, note
# checked: YYYY-MM-DD           # add the day you have checked every fact against the publisher (required to ship)
described_from: [main]
sources:
  main:
    title: {source_title}
    url: {page_url}
    accessed: 2026-01-01
"""


def render_scaffold(dataset_id: str, publisher: str, theme: str) -> str:
    """Return the scaffold text for a new dataset record."""

    def slugs(vocabulary: dict[str, vocabularies.Term]) -> str:
        return ", ".join(vocabulary)

    return _TEMPLATE.format(
        **PLACEHOLDERS,
        id=dataset_id,
        publisher=publisher,
        theme=theme,
        statuses=slugs(vocabularies.STATISTICS_STATUSES),
        frequencies=slugs(vocabularies.FREQUENCIES),
        resolutions=slugs(vocabularies.RESOLUTIONS),
        geographies=slugs(vocabularies.GEOGRAPHIES),
        units=slugs(vocabularies.UNITS),
        file_types=slugs(vocabularies.FILE_TYPES),
        licences=slugs(vocabularies.LICENCES),
        access_levels=slugs(vocabularies.ACCESS_LEVELS),
        relations=slugs(vocabularies.RELATIONS),
    )


def unfinished(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Return (location, message) for every scaffold placeholder or example address left in a record's values."""
    found: list[tuple[tuple[str | int, ...], str]] = []

    def walk(value: Any, loc: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, (*loc, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*loc, i))
        elif isinstance(value, str):
            message = _placeholder_message(value.strip())
            if message:
                found.append((loc, message))

    walk(data, ())
    return found


def _placeholder_message(text: str) -> str | None:
    if text in _PLACEHOLDER_TEXTS:
        return f"{text!r} is a placeholder from `catalogue new`; write what the producer publishes"
    host = _host(text)
    if host and any(host == domain or host.endswith(f".{domain}") for domain in EXAMPLE_DOMAINS):
        kind = "email address" if "@" in text and "://" not in text else "web address"
        return f"{text!r} is an example {kind} ({host} is reserved for examples); give the producer's real one"
    return None


def _host(text: str) -> str | None:
    """Return the lowercase host of a web address or the domain of an email address; None for other text."""
    if text.startswith(("http://", "https://")):
        try:
            return (urlsplit(text).hostname or "").rstrip(".") or None
        except ValueError:
            return None
    match = _EMAIL.match(text)
    return match.group(1).lower().rstrip(".") if match else None
