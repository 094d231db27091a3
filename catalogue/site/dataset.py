"""The HTML body of a dataset's page, straight from the record (templates/dataset.html).

Why not Markdown like the other pages: at 10,000 datasets, running each page through Python-Markdown
was most of the site's build time (8 ms a page measured, against under 1 ms for the record's own
Markdown texts alone). So the page structure is a template, and only the fields that are Markdown in
the record (description, caveat and quality texts ...) go through Markdown (`md`). The heading list
comes back for the page's table of contents.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from catalogue.records import vocabularies
from catalogue.records.model import Caveat, Dataset, Distribution
from catalogue.records.registry import Registry
from catalogue.site.cite import citation
from catalogue.site.facts import NRM_EXPLOITATION_NOTE, caveats_first, search_boost, shows_nrm_exploitation
from catalogue.site.figures import MONTHS, chart_context
from catalogue.site.plain import field_words
from catalogue.site.render import Toc, environment, escape, oneline, period_text

# where the page's own table of contents goes (shown on phones, where the theme's sidebar is hidden)
PAGE_TOC = "<!-- registry-page-toc -->"


class DatasetPages:
    """Renders dataset page bodies and their search entries."""

    def __init__(
        self,
        registry: Registry,
        quality: Mapping[str, Mapping[str, Any]] | None = None,
        built: str | None = None,
    ) -> None:
        self.registry = registry
        self.quality = quality or {}  # dataset id -> its metadata quality score (SiteBuild.quality)
        self.built = built or datetime.date.today().isoformat()  # the build date: citations' "accessed"
        self.template = environment().get_template("dataset.html")
        self.toc_template = environment().get_template("page-toc.html")

    def render(self, dataset: Dataset) -> tuple[str, list[dict[str, Any]]]:
        """Return the page body and its headings as mkdocs toc tokens (h1 > h2 > h3)."""
        toc = Toc()
        toc.add(1, dataset.title, dataset.id)
        body = self.template.render(toc=toc, **self._context(dataset))
        sections = toc.tokens[0]["children"]
        return body.replace(PAGE_TOC, self.toc_template.render(sections=sections), 1), toc.tokens

    def citation(self, dataset: Dataset) -> Any:
        """The dataset's citation (cite.Citation): its page on the catalogue's homepage, accessed on the build date."""
        url = f"{self.registry.catalogue.homepage.rstrip('/')}/dataset/{dataset.id}/"
        return citation(self.registry, dataset, url, self.built)

    def _context(self, d: Dataset) -> dict[str, Any]:
        registry = self.registry
        caveats = caveats_first(d)
        explicit_break = any(c.breaks_comparability and "exploitation-type" in c.breakdowns for c in caveats)
        mqa = self.quality.get(d.id)
        return {
            "dataset": d,
            "mqa": mqa,
            "mqa_missing": [r for r in mqa["indicators"] if r["status"] != "earned"] if mqa else [],
            "publisher": registry.agents[d.publisher],
            "nrm_break": NRM_EXPLOITATION_NOTE if shows_nrm_exploitation(d) and not explicit_break else None,
            "caveats": [{"item": c, "kind": _admonition(c.severity), "scope": _scope(c)} for c in caveats],
            "breaks": [(n, c, _short_scope(c)) for n, c in enumerate(caveats, start=1) if c.breaks_comparability],
            "key_facts": key_facts(d),
            "checked": checked_words(d.checked),
            "files": [_download(dist) for dist in d.distributions if dist.download_url],
            "pages": [_download(dist) for dist in d.distributions if not dist.download_url],
            "figures": chart_context(d),
            "cite": self.citation(d),
            "unknowns": [(field_words(d, u.field), u) for u in d.unknowns],
            "compare_links": compare_links(registry, d),
            "method_changes": sorted(d.method_changes, key=lambda c: c.date),
            "quality_notes": [
                (name, vocabularies.QUALITY_DIMENSIONS[name].label, note) for name, note in d.quality.notes()
            ],
            "breakdowns": [
                (vocabularies.DIMENSIONS[b.dimension].label, period_text(b.available), b.detail or "")
                for b in d.breakdowns
            ],
            "access_label": vocabularies.ACCESS_LEVELS[d.access.level].label,
            "linkage": [(link, vocabularies.LINKAGE_STATUSES[link.status].label) for link in d.data_linkage],
            "relations": [
                (vocabularies.RELATIONS[relation].label, registry.datasets[other], note)
                for relation, other, note in registry.relations_of(d.id)
            ],
        }

    def search_entries(self, dataset: Dataset, location: str) -> list[dict[str, Any]]:
        """Entries for material's search index: the page (title, summary, description, keywords) and its
        caveats, method changes and quality notes, as escaped text (the search box shows it as HTML).

        The page's keywords are also its `tags`, a field material's search weighs far above body text (and
        shows as chips), and the page has a `boost` by how much it is what people come for (facts.search_boost),
        so that "referral" finds the NRM statistics first, not a page that mentions referrals in passing."""

        def text(*parts: str) -> str:
            return " ".join(f"<p>{escape(oneline(part))}</p>" for part in parts if part)

        entries: list[dict[str, Any]] = [
            {
                "location": location,
                "title": str(escape(dataset.title)),
                "text": text(dataset.summary, dataset.description, ", ".join(dataset.keywords)),
                "tags": [str(escape(oneline(keyword))) for keyword in dataset.keywords],
                "boost": search_boost(dataset),
            }
        ]
        sections = [
            ("caveats", "Caveats", [f"{c.title}. {c.text}" for c in caveats_first(dataset)]),
            (
                "method-changes",
                "Method changes",
                [f"{m.date}: {m.title}. {m.change} {m.effect}" for m in dataset.method_changes],
            ),
            (
                "quality",
                "Quality",
                [note.text for _, note in dataset.quality.notes()] + ([dataset.qaad.summary] if dataset.qaad else []),
            ),
        ]
        entries += [
            {"location": f"{location}#{anchor}", "title": title, "text": text(*parts)}
            for anchor, title, parts in sections
            if parts
        ]
        return entries


__all__ = ["DatasetPages"]


def compare_links(registry: Registry, d: Dataset) -> list[tuple[str, str]]:
    """The compare page's links for a dataset page, as (query, words): across each dated comparability
    break (the year before and the year it starts, or the year it ends and the one after), with each
    record it is to be compared with or continues, and with anything else."""

    def query(a: str, b: str | None = None) -> str:
        return "?" + urlencode({"a": a} | ({"b": b} if b else {}), safe=":")

    links = []
    for caveat in d.caveats:
        if not (caveat.breaks_comparability and caveat.periods):
            continue
        period, dimension = caveat.periods[0], (caveat.breakdowns or [""])[0]
        first = int(period.start[:4]) - 1 if period.start else int((period.end or "0")[:4])
        suffix = f":{dimension}" if dimension else ""
        by = f" by {vocabularies.label_of(vocabularies.DIMENSIONS, dimension).lower()}" if dimension else ""
        a, b = f"{d.id}:{first}{suffix}", f"{d.id}:{first + 1}{suffix}"
        links.append((query(a, b), f"compare {first} with {first + 1}{by} ({caveat.title})"))
    for relation, other, _ in registry.relations_of(d.id):
        if relation in ("compare-with", "replaces", "replaced-by"):
            links.append((query(d.id, other), f"compare with {registry.datasets[other].title}"))
    return [*links, (query(d.id), "compare with another source or period")]


def _admonition(severity: str) -> str:
    """The admonition style a caveat of `severity` is shown in."""
    return {"critical": "danger", "warning": "warning"}.get(severity, "note")


def _scope(caveat: Caveat) -> list[str]:
    """What a caveat affects, in sentences: its periods and its breakdowns."""
    lines = []
    if caveat.periods:
        lines.append("Periods affected: " + ", ".join(period_text(p) for p in caveat.periods) + ".")
    if caveat.breakdowns:
        labels = ", ".join(vocabularies.label_of(vocabularies.DIMENSIONS, b) for b in caveat.breakdowns)
        lines.append(f"Breakdowns affected: {labels}.")
    return lines


def _short_scope(caveat: Caveat) -> str:
    """A break's periods and breakdowns in a few words, for its one line at the top of the page."""
    parts = [period_text(p) for p in caveat.periods]
    parts += [vocabularies.label_of(vocabularies.DIMENSIONS, b).lower() for b in caveat.breakdowns]
    return "; ".join(parts)


def _coverage(d: Dataset) -> str:
    cov = d.temporal_coverage
    start = cov.start or "start not known"
    return f"{start} to {cov.end}" if cov.end else f"{start} onwards" + (" (ongoing)" if cov.ongoing else "")


def key_facts(d: Dataset) -> list[tuple[str, str]]:
    """The key-facts box after the publisher: status, frequency, coverage, unit, the latest edition and when
    it was last checked, the next release (or that the publisher has announced none), access."""
    places = ", ".join(vocabularies.GEOGRAPHIES[g].label for g in d.spatial)
    checked = max((d.sources[key].accessed for key in d.releases.sources), default=None)
    latest = d.releases.last_updated or "not found in the pages read"
    return [
        ("Statistics status", vocabularies.STATISTICS_STATUSES[d.statistics_status.status].label),
        ("Frequency", vocabularies.FREQUENCIES[d.frequency].label),
        ("Coverage", f"{_coverage(d)}; {places}"),
        ("Unit", ", ".join(vocabularies.UNITS[u].label for u in d.unit_of_measure)),
        ("Latest edition", latest + (f" (checked {checked})" if checked else "")),
        ("Next release", d.releases.next_release or "not announced by the publisher"),
        ("Access", f"{vocabularies.ACCESS_LEVELS[d.access.level].label}: {d.access.route}"),
    ]


def _download(dist: Distribution) -> dict[str, str]:
    """A distribution as the Download section shows it: its link (the file itself where the record has a direct
    link, else its page), format, size where known, licence (with the licence's own page) and rights."""
    licence = vocabularies.LICENCES[dist.licence]
    return {
        "title": dist.title,
        "href": dist.download_url or dist.access_url,
        "page": dist.access_url if dist.download_url and dist.access_url != dist.download_url else "",
        "format": dist.format,
        "size": human_size(dist.byte_size) if dist.byte_size else "",
        "licence": licence.label,
        "licence_url": licence.uri or "",
        "rights": dist.rights or "",
        "description": dist.description or "",
    }


def checked_words(date: str | None) -> dict[str, str] | None:
    """When the record's facts were last checked against the publisher, as people read a date (30 November
    2026; a partial date as far as it goes) and as written (for the `<time>` element); None if never."""
    if not date:
        return None
    parts = date.split("-")
    words = [parts[0]]
    if len(parts) > 1:
        words.insert(0, MONTHS[int(parts[1]) - 1].capitalize())
    if len(parts) > 2:
        words.insert(0, str(int(parts[2])))
    return {"iso": date, "words": " ".join(words)}


def human_size(size: int) -> str:
    """A byte count as people read it: 930 bytes, 12 KB, 3.4 MB."""
    if size < 1000:
        return f"{size} bytes"
    for unit, scale in (("KB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if size < scale * 1000 or unit == "GB":
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return f"{size} bytes"  # pragma: no cover  (the loop returns)
