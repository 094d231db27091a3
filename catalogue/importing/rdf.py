"""Parse RDF from elsewhere with no access to local files and nothing fetched outside `Fetcher`.

rdflib, given a document, does two dangerous things on its own: its JSON-LD parser reads every
`@context` (and `@import`) the document names, `file:///etc/passwd` or `file:///dev/zero` included,
with no size or time limit; and its RDF/XML parser expands XML entities, so a 1 KB "billion laughs"
file takes forever. So before rdflib sees a document:

- JSON-LD: every context reference, at any depth (scoped contexts, `@import`, contexts that name
  contexts), is resolved here: an http(s) address is fetched through the import's `Fetcher` (its
  size, time and redirect caps; at most `MAX_CONTEXTS` different ones, each once) and put inline;
  anything else (a `file:` address, a path, a reference relative to a local file) is refused.
  rdflib then parses a document that names no context it could fetch.
- RDF/XML: a document with a DOCTYPE (where entities are declared) is refused, as defusedxml refuses
  entity declarations. The check is the standard library's expat reading only the prolog, the same
  parser rdflib uses, so encodings are detected alike; defusedxml would need rdflib's parser to be
  swapped for its own and adds nothing this check does not do.
"""

from __future__ import annotations

import xml.parsers.expat
from typing import Any
from urllib.parse import urljoin, urlsplit

import orjson
from rdflib import Graph
from rdflib.parser import PythonInputSource

from catalogue.importing.http import Fetcher, ImportError_

MAX_CONTEXTS = 10
"""Different remote JSON-LD contexts fetched for one document (a context may name others)."""

MAX_CONTEXT_DEPTH = 8
"""Contexts that name contexts, nested: deeper is refused (a loop of contexts would never end)."""

CONTEXT_ACCEPT = "application/ld+json, application/json;q=0.9"


def parse(data: bytes, fmt: str, base: str, fetcher: Fetcher) -> Graph:
    """Return the graph of `data` (rdflib format `fmt`), read as if it came from `base`."""
    if fmt == "xml":
        refuse_doctype(data, base)
    try:
        if fmt == "json-ld":
            document = inline_contexts(_json(data, base), base, fetcher)
            if not isinstance(document, dict):  # a top-level array is a graph with no context
                document = {"@graph": document}
            return Graph().parse(source=PythonInputSource(document, base), format="json-ld", publicID=base)
        return Graph().parse(data=data, format=fmt, publicID=base)
    except ImportError_:
        raise
    except Exception as exc:  # rdflib raises many types for bad input; all mean the same to a user
        raise ImportError_(f"{base}: not readable as {fmt}: {_one_line(exc)}") from None


class _Declared(Exception):
    pass


class _PrologDone(Exception):
    pass


def refuse_doctype(data: bytes, where: str) -> None:
    """Raise ImportError_ if the XML document `data` has a DOCTYPE (so may declare entities)."""
    parser = xml.parsers.expat.ParserCreate()

    def declared(*_: object) -> None:
        raise _Declared

    def root(*_: object) -> None:
        raise _PrologDone  # a DOCTYPE comes before the root element: nothing after it matters

    parser.StartDoctypeDeclHandler = declared
    parser.EntityDeclHandler = declared
    parser.StartElementHandler = root
    try:
        parser.Parse(data, True)
    except _Declared:
        raise ImportError_(
            f"{where}: the XML declares a DOCTYPE or entities, which imported RDF/XML may not "
            "(entities can expand without bound); ask the publisher for Turtle or JSON-LD"
        ) from None
    except (_PrologDone, xml.parsers.expat.ExpatError):
        return  # malformed XML is rdflib's to report, with its own message


def _json(data: bytes, base: str) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ImportError_(f"{base}: not readable as json-ld: {exc}") from None


class _Contexts:
    """The remote contexts of one document: each fetched once, at most MAX_CONTEXTS of them."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self.fetched: dict[str, Any] = {}
        self.pending: set[str] = set()  # being resolved: met again, it names itself

    def remote(self, reference: Any, base: str, where: str, depth: int) -> Any:
        """Return the `@context` value of the context document `reference` names, its own references inlined."""
        if not isinstance(reference, str):
            raise ImportError_(f"{where}: a JSON-LD context reference must be a string, not {reference!r:.60}")
        url = urljoin(base, reference)
        if urlsplit(url).scheme not in ("http", "https"):
            raise ImportError_(
                f"{where}: the JSON-LD @context {reference!r:.200} is not an http(s) address; refused "
                "(an imported document may not read local files)"
            )
        if depth >= MAX_CONTEXT_DEPTH:
            raise ImportError_(f"{where}: JSON-LD contexts nested more than {MAX_CONTEXT_DEPTH} deep; refused")
        if url in self.pending:
            raise ImportError_(f"{where}: the JSON-LD @context {url} names itself, through others or directly")
        if url not in self.fetched:
            if len(self.fetched) + len(self.pending) >= MAX_CONTEXTS:
                raise ImportError_(f"{where}: names more than {MAX_CONTEXTS} remote JSON-LD contexts; refused")
            self.pending.add(url)
            answer = self.fetcher.get(url, accept=CONTEXT_ACCEPT)
            if answer.status != 200:
                raise ImportError_(f"{where}: its JSON-LD @context {url} answered {answer.status}")
            document = _json(answer.body, url)
            if not isinstance(document, dict) or "@context" not in document:
                raise ImportError_(f"{where}: its JSON-LD @context {url} is not a context document")
            self.fetched[url] = self.context(document["@context"], url, where, depth + 1)
            self.pending.discard(url)
        return self.fetched[url]

    def context(self, value: Any, base: str, where: str, depth: int) -> Any:
        """Return a `@context` value with every reference in it replaced by what it names."""
        items = value if isinstance(value, list) else [value]
        resolved: list[Any] = []
        for item in items:
            if isinstance(item, str):
                inner = self.remote(item, base, where, depth)
                resolved += inner if isinstance(inner, list) else [inner]
            elif isinstance(item, dict):
                definition = dict(item)
                if "@import" in definition:
                    imported = self.remote(definition.pop("@import"), base, where, depth)
                    if not isinstance(imported, dict):
                        raise ImportError_(f"{where}: a JSON-LD @import must name a single context")
                    definition = imported | definition
                resolved.append(self.inline(definition, base, where, depth))
            else:
                resolved.append(item)
        return resolved if isinstance(value, list) else resolved[0] if len(resolved) == 1 else resolved

    def inline(self, node: Any, base: str, where: str, depth: int) -> Any:
        """Return `node` with every `@context` in it, at any depth, resolved."""
        if isinstance(node, list):
            return [self.inline(item, base, where, depth) for item in node]
        if isinstance(node, dict):
            return {
                key: self.context(value, base, where, depth)
                if key == "@context"
                else self.inline(value, base, where, depth)
                for key, value in node.items()
            }
        return node


def inline_contexts(document: Any, base: str, fetcher: Fetcher) -> Any:
    """Return the JSON-LD `document` with every context it names put inline (see the module's docstring)."""
    try:
        return _Contexts(fetcher).inline(document, base, base, 0)
    except RecursionError:
        raise ImportError_(f"{base}: JSON nested too deeply to read") from None


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


__all__ = ["MAX_CONTEXTS", "inline_contexts", "parse", "refuse_doctype"]
