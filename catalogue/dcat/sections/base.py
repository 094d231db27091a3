"""What a section is: one structured field of a dataset record, its DCAT writer and reader paired.

The writers live in the section modules; the readers in catalogue/dcat/readers.py, which needs rdflib only
(the ckanext-dcat profile runs them inside a CKAN's virtualenv, without pyoxigraph or pydantic).

Flat fields (a value or a list of values on the dataset node) are rows of fields.py; a field with
nodes of its own (a contact, distributions, caveats ...) is a section. Each section says which
record fields it handles (`claims`, checked against the model by importing/coverage.py), which
predicates it puts on the dataset node (what the reader knows, so "not mapped" does not list them)
and how the docs' mapping table describes it.

Paths name fields as in the model: `a.b` a field of a nested model, `a[].b` a field of each list
item, `a{}.b` a field of each value of a mapping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pyoxigraph import NamedNode
from rdflib import URIRef

from catalogue.dcat.graph import Builder
from catalogue.dcat.lookup import Lookup
from catalogue.dcat.nodes import Nodes
from catalogue.records.model import Dataset

Write = Callable[[Nodes, Builder, NamedNode, str, Dataset], None]
Read = Callable[[Lookup, URIRef], Any]


@dataclass(frozen=True)
class Section:
    """`write(nodes, builder, dataset node, dataset IRI, record)` adds the field's triples;
    `read(lookup, dataset node)` returns the field's value in the record's own form (slugs, not
    IRIs), or None if the graph says nothing of it."""

    field: str
    write: Write
    read: Read
    claims: tuple[str, ...]  # every field path under `field` the pair writes and reads
    properties: tuple[str, ...]  # predicates (CURIEs or IRIs) `write` puts on the dataset node
    docs: tuple[tuple[str, str, str], ...]  # rows of the mapping table: field, DCAT, notes
    unmapped: Callable[[Lookup, URIRef], list[str]] | None = None  # values read but not understood


def under(prefix: str, *names: str) -> tuple[str, ...]:
    """Return the paths `<prefix>.<name>`: `under("access", "url")` is ("access.url",)."""
    return tuple(f"{prefix}.{name}" for name in names)
