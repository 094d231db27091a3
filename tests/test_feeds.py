"""The change feed and release calendar parse with feedparser and icalendar, and hold what they should."""

from __future__ import annotations

import feedparser
from icalendar import Calendar

from catalogue.feeds.writer import FEED_ENTRIES, atom_feed, change_entries, release_calendar
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


def test_atom_feed_holds_the_newest_changes_only(registry: Registry) -> None:
    """A feed reader fetches all of it at every poll: at most FEED_ENTRIES, the newest (all of today's)."""
    assert len(feedparser.parse(atom_feed(registry)).entries) == len(change_entries(registry)) < FEED_ENTRIES
    template = registry.datasets["nrm-dtn-annual"]
    copies = {f"copy-{i:02d}": template.model_copy(update={"id": f"copy-{i:02d}"}) for i in range(60)}
    stamps = {key: registry.stamps["nrm-dtn-annual"] for key in copies}
    grown = Registry(
        registry.root,
        registry.catalogue,
        registry.agents,
        {**registry.datasets, **copies},
        {**registry.stamps, **stamps},
    )
    newest = change_entries(grown)
    assert len(newest) > FEED_ENTRIES
    parsed = feedparser.parse(atom_feed(grown))
    assert [entry.id for entry in parsed.entries] == [
        f"{grown.dataset_uri(dataset_id)}#{suffix}" for _, suffix, _, _, dataset_id in newest[:FEED_ENTRIES]
    ]
