"""The DCAT mapping of a dataset's flat fields, as one table: record field, predicate, kind of value.

A row drives both directions and the docs: the writer (mapping.py) adds one triple per value, the
reader (reader.py) reads the same predicate back into the same field, "not mapped" (`unmapped`)
knows the predicate, and docs.py prints the row in the mapping table. Adding a scalar or
simple-list field to the model takes one row here. Fields with a structure of their own (contact,
themes, distributions, quality, caveats ...) are sections (sections/; their readers in readers.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.term import Node

from catalogue.dcat.lookup import Lookup
from catalogue.dcat.namespaces import DCT, expand
from catalogue.records import vocabularies
from catalogue.records.vocabularies import Term as VocabularyTerm

if TYPE_CHECKING:  # the writer's types; at run time the rows' reading half needs rdflib only (see _graph)
    from collections.abc import Callable

    from pyoxigraph import NamedNode

    from catalogue.dcat.graph import Builder, Term
    from catalogue.dcat.nodes import Nodes
    from catalogue.records.model import Dataset

    # What the writer runs for a row: the field's getter, the predicate's IRI, the kind's writer, many.
    Compiled = tuple[Callable[[Dataset], Any], str, Callable[[Nodes, Builder, str, Any], Term], bool]


def _graph() -> Any:
    """Return the writer's term makers (catalogue.dcat.graph), imported when a row is first written: the rows are
    read inside a CKAN's virtualenv too (the ckanext-dcat profile, catalogue/ckan/profile.py), where pyoxigraph
    is not installed."""
    from catalogue.dcat import graph

    return graph


class Kind:
    """How a value is written as an RDF object, and read back. `read` gives None for an object it
    cannot read; `vocabulary`, if set, names the SLUGS_BY_URI vocabulary whose IRIs the objects
    should be, so others are reported as not mapped."""

    doc = "literal"
    vocabulary: str | None = None

    def write(self, n: Nodes, g: Builder, uri: str, value: Any) -> Term:
        return _graph().plain(value)

    def read(self, r: Lookup, node: Node) -> Any:
        return str(node)


class _Text(Kind):
    doc = "text, `@en`"

    def write(self, n: Nodes, g: Builder, uri: str, value: Any) -> Term:
        return _graph().text(value)


class _Date(Kind):
    doc = "`xsd:date`, `xsd:gYearMonth` or `xsd:gYear`, as written"

    def write(self, n: Nodes, g: Builder, uri: str, value: Any) -> Term:
        return _graph().partial_date(value)


class _Duration(Kind):
    doc = "`xsd:duration`"

    def write(self, n: Nodes, g: Builder, uri: str, value: Any) -> Term:
        return _graph().typed(value, "duration")


class _Page(Kind):
    doc = "a `foaf:Document`"

    def write(self, n: Nodes, g: Builder, uri: str, value: Any) -> Term:
        return n.web_page(g, value)


class _Agent(Kind):
    doc = "→ agent `base/organization/<id>`"

    def write(self, n: Nodes, g: Builder, uri: str, value: Any) -> Term:
        return n.agent(g, value)

    def read(self, r: Lookup, node: Node) -> Any:
        return r.agent_slug(node)


class _Source(Kind):
    doc = "→ source `<dataset>#source-<key>`"

    def write(self, n: Nodes, g: Builder, uri: str, value: Any) -> Term:
        return _graph().iri(f"{uri}#source-{value}")

    def read(self, r: Lookup, node: Node) -> Any:
        return r.source_key(node)


class _Place(Kind):
    """A geography; an IRI outside the vocabulary is kept, so that validation points at it."""

    doc = "→ ONS GSS geography IRI, a `dct:Location` with `skos:prefLabel`"
    vocabulary = "geography"

    def write(self, n: Nodes, g: Builder, uri: str, value: Any) -> Term:
        return n.place(g, value)

    def read(self, r: Lookup, node: Node) -> Any:
        return vocabularies.SLUGS_BY_URI["geography"].get(str(node), str(node))


class Concept(Kind):
    """A term of a published vocabulary (`terms`, by slug; `vocabulary` its SLUGS_BY_URI key), as a
    shared skos:Concept in `scheme`, of `classes` too."""

    def __init__(
        self, vocabulary: str, terms: dict[str, VocabularyTerm], scheme: str, classes: tuple[str, ...], doc: str
    ) -> None:
        self.vocabulary = vocabulary
        self.slugs = vocabularies.SLUGS_BY_URI[vocabulary]
        self.terms = terms
        self.scheme = scheme
        self.classes = classes
        self.doc = f"→ {doc}"

    def write(self, n: Nodes, g: Builder, uri: str, value: Any) -> Term:
        term = self.terms[value]
        return g.concept(term.uri or "", term.label, self.scheme, *self.classes)

    def read(self, r: Lookup, node: Node) -> Any:
        return self.slugs.get(str(node))


class OwnConcept(Kind):
    """A term of one of our own schemes, `base/ns/<scheme>/<slug>`."""

    def __init__(self, scheme: str, terms: dict[str, VocabularyTerm]) -> None:
        self.scheme = scheme
        self.terms = terms
        self.doc = f"→ `base/ns/{scheme}/<slug>`, a `skos:Concept`"

    def write(self, n: Nodes, g: Builder, uri: str, value: Any) -> Term:
        return n.ns_concept(g, self.scheme, value, self.terms[value].label)

    def read(self, r: Lookup, node: Node) -> Any:
        return r.slug(node, f"ns/{self.scheme}")


PLAIN = Kind()
TEXT = _Text()
DATE = _Date()
DURATION = _Duration()
PAGE = _Page()
AGENT = _Agent()
SOURCE = _Source()
PLACE = _Place()
FREQUENCY = Concept(
    "frequency",
    vocabularies.FREQUENCIES,
    vocabularies.EU + "/frequency",
    (DCT + "Frequency",),
    "EU frequency authority, a `dct:Frequency`",
)
UNIT = OwnConcept("unit", vocabularies.UNITS)


@dataclass(frozen=True)
class Row:
    """One flat field: `path` in the record (dotted into nested models), `predicate` on the dataset
    (a CURIE; `msr:` is the registry's own namespace), one triple per value if `many`."""

    path: str
    predicate: str
    kind: Kind
    many: bool = False
    note: str = ""


def one(path: str, predicate: str, kind: Kind, note: str = "") -> Row:
    return Row(path, predicate, kind, False, note)


def each(path: str, predicate: str, kind: Kind, note: str = "") -> Row:
    return Row(path, predicate, kind, True, note)


FIELDS: tuple[Row, ...] = (
    one("id", "dct:identifier", PLAIN),
    one("title", "dct:title", TEXT),
    one("summary", "dct:abstract", TEXT),
    one("description", "dct:description", TEXT, "Markdown, as written"),
    one("publisher", "dct:publisher", AGENT),
    each("creator", "dct:creator", AGENT),
    one("landing_page", "dcat:landingPage", PAGE),
    each("keywords", "dcat:keyword", TEXT),
    one("frequency", "dct:accrualPeriodicity", FREQUENCY),
    one("temporal_resolution", "dcat:temporalResolution", DURATION, "StatDCAT-AP"),
    each("spatial", "dct:spatial", PLACE),
    each("unit_of_measure", "stat:statUnitMeasure", UNIT, "StatDCAT-AP"),
    one("releases.first_issued", "dct:issued", DATE),
    one("releases.last_updated", "dct:modified", DATE),
    one("releases.next_release", "msr:nextRelease", DATE),
    one("releases.note", "msr:releaseNote", TEXT),
    each("releases.sources", "msr:releaseSource", SOURCE),
    one("checked", "msr:checked", DATE, "the day the record's facts were last checked against the publisher"),
    each("described_from", "msr:describedFrom", SOURCE, "the sources of the title, landing page, frequency, coverage"),
)


def compile_rows(rows: Iterable[Row], n: Nodes) -> list[Compiled]:
    """Prepare `rows` for writing many datasets: getters, predicates and writers looked up once."""
    return [(attrgetter(row.path), n.expand(row.predicate), row.kind.write, row.many) for row in rows]


def write_rows(compiled: list[Compiled], n: Nodes, g: Builder, ds: NamedNode, uri: str, d: Dataset) -> None:
    """Add a triple on `ds` for every value of every row (None values are left out)."""
    for get, predicate, write, many in compiled:
        value = get(d)
        if value is None:
            continue
        if many:
            for item in value:
                g.add(ds, predicate, write(n, g, uri, item))
        else:
            g.add(ds, predicate, write(n, g, uri, value))


def read_rows(r: Lookup, ds: URIRef, rows: Iterable[Row]) -> dict[str, Any]:
    """Return the values of `rows` on `ds`, nested as the record nests them (unordered repeated values
    sorted; objects a kind cannot read left out)."""
    record: dict[str, Any] = {}
    for row in rows:
        predicate = expand_for(row, r)
        if row.many:
            value: Any = sorted(v for node in r.all(ds, predicate) if (v := row.kind.read(r, node)) is not None)
        else:
            node = r.one(ds, predicate)
            value = row.kind.read(r, node) if node is not None else None
        *parents, name = row.path.split(".")
        target = record
        for parent in parents:
            target = target.setdefault(parent, {})
        target[name] = value
    return record


def expand_for(row: Row, r: Lookup) -> str:
    return expand(row.predicate, r.msr)


def not_in_vocabularies(r: Lookup, ds: URIRef, rows: Iterable[Row]) -> list[str]:
    """Say which values of the rows with a vocabulary are not its IRIs."""
    return [
        found
        for row in rows
        if row.kind.vocabulary
        for found in r.not_in_vocabulary(ds, expand_for(row, r), row.kind.vocabulary)
    ]
