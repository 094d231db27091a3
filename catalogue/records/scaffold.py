"""The commented scaffold `catalogue new ID` writes for a producer to fill in."""

from __future__ import annotations

from catalogue.records import vocabularies

_TEMPLATE = """\
# Dataset record. Every field is described in the producers' guide (docs: /guides/producers/).
# Fill in what published sources support; list what you could not confirm under `unknowns`.
# Check it with: catalogue validate     Record its dates with: catalogue stamp
id: {id}
title: TITLE AS THE PRODUCER PUBLISHES IT
summary: One sentence saying what is counted, where and how often.
description: |
  What the statistics are, what they cover and how they are produced (Markdown).
publisher: {publisher}          # agent id from metadata/agents/
creator: []                     # agent ids of producers, if not the publisher
contact_point:
  name: Who answers questions
  url: https://www.example.org/contact   # or email: someone@example.org
landing_page: https://www.example.org/the-series
keywords: [keyword one, keyword two]
themes: [{theme}]               # theme ids from metadata/catalogue.yaml
statistics_status:
  status: official-statistics   # {statuses}
  note: What the status means here.
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
    access_url: https://www.example.org/the-series
    licence: ogl-3              # {licences}
    sources: [main]
access:
  level: open                   # {access_levels}
  route: gov.uk
  url: https://www.example.org/the-series
  conditions: Free to reuse under the Open Government Licence.
  sources: [main]
breakdowns: []                  # - dimension: age  available: {{start: 2019}}  sources: [main]
caveats: []                     # - title, text, severity, breaks_comparability, periods, breakdowns, sources
method_changes: []              # - date, title, change, effect, series, sources
revisions: []                   # - release, what, scale, reason, sources
related: []                     # - id, relation ({relations}), note
figures: []                     # - label, value, unit, period, table, as_published_in, sources
unknowns: []                    # - field, note
described_from: [main]
sources:
  main:
    title: Title of the page you read
    url: https://www.example.org/the-series
    accessed: 2026-01-01
"""


def render_scaffold(dataset_id: str, publisher: str, theme: str) -> str:
    """Return the scaffold text for a new dataset record."""

    def slugs(vocabulary: dict[str, vocabularies.Term]) -> str:
        return ", ".join(vocabulary)

    return _TEMPLATE.format(
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
