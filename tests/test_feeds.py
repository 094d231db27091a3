"""The change feed and release calendar parse with feedparser and icalendar, and hold what they should."""

from __future__ import annotations

import feedparser
from icalendar import Calendar

from catalogue.feeds.writer import atom_feed, release_calendar
from catalogue.records.registry import Registry


def test_atom_feed_is_valid_and_newest_first(registry: Registry) -> None:
    parsed = feedparser.parse(atom_feed(registry))
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    times = [entry.updated_parsed for entry in parsed.entries]
    assert times == sorted(times, reverse=True)
    titles = " ".join(entry.title for entry in parsed.entries)
    assert "Method change (2019): Change to how exploitation type is recorded" in titles
    assert all(entry.link.startswith(registry.catalogue.homepage) for entry in parsed.entries)
    assert len({entry.id for entry in parsed.entries}) == len(parsed.entries)


def test_release_calendar_lists_announced_releases(registry: Registry) -> None:
    dataset = registry.datasets["nrm-dtn-quarterly"]
    announced = dataset.releases.model_copy(update={"next_release": "2026-12-03"})
    changed = Registry(
        registry.root,
        registry.catalogue,
        registry.agents,
        {**registry.datasets, dataset.id: dataset.model_copy(update={"releases": announced})},
        registry.stamps,
    )
    calendar = Calendar.from_ical(release_calendar(changed))
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == [f"Release: {dataset.title}"]
    assert events[0].decoded("dtstart").isoformat() == "2026-12-03"
    assert Calendar.from_ical(release_calendar(registry)).walk("VEVENT") == []
