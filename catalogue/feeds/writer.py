"""The change feed (Atom) and the release calendar (iCalendar), newest first, each entry linking to its page.

Atom is written with the standard library's ElementTree (which escapes every text node); the calendar
with the icalendar library, which folds lines and escapes values as RFC 5545 requires.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

from icalendar import Calendar, Event, vText

from catalogue.layout import BuildLayout
from catalogue.records.registry import Registry
from catalogue.records.values import date_bounds, utc_moment

ATOM = "http://www.w3.org/2005/Atom"
# A feed reader fetches the whole feed at every poll: the newest changes, not every change ever recorded
# (171 for the shipped records, all of them still in; 44 MB at 10,000 records). Older ones stay on the
# dataset pages and the method-changes page.
FEED_ENTRIES = 200


def _moment(value: str) -> datetime:
    """Return a stamp or a partial date as an aware UTC datetime (a partial date at its first day)."""
    return utc_moment(value if "T" in value else date_bounds(value)[0])


def change_entries(registry: Registry) -> list[tuple[datetime, str, str, str, str]]:
    """Return (when, id suffix, title, summary, dataset id) for every change worth announcing, newest first."""
    entries = []
    for d in registry.datasets.values():
        entries.append((_moment(registry.created(d.id)), "added", f"Added: {d.title}", d.summary, d.id))
        if registry.modified(d.id) != registry.created(d.id):
            entries.append(
                (
                    _moment(registry.modified(d.id)),
                    f"updated-{registry.modified(d.id)}",
                    f"Record updated: {d.title}",
                    d.summary,
                    d.id,
                )
            )
        for i, change in enumerate(d.method_changes):
            entries.append(
                (
                    _moment(change.date),
                    f"method-change-{i}",
                    f"Method change ({change.date}): {change.title}, {d.title}",
                    f"{change.change} Effect: {change.effect}",
                    d.id,
                )
            )
        for i, revision in enumerate(d.revisions):
            if revision.date:
                entries.append(
                    (
                        _moment(revision.date),
                        f"revision-{i}",
                        f"Revision: {revision.what}, {d.title}",
                        f"{revision.release}: {revision.scale}. {revision.reason}",
                        d.id,
                    )
                )
        first, latest = d.releases.first_issued, d.releases.last_updated
        # a one-off report's latest release is its first: one entry, as both would have the same id
        for label, value in (("First release", first), ("Latest release", latest if latest != first else None)):
            if value:
                entries.append((_moment(value), f"release-{value}", f"{label} ({value}): {d.title}", d.summary, d.id))
    return sorted(entries, key=lambda e: (e[0], e[1], e[4]), reverse=True)


def atom_feed(registry: Registry) -> bytes:
    base = registry.catalogue.homepage.rstrip("/")
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    entries = change_entries(registry)
    updated = (entries[0][0] if entries else _moment(registry.catalogue.issued)).isoformat()
    for tag, text in (
        ("id", f"{registry.catalogue.base_uri}/changes.atom"),
        ("title", f"{registry.catalogue.title}: changes"),
        ("updated", updated),
    ):
        ET.SubElement(feed, f"{{{ATOM}}}{tag}").text = text
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base}/changes.atom")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = registry.agents[registry.catalogue.publisher].name
    for when, suffix, title, summary, dataset_id in entries[:FEED_ENTRIES]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{registry.dataset_uri(dataset_id)}#{suffix}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = title
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = when.isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=f"{base}/dataset/{dataset_id}/")
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = " ".join(summary.split())
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def release_calendar(registry: Registry) -> bytes:
    """Return an iCalendar of announced next releases (only those with a full date)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{registry.catalogue.title}//releases//EN")
    calendar.add("version", "2.0")
    # an X- property has no type of its own: icalendar guesses one from the value (a URI, which refuses a
    # line break, for a title holding one), so it is given as TEXT, escaped as every other text here
    calendar.add("x-wr-calname", vText(f"{registry.catalogue.title}: announced releases"))
    base = registry.catalogue.homepage.rstrip("/")
    for d in registry.datasets.values():
        when = d.releases.next_release
        if not when or len(when.split("-")) != 3:
            continue
        event = Event()
        event.add("uid", f"{d.id}-{when}@{registry.catalogue.base_uri.split('//')[-1]}")
        event.add("summary", f"Release: {d.title}")
        event.add("dtstart", date.fromisoformat(when))
        event.add("dtstamp", _moment(registry.modified(d.id)))
        event.add("url", f"{base}/dataset/{d.id}/")
        event.add("description", d.summary)
        calendar.add_component(event)
    return calendar.to_ical()


def write_feeds(registry: Registry, out: Path) -> None:
    """Write changes.atom and releases.ics into `out`."""
    layout = BuildLayout(out)
    layout.changes_atom.write_bytes(atom_feed(registry))
    layout.releases_ics.write_bytes(release_calendar(registry))
