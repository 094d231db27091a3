"""Pages of the DCAT catalogue, as ckanext-dcat serves them: 100 datasets a page, newest change first.

A page is made of documents the build serialised (the catalogue header and each dataset's file) plus
two small ones made per request (the page's dcat:dataset links and its hydra paging node), joined
as each format allows: Turtle documents concatenate; JSON-LD documents are top-level arrays of node
objects; RDF/XML documents from one serialiser with one prefix map share their root element. No
request parses or re-serialises the catalogue; pages are cached by (format, page, filter, URL).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from pyoxigraph import Literal, NamedNode, Triple

from catalogue.dcat_files import FORMATS, serialize_triples
from catalogue.vocab import DCAT, HYDRA, RDF, XSD

PAGE_SIZE = 100


class BadParameter(ValueError):
    """A query parameter a client sent that we cannot use; the message is shown to the client."""


@dataclass(frozen=True)
class PageRequest:
    extension: str
    page: int
    modified_since: str | None
    page_url: str  # the catalogue URL the client used, without query, e.g. http://127.0.0.1:8000/catalog.ttl


def parse_page(value: str | None) -> int:
    if value is None:
        return 1
    if not value.isdigit() or int(value) < 1:
        raise BadParameter("Page param must be a positive integer starting in 1")
    return int(value)


def parse_modified_since(value: str | None) -> str | None:
    """Return `value` as a CKAN-style UTC timestamp, or raise BadParameter."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadParameter("Wrong modified date format. Use ISO-8601 format, e.g. 2024-01-31 or "
                           "2024-01-31T10:00:00Z") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


class DcatCatalogue:
    """The build's DCAT output held in memory, ready to page."""

    def __init__(self, build: Path) -> None:
        registry = json.loads((build / "registry.json").read_text("utf-8"))
        self.build = build
        self.base = registry["catalogue"]["base_uri"]
        self.catalog_node = NamedNode(f"{self.base}/catalog")
        self.modified = {key: stamp["modified"] for key, stamp in registry["stamps"].items()}
        # newest change first, as ckanext-dcat sorts (metadata_modified desc); id breaks ties
        self.order = sorted(self.modified, key=lambda key: (self.modified[key], key), reverse=True)
        self.headers = {ext: (build / "dcat" / f"header.{ext}").read_bytes() for ext in FORMATS}
        self.render = lru_cache(maxsize=2048)(self._render)

    def _render(self, request: PageRequest) -> bytes:
        ids = [key for key in self.order
               if request.modified_since is None or self.modified[key] >= request.modified_since]
        start = (request.page - 1) * PAGE_SIZE
        page_ids = ids[start:start + PAGE_SIZE]
        extra = [Triple(self.catalog_node, NamedNode(DCAT + "dataset"), NamedNode(f"{self.base}/dataset/{key}"))
                 for key in page_ids]
        if ids:
            extra.extend(_hydra(request, len(ids)))
        ext = request.extension
        parts = [self.headers[ext], serialize_triples(extra, ext, self.base)]
        parts.extend((self.build / "dataset" / f"{key}.{ext}").read_bytes() for key in page_ids)
        return join_documents(ext, parts)


def join_documents(extension: str, parts: list[bytes]) -> bytes:
    """Return one document holding the triples of every part (each a whole document in `extension`)."""
    if extension == "ttl":
        return b"".join(parts)  # Turtle allows @prefix directives anywhere in a document
    if extension == "jsonld":
        bodies = [body for part in parts if (body := part.strip()[1:-1].strip())]
        return b"[" + b",\n".join(bodies) + b"]\n"
    heads_and_bodies = [_split_rdf_xml(part) for part in parts]
    head = heads_and_bodies[0][0]
    if any(other != head for other, _ in heads_and_bodies):
        raise ValueError("RDF/XML parts were serialised with different prefixes")
    return head + b"".join(body for _, body in heads_and_bodies) + b"</rdf:RDF>\n"


def _split_rdf_xml(document: bytes) -> tuple[bytes, bytes]:
    """Return (everything up to the end of the rdf:RDF start tag, the content inside it)."""
    start = document.index(b"<rdf:RDF")
    head_end = document.index(b">", start) + 1
    if document[head_end - 2:head_end] == b"/>":  # an empty document: <rdf:RDF .../>
        return document[:head_end - 2] + b">", b"\n"
    return document[:head_end], document[head_end:document.rindex(b"</rdf:RDF>")]


def _hydra(request: PageRequest, total: int) -> list[Triple]:
    """Return the hydra:PagedCollection node ckanext-dcat adds (current, deprecated forms both)."""
    last = max(1, math.ceil(total / PAGE_SIZE))

    def url(page: int) -> str:
        params = {"modified_since": request.modified_since} if request.modified_since else {}
        return f"{request.page_url}?{urlencode({**params, 'page': page})}"

    node = NamedNode(url(request.page))
    found = [
        Triple(node, NamedNode(RDF + "type"), NamedNode(HYDRA + "PagedCollection")),
        Triple(node, NamedNode(HYDRA + "totalItems"), Literal(str(total), datatype=NamedNode(XSD + "integer"))),
        Triple(node, NamedNode(HYDRA + "itemsPerPage"), Literal(str(PAGE_SIZE), datatype=NamedNode(XSD + "integer"))),
    ]
    links = {"first": 1, "last": last}
    if request.page > 1:
        links["previous"] = min(request.page - 1, last)
    if request.page < last:
        links["next"] = request.page + 1
    for name, page in links.items():
        found.append(Triple(node, NamedNode(HYDRA + name), NamedNode(url(page))))
        found.append(Triple(node, NamedNode(HYDRA + f"{name}Page"), Literal(url(page))))
    return found


def negotiate(accept: str | None) -> str | None:
    """Return the RDF extension the Accept header asks for, or None when it prefers HTML."""
    if not accept:
        return None
    best: tuple[float, str] | None = None
    by_type = {media: ext for ext, (_, media) in FORMATS.items()} | {"application/json": "jsonld"}
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.strip().lower()
        if media == "text/html" and (best is None or quality > best[0]):
            best = (quality, "html")
        elif media in by_type and (best is None or quality > best[0]):
            best = (quality, by_type[media])
    return None if best is None or best[1] == "html" else best[1]
