"""The rules: what each part of a record says about comparing two sides, as cited reasons.

Why these rules, in words (each is symmetric, so A with B gives the verdict B with A gives):
- coverage and resolution: a side must lie within its record's temporal coverage, and not be finer
  than the smallest period the record gives figures for; where the record does not say, "not known".
- breakdowns: both sides split the same way, the breakdown published in each side's period, and (across
  records) defined alike.
- method changes: a change dated between or within the two periods asks for care; one dated only to a
  year that may fall either side is "not known".
- caveats: a caveat that covers one side and not the other, and says it breaks comparability, breaks
  it; one that covers both sides alike changes nothing between them. Across records, a caveat that
  breaks comparability breaks it for the figures it covers.
- across records: unit, geography and statistics status, and the related notes and coherence notes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from catalogue.compare import reasons as r
from catalogue.compare.reasons import Cited, Reason, described
from catalogue.compare.sides import Side, Span
from catalogue.compare.timeline import (
    coverage,
    coverage_text,
    months,
    period_bounds,
    period_words,
    resolution_months,
    resolution_name,
)
from catalogue.records import vocabularies as v
from catalogue.records.model import Caveat, Dataset
from catalogue.records.registry import Registry
from catalogue.records.values import date_bounds

_NATIONS = {
    "uk": {"england", "wales", "scotland", "northern-ireland"},
    "great-britain": {"england", "wales", "scotland"},
    "england-and-wales": {"england", "wales"},
}
_LENGTHS = {12: "a year", 3: "a quarter", 1: "a month"}


@dataclass(frozen=True)
class Part:
    """One side with its record and the span of days it means."""

    side: Side
    dataset: Dataset
    span: Span

    @property
    def name(self) -> str:
        return self.dataset.id if self.side.period is None else f"{self.dataset.id} in {self.span.label}"


def coverage_reasons(part: Part, registry: Registry) -> Iterator[Reason]:
    d, span = part.dataset, part.span
    cited = described(d, "temporal_coverage")
    if part.side.period is None:
        yield Reason(r.CONTEXT, "coverage", f"{d.id}: its whole coverage, {coverage_text(d)}.", (cited,))
        return
    lo, hi = coverage(d)
    if d.temporal_coverage.start is None and span.start < hi:
        text = f"{d.id} does not record when its figures start, so whether it has figures for {span.label} is"
        yield Reason(r.NOT_KNOWN, "coverage", f"{text} not known.", (cited,))
    elif span.within(lo, hi):
        yield Reason(
            r.FINE, "coverage", f"{d.id} has figures for {span.label} (coverage {coverage_text(d)}).", (cited,)
        )
    elif span.overlaps(lo, hi):
        text = f"{d.id} covers only part of {span.label} (coverage {coverage_text(d)})."
        yield Reason(r.CARE, "coverage", text, (cited,))
    else:
        text = f"{d.id} has no figures for {span.label}: its coverage is {coverage_text(d)}."
        elsewhere = [cited]
        for relation, other_id, _ in registry.relations_of(d.id):
            other = registry.datasets[other_id]
            if relation in ("replaces", "replaced-by") and span.within(*coverage(other)):
                text += f" It {v.RELATIONS[relation].label.lower()} {other_id}, which covers {coverage_text(other)}."
                elsewhere += [_naming(d, other), described(other, "temporal_coverage")]
        yield Reason(r.BREAKS, "coverage", text, tuple(elsewhere))


def _naming(d: Dataset, other: Dataset) -> Cited:
    """The `related` entry, in either record, that links `d` and `other`."""
    for one, two in ((d, other), (other, d)):
        for i, rel in enumerate(one.related):
            if rel.id == two.id:
                return Cited(one.id, f"related[{i}]")
    return Cited(d.id, "related")


def resolution_reasons(a: Part, b: Part) -> Iterator[Reason]:
    for part in (a, b):
        d, length = part.dataset, months(part.span)
        if length is None:
            continue
        cited = described(d, "temporal_resolution")
        if d.temporal_resolution is None:
            text = f"{d.id} does not record the smallest period its figures are given for, so whether it has"
            yield Reason(
                r.NOT_KNOWN, "resolution", f"{text} a figure for {part.span.label} alone is not known.", (cited,)
            )
            continue
        smallest = resolution_months(d.temporal_resolution)
        if smallest is not None and smallest > length:
            text = (
                f"{d.id} gives figures for {resolution_name(d.temporal_resolution)}, not for {part.span.label} alone."
            )
            yield Reason(r.BREAKS, "resolution", text, (cited,))
    la, lb = months(a.span), months(b.span)
    if la and lb and la != lb:
        text = f"The periods differ in length: {_LENGTHS[la]} ({a.span.label}) and {_LENGTHS[lb]} ({b.span.label})."
        cites = (described(a.dataset, "temporal_resolution"), described(b.dataset, "temporal_resolution"))
        yield Reason(r.CARE, "resolution", text, cites)


def breakdown_reasons(a: Part, b: Part) -> Iterator[Reason]:
    da, db = a.side.breakdown, b.side.breakdown
    if da != db:
        cites = (Cited(a.dataset.id, "breakdowns"), Cited(b.dataset.id, "breakdowns"))
        if da and db:
            text = f"The sides are split differently: by {_dim(da)} and by {_dim(db)}."
            yield Reason(r.BREAKS, "breakdown", text, cites)
        else:
            split, whole = (a, b) if da else (b, a)
            text = f"{split.name} is split by {_dim(split.side.breakdown or '')}; {whole.name} is a total."
            yield Reason(r.CARE, "breakdown", text, cites)
    for part in (a, b):
        yield from _availability(part)
    if da and da == db and a.dataset.id != b.dataset.id:
        yield from _definitions(a, b, da)


def _dim(dimension: str) -> str:
    return v.label_of(v.DIMENSIONS, dimension).lower()


def _availability(part: Part) -> Iterator[Reason]:
    d, dim, span = part.dataset, part.side.breakdown, part.span
    if dim is None:
        return
    entries = [(i, b) for i, b in enumerate(d.breakdowns) if b.dimension == dim]
    if not entries:
        text = f"{d.id} does not publish figures by {_dim(dim)} (its record lists no such breakdown)."
        yield Reason(r.BREAKS, "breakdown", text, (Cited(d.id, "breakdowns"),))
        return
    unknowns = [(j, u) for j, u in enumerate(d.unknowns) if u.field.startswith("breakdowns")]
    for i, entry in entries:
        lo, hi = period_bounds(entry.available)
        cited = Cited(d.id, f"breakdowns[{i}]", tuple(entry.sources))
        doubts = tuple(Cited(d.id, f"unknowns[{j}]") for j, _ in unknowns)
        when = period_words(entry.available)
        if span.within(lo, hi) and not (entry.available.start is None and doubts):
            text = f"{d.id} publishes figures by {_dim(dim)} for {span.label} (available: {when})."
            yield Reason(r.FINE, "breakdown", text, (cited,))
        elif span.within(lo, hi):
            text = f"{d.id} lists figures by {_dim(dim)} without saying from when, so whether they exist for"
            yield Reason(r.NOT_KNOWN, "breakdown", f"{text} {span.label} is not known.", (cited, *doubts))
        elif doubts:
            text = f"{d.id} records figures by {_dim(dim)} {when}, and says earlier or later editions were not"
            text += f" checked, so whether they exist for {span.label} is not known."
            yield Reason(r.NOT_KNOWN, "breakdown", text, (cited, *doubts))
        elif span.overlaps(lo, hi):
            text = f"{d.id} publishes figures by {_dim(dim)} for only part of {span.label} (available: {when})."
            yield Reason(r.CARE, "breakdown", text, (cited,))
        else:
            text = f"{d.id} does not publish figures by {_dim(dim)} for {span.label} (available: {when})."
            yield Reason(r.BREAKS, "breakdown", text, (cited,))


def _definitions(a: Part, b: Part, dim: str) -> Iterator[Reason]:
    found = []
    for part in (a, b):
        entry = next(((i, e) for i, e in enumerate(part.dataset.breakdowns) if e.dimension == dim), None)
        if entry is None:
            return  # the availability reasons already say it is not published
        found.append(
            (
                part.dataset.id,
                entry[1].detail,
                Cited(part.dataset.id, f"breakdowns[{entry[0]}]", tuple(entry[1].sources)),
            )
        )
    (ida, detail_a, ca), (idb, detail_b, cb) = found
    if detail_a is None and detail_b is None:
        text = f"Neither record says how it defines the {_dim(dim)} categories, so whether they match is not known."
        yield Reason(r.NOT_KNOWN, "definition", text, (ca, cb))
    elif detail_a is None or detail_b is None:
        said, silent, detail = (ida, idb, detail_a) if detail_a else (idb, ida, detail_b)
        text = f"{said} defines {_dim(dim)} as: {detail}; {silent} does not say, so whether they match is not known."
        yield Reason(r.NOT_KNOWN, "definition", text, (ca, cb))
    elif detail_a == detail_b:
        yield Reason(r.FINE, "definition", f"Both define {_dim(dim)} alike: {detail_a}", (ca, cb))
    else:
        text = f"{_dim(dim).capitalize()} is defined differently. {ida}: {detail_a} {idb}: {detail_b}"
        yield Reason(r.CARE, "definition", text, (ca, cb))


def method_change_reasons(a: Part, b: Part) -> Iterator[Reason]:
    lo, hi = min(a.span.start, b.span.start), max(a.span.end, b.span.end)
    records = {a.dataset.id: a.dataset, b.dataset.id: b.dataset}
    found = False
    for d in records.values():
        for i, change in enumerate(d.method_changes):
            first, last = date_bounds(change.date)
            cited = (Cited(d.id, f"method_changes[{i}]", tuple(change.sources)),)
            where = _where(first, a, b, d.id)
            if lo < first <= hi:
                found = True
                on = "on" if len(change.date) == 10 else "in"
                text = f"{d.id} changed method {on} {change.date}, {where}: {change.title}. {change.effect}"
                yield Reason(r.CARE, "method-change", text, cited, change.date)
            elif first < lo < last:
                found = True
                text = f"{d.id} changed method in {change.date} ({change.title}); the record dates it only to"
                text += f" {change.date}, so whether it came before {a.span.start} or after is not known."
                yield Reason(r.NOT_KNOWN, "method-change", text, cited, change.date)
    if not found and len(records) == 1:
        d = a.dataset
        text = f"{d.id} records no method change between {a.span.label} and {b.span.label}"
        text += f" ({len(d.method_changes)} recorded in all)."
        yield Reason(r.FINE, "method-change", text, (Cited(d.id, "method_changes"),))


def _where(day: str, a: Part, b: Part, record: str) -> str:
    """Where a change dated `day` of `record` falls: within a side of that record, or between the sides."""
    for part in (a, b):
        if part.dataset.id == record and part.span.start < day <= part.span.end:
            return f"within {part.span.label}" if a.dataset.id == b.dataset.id else f"within the period of {part.name}"
    return f"between {a.span.label} and {b.span.label}" if a.dataset.id == b.dataset.id else "between the two periods"


def _covers(caveat: Caveat, part: Part) -> str:
    """How much of a side a caveat covers: 'whole', 'part' or 'none'."""
    if caveat.breakdowns and part.side.breakdown not in caveat.breakdowns:
        return "none"
    if not caveat.periods:
        return "whole"
    states = {"none"}
    for period in caveat.periods:
        lo, hi = period_bounds(period)
        if part.span.within(lo, hi):
            states.add("whole")
        elif part.span.overlaps(lo, hi):
            states.add("part")
    return "whole" if "whole" in states else "part" if "part" in states else "none"


def caveat_reasons(a: Part, b: Part) -> Iterator[Reason]:
    same = a.dataset.id == b.dataset.id
    for d in {a.dataset.id: a.dataset, b.dataset.id: b.dataset}.values():
        for i, caveat in enumerate(d.caveats):
            cited = (Cited(d.id, f"caveats[{i}]", tuple(caveat.sources)),)
            periods = ", ".join(period_words(p) for p in caveat.periods) or None
            scope = f" ({periods})" if periods else ""
            if same:
                sa, sb = _covers(caveat, a), _covers(caveat, b)
                if sa == sb == "none":
                    continue
                if sa == sb and (sa == "whole" or a.span == b.span):
                    text = f"Applies to both sides alike: {caveat.title}{scope}."
                    yield Reason(r.CONTEXT, "caveat", text, cited, periods)
                    continue
                effect = r.BREAKS if caveat.breaks_comparability else r.CARE
                text = (
                    f"{caveat.title}{scope}: it covers {_extent(sa)} {a.span.label} and {_extent(sb)} {b.span.label}."
                )
                if caveat.breaks_comparability:
                    text += " The record says figures either side cannot be compared."
                yield Reason(effect, "caveat", text, cited, periods)
                continue
            part = a if d.id == a.dataset.id else b
            state = _covers(caveat, part)
            if state == "none":
                continue
            text = f"{d.id}: {caveat.title}{scope}"
            text += f"; it covers {_extent(state)} {part.span.label}." if caveat.periods else "."
            if caveat.breaks_comparability:
                yield Reason(
                    r.BREAKS, "caveat", text + " The record says these figures cannot be compared.", cited, periods
                )
            else:
                yield Reason(r.CONTEXT, "caveat", text, cited, periods)


def _extent(state: str) -> str:
    return {"whole": "all of", "part": "part of", "none": "none of"}[state]


def record_reasons(a: Part, b: Part) -> Iterator[Reason]:
    da, db = a.dataset, b.dataset
    if da.id == db.id:
        text = f"Both sides are {da.id}: the same unit, geography, statistics status and definitions."
        yield Reason(r.FINE, "series", text, (described(da, "id"),))
    else:
        yield from _units(da, db)
        yield from _places(da, db)
        yield from _status(da, db)
        yield from _relations(da, db)
    for d in {da.id: da, db.id: db}.values():
        note = d.quality.coherence_and_comparability
        if note is not None:
            cited = (Cited(d.id, "quality.coherence_and_comparability", tuple(note.sources)),)
            yield Reason(r.CONTEXT, "coherence", f"{d.id} on coherence and comparability: {note.text}", cited)


def _units(da: Dataset, db: Dataset) -> Iterator[Reason]:
    cites = (described(da, "unit_of_measure"), described(db, "unit_of_measure"))
    shared = [u for u in da.unit_of_measure if u in db.unit_of_measure]

    def units(d: Dataset) -> str:
        return ", ".join(v.UNITS[u].label.lower() for u in d.unit_of_measure)

    if not shared:
        text = f"They count different things: {da.id} counts {units(da)}; {db.id} counts {units(db)}."
        yield Reason(r.BREAKS, "unit", text, cites)
    else:
        yield Reason(r.FINE, "unit", f"Both count {', '.join(v.UNITS[u].label.lower() for u in shared)}.", cites)


def _places(da: Dataset, db: Dataset) -> Iterator[Reason]:
    cites = (described(da, "spatial"), described(db, "spatial"))

    def nations(d: Dataset) -> set[str]:
        return set().union(*(_NATIONS.get(g, {g}) for g in d.spatial))

    def names(d: Dataset) -> str:
        return ", ".join(v.GEOGRAPHIES[g].label for g in d.spatial)

    na, nb = nations(da), nations(db)
    if na == nb:
        yield Reason(r.FINE, "geography", f"Both cover {names(da)}.", cites)
    elif na & nb:
        text = f"They cover different areas, one overlapping the other: {da.id} {names(da)}; {db.id} {names(db)}."
        yield Reason(r.CARE, "geography", text, cites)
    else:
        text = f"They cover different areas: {da.id} {names(da)}; {db.id} {names(db)}."
        yield Reason(r.CARE, "geography", text, cites)


def _status(da: Dataset, db: Dataset) -> Iterator[Reason]:
    sa, sb = da.statistics_status, db.statistics_status
    cites = (Cited(da.id, "statistics_status", tuple(sa.sources)), Cited(db.id, "statistics_status", tuple(sb.sources)))
    la, lb = v.STATISTICS_STATUSES[sa.status].label, v.STATISTICS_STATUSES[sb.status].label
    if sa.status == sb.status:
        yield Reason(r.FINE, "status", f"Both have the same statistics status: {la}.", cites)
    else:
        text = f"Their statistics status differs: {da.id} {la.lower()}; {db.id} {lb.lower()}."
        yield Reason(r.CARE, "status", text, cites)


def _relations(da: Dataset, db: Dataset) -> Iterator[Reason]:
    found = False
    for d, other in ((da, db), (db, da)):
        for i, rel in enumerate(d.related):
            if rel.id == other.id:
                found = True
                text = f"{d.id} names {other.id} ({v.RELATIONS[rel.relation].label.lower()}): {rel.note}"
                yield Reason(r.CONTEXT, "related", text, (Cited(d.id, f"related[{i}]"),))
    if not found:
        text = f"Neither {da.id} nor {db.id} names the other as related, so how they relate is not known."
        yield Reason(r.NOT_KNOWN, "related", text, (Cited(da.id, "related"), Cited(db.id, "related")))
