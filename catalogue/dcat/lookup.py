"""Terse reads of one dataset in an rdflib graph: the reader's half of what nodes.py is to the writer.

rdflib, not pyoxigraph: reading is for imports and tests (other catalogues' RDF, any syntax), where
rdflib's parsers matter more than speed.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from catalogue.dcat.namespaces import DCAT, DCT, FOAF, MSR_PATH, OA, RDF
from catalogue.records import vocabularies


class Lookup:
    """Read the dataset `uri` of `graph`; `base` is the catalogue's base URI (our own IRIs start with it)."""

    def __init__(self, graph: Graph, base: str, uri: str) -> None:
        self.graph = graph
        self.base = base
        self.msr = base + MSR_PATH
        self.uri = uri

    def one(self, subject: Node | None, predicate: str) -> Node | None:
        return None if subject is None else self.graph.value(subject, URIRef(predicate))

    def all(self, subject: Node, predicate: str) -> list[Node]:
        return sorted(self.graph.objects(subject, URIRef(predicate)), key=str)

    def text(self, subject: Node | None, predicate: str) -> str | None:
        node = self.one(subject, predicate)
        return str(node) if node is not None else None

    def boolean(self, subject: Node, predicate: str) -> bool | None:
        node = self.one(subject, predicate)
        return bool(node.toPython()) if isinstance(node, Literal) else None

    def slug(self, node: Node | None, kind: str) -> str | None:
        """Return `<slug>` of one of our IRIs `<base>/<kind>/<slug>`, else None."""
        prefix = f"{self.base}/{kind}/"
        return str(node).removeprefix(prefix) if node is not None and str(node).startswith(prefix) else None

    def slugs(self, subject: Node, predicate: str, kind: str) -> list[str]:
        return sorted(slug for node in self.all(subject, predicate) if (slug := self.slug(node, kind)))

    def indexed(self, subject: Node, predicate: str, prefix: str) -> list[Node]:
        """Return the objects of `predicate` whose IRI is `<prefix><N>`, in the order of N."""
        pattern = re.compile(re.escape(prefix) + r"(\d+)")
        found = [
            (int(m.group(1)), node)
            for node in self.graph.objects(subject, URIRef(predicate))
            if (m := pattern.fullmatch(str(node)))
        ]
        return [node for _, node in sorted(found, key=lambda pair: pair[0])]

    def source_key(self, node: Node) -> str | None:
        """Return `<key>` of `<dataset>#source-<key>`, else None."""
        prefix = f"{self.uri}#source-"
        return str(node).removeprefix(prefix) if str(node).startswith(prefix) else None

    def source_keys(self, subject: Node, predicate: str = DCT + "source") -> list[str]:
        return sorted(key for node in self.all(subject, predicate) if (key := self.source_key(node)) is not None)

    def body(self, annotation: Node) -> str | None:
        return self.text(self.one(annotation, OA + "hasBody"), RDF + "value")

    def periods(self, subject: Node, uri: str) -> list[dict[str, Any]]:
        return [self.period(node) for node in self.indexed(subject, DCT + "temporal", f"{uri}-period-")]

    def period(self, node: Node | None) -> dict[str, Any]:
        return {"start": self.text(node, DCAT + "startDate"), "end": self.text(node, DCAT + "endDate")}

    def agent_slug(self, node: Node | None) -> str | None:
        """Our agents by their slug; another catalogue's by the last part of its IRI (or its name)."""
        if node is None:
            return None
        slug = self.slug(node, "organization")
        if slug:
            return slug
        name = self.text(node, FOAF + "name") or ""
        tail = str(node).rstrip("/").rsplit("/", 1)[-1]
        found = tail if re.fullmatch(r"[A-Za-z0-9-]+", tail) else name
        return re.sub(r"[^a-z0-9]+", "-", found.lower()).strip("-") or None

    def not_in_vocabulary(self, subject: Node, predicate: str, kind: str) -> list[str]:
        """Say which values of `predicate` are not IRIs of the vocabulary `kind` (a SLUGS_BY_URI key)."""
        known = vocabularies.SLUGS_BY_URI[kind]
        return [
            f"{predicate} {value} (not in the {kind.replace('_', ' ')} vocabulary)"
            for value in self.all(subject, predicate)
            if str(value) not in known
        ]
