"""Text with line breaks and markup in the catalogue's and a record's titles stays text in the feeds: the
calendar's name is TEXT (icalendar guessed a URI for the X- property, and a title with a line break crashed
the build), and Atom holds markup and CDATA ends as characters."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from icalendar import Calendar

from catalogue.feeds.writer import atom_feed, release_calendar
from catalogue.records.registry import Registry

TITLE = "Registry\r\nline 2\u2028</title><script>x()</script> ]]> {{7*7}}"


def _with_titles(registry: Registry) -> Registry:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    announced = dataset.releases.model_copy(update={"next_release": "2031-01-30"})
    changed = dataset.model_copy(update={"releases": announced, "title": TITLE})
    return Registry(
        registry.root,
        registry.catalogue.model_copy(update={"title": TITLE}),
        registry.agents,
        {**registry.datasets, dataset.id: changed},
        registry.stamps,
    )


def test_calendar_holds_titles_with_line_breaks_as_text(registry: Registry) -> None:
    ics = release_calendar(_with_titles(registry))
    calendar = Calendar.from_ical(ics)
    as_read = TITLE.replace("\r\n", "\n")
    # the line break escaped as RFC 5545 says (icalendar reads an X- property back as written)
    assert "\r\nX-WR-CALNAME:Registry\\nline 2\u2028</title>" in ics.decode("utf-8")
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == [f"Release: {as_read}"]


def test_atom_holds_markup_as_text(registry: Registry) -> None:
    feed = ET.fromstring(atom_feed(_with_titles(registry)))
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.findtext(f"{atom}title") == TITLE.replace("\r\n", "\n") + ": changes"
    titles = [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    assert "Added: " + TITLE.replace("\r\n", "\n") in titles
