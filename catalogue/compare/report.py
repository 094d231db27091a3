"""A comparison as text for people (the `catalogue compare` command): the verdict, then each reason with
the record, field and source keys it comes from, and the sources' addresses once at the end.

Why apart from the engine: the command prints, the API and the page take `Comparison.to_dict()`; the
words of each reason are the engine's, so every place says the same. What a record says is printed
through `printable`, so a record's text cannot act on the terminal.
"""

from __future__ import annotations

import textwrap

from catalogue.compare import reasons as r
from catalogue.compare.engine import Comparison
from catalogue.records.errors import printable
from catalogue.records.registry import Registry

_HEADINGS = {
    r.BREAKS: "Breaks comparability",
    r.CARE: "Needs care",
    r.NOT_KNOWN: "Not known",
    r.FINE: "Comparable",
    r.CONTEXT: "For context",
}


def _wrap(text: str, width: int, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        printable(text),
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def to_text(comparison: Comparison, registry: Registry, width: int = 100) -> str:
    """The comparison as lines of text: sides, verdict and summary, the reasons by effect, the sources."""
    a, b = comparison.a, comparison.b
    lines = [
        printable(f"A: {a.side.text} ({a.dataset.title})"),
        printable(f"B: {b.side.text} ({b.dataset.title})"),
        "",
        f"Verdict: {comparison.verdict}",
        *_wrap(comparison.summary, width, "", ""),
    ]
    sources: dict[tuple[str, str], str] = {}
    for effect, heading in _HEADINGS.items():
        group = [reason for reason in comparison.reasons if reason.effect == effect]
        if not group:
            continue
        lines += ["", f"{heading}:"]
        for reason in group:
            lines += _wrap(reason.text, width, "  - ", "    ")
            for cite in reason.cited:
                known = registry.datasets[cite.record].sources
                keys = [key for key in cite.sources if key in known]
                sources.update({(cite.record, key): known[key].url for key in keys})
                where = f"{cite.record} {cite.field}" + (f" (sources: {', '.join(keys)})" if keys else "")
                lines += _wrap(where, width, "      from ", "        ")
    if sources:
        lines += ["", "Sources:"]
        lines += [printable(f"  {record} {key}: {url}") for (record, key), url in sources.items()]
    return "\n".join(lines)
