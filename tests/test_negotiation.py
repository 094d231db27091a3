"""HTTP content negotiation for /catalog and /dataset/<id> (catalogue/dcat/pages.py: negotiate): one row
per Accept header, the RDF extension served, or None for the HTML page."""

from __future__ import annotations

import pytest

from catalogue.dcat.pages import negotiate

ROWS: list[tuple[str | None, str | None]] = [
    # no header, or nothing usable in it: HTML
    (None, None),
    ("", None),
    (",,,", None),
    (";q=1", None),
    # each RDF type alone
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdf"),
    ("application/json", "jsonld"),
    # case and spacing do not matter; parameters other than q are ignored
    ("TEXT/TURTLE", "ttl"),
    ("Application/LD+JSON", "jsonld"),
    (" text/turtle ; q=0.8 ", "ttl"),
    ("text/turtle;charset=utf-8", "ttl"),
    ('application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"', "jsonld"),
    # HTML asked for
    ("text/html", None),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None),  # a browser's header
    # q-values choose; the highest wins
    ("text/turtle;q=0.5, application/ld+json", "jsonld"),
    ("application/ld+json;q=0.4, application/rdf+xml;q=0.6, text/turtle;q=0.5", "rdf"),
    ("text/html;q=0.5, text/turtle", "ttl"),
    ("text/html, text/turtle;q=0.9", None),
    ("text/turtle;q=0.1, text/html;q=0.2", None),
    ("text/turtle;q=0.8, text/html;q=0.1", "ttl"),
    ("text/turtle;q=1.0", "ttl"),
    # equal q-values: the first listed wins
    ("text/html, text/turtle", None),
    ("text/turtle, text/html", "ttl"),
    ("text/turtle;q=0.9,text/html;q=0.9", "ttl"),
    ("text/html;q=0.9,text/turtle;q=0.9", None),
    ("application/rdf+xml, text/turtle", "rdf"),
    # a q-value that is not a number counts as 0
    ("text/turtle;q=abc, application/rdf+xml;q=0.1", "rdf"),
    # wildcards (RFC 9110 12.5.1): a type takes the quality of the most specific range that matches it;
    # among equals a type named outright wins, then the first listed, then the server's order (HTML,
    # Turtle, JSON-LD, RDF/XML), so whoever accepts anything, or any text, gets the page
    ("*/*", None),
    ("text/*", None),
    ("*/*;q=0.1, text/turtle", "ttl"),
    ("text/turtle, */*", "ttl"),  # equal q: the type named outright beats the wildcard
    ("text/*, text/turtle", "ttl"),
    # application/* leaves HTML unacceptable: the first application type we serve, JSON-LD
    ("application/*", "jsonld"),
    ("application/*, application/rdf+xml", "rdf"),
    # */* at 1 rates the page above Turtle at 0.5: the client said it prefers anything to Turtle
    ("text/turtle;q=0.5, */*", None),
    # text/* is honoured, not ignored: it rates HTML (and Turtle) at its quality ...
    ("text/*;q=0.9, application/rdf+xml;q=0.5", None),
    ("application/ld+json;q=0.5, text/*", None),
    ("text/*;q=0.4, application/ld+json;q=0.5", "jsonld"),
    # ... and a more specific range overrides it: HTML refused, Turtle still acceptable through text/*
    ("text/*, text/html;q=0", "ttl"),
    ("*/*, text/html;q=0", "ttl"),
    ("text/*;q=0, application/rdf+xml;q=0.1", "rdf"),
    # types we do not serve are passed over
    ("image/png", None),
    ("application/n-triples", None),
    ("application/xml", None),
    ("text/n3, application/rdf+xml;q=0.5", "rdf"),
    ("image/png, text/turtle;q=0.1", "ttl"),
]


@pytest.mark.parametrize(("accept", "expected"), ROWS, ids=[repr(accept) for accept, _ in ROWS])
def test_accept_header_chooses_the_format(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept) == expected


@pytest.mark.parametrize("accept", ["text/turtle;q=0", "application/ld+json;q=0, text/html;q=0"])
def test_q_zero_is_never_chosen(accept: str) -> None:
    assert negotiate(accept) is None
