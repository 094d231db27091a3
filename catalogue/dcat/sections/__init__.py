"""The structured sections of a dataset record, in the order the writer runs them.

The order matters only where two sections add objects to the same predicate of the dataset: the
statistics status note comes before the quality notes, the QAAD assessment and the caveats (all
dqv:hasQualityAnnotation), as the golden files have them.
"""

from __future__ import annotations

from catalogue.dcat.sections import about, access, history, links, quality
from catalogue.dcat.sections.base import Section

SECTIONS: tuple[Section, ...] = (
    *about.SECTIONS,
    *access.SECTIONS,
    *quality.SECTIONS,
    *history.SECTIONS,
    *links.SECTIONS,
)

__all__ = ["SECTIONS", "Section"]
