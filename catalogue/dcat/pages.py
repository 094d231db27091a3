"""Pages of the DCAT catalogue, as ckanext-dcat serves them: 100 datasets a page, newest change first.

A page is made of what the build serialised (the catalogue header, and the page's datasets, which lie
next to each other in the catalogue file) plus one small document made per request (the page's
dcat:dataset links and its hydra paging node), joined as dcat_files.split_document says. No request
parses or re-serialises the catalogue; pages are cached by (format, page, filter, URL).
"""

from __future__ import annotations

import bisect
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from pyoxigraph import Literal, NamedNode, Triple

from catalogue.cache import BoundedCache
from catalogue.dcat.files import FORMATS, JOINERS, serialize_triples, split_document
from catalogue.dcat.namespaces import DCAT, HYDRA, RDF, XSD
from catalogue.layout import BuildLayout
from catalogue.records.values import utc_moment

PAGE_SIZE = 100
CACHE_BYTES = 64 * 1024 * 1024  # rendered pages kept; a Turtle page of 100 datasets is about 0.4 MB


class BadParameter(ValueError):
    """A query parameter a client sent that we cannot use; the message is shown to the client."""


@dataclass(frozen=True)
class PageRequest:
    extension: str
    page: int
    modified_since: str | None
    page_url: str  # the catalogue URL the client used, without query, e.g. http://127.0.0.1:8000/catalog.ttl


_PAGE = re.compile(r"[0-9]{1,9}")  # ASCII digits only ('²' is a digit to str.isdigit), and no 4,300-digit int


def parse_page(value: str | None) -> int:
    if value is None:
        return 1
    if not _PAGE.fullmatch(value) or int(value) < 1:
        raise BadParameter("Page param must be a positive integer starting in 1")
    return int(value)


def parse_modified_since(value: str | None) -> str | None:
    """Return `value` as a CKAN-style UTC timestamp, or raise BadParameter."""
    if value is None:
        return None
    try:
        moment = utc_moment(value)
    except ValueError:
        raise BadParameter(
            "Wrong modified date format. Use ISO-8601 format, e.g. 2024-01-31 or 2024-01-31T10:00:00Z"
        ) from None
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds")


class DcatCatalogue:
    """The build's DCAT output, ready to page: a page is the catalogue node, the page's links and
    paging node, and one contiguous run of the catalogue file (the build wrote datasets in page order,
    so a page, filtered or not, is read with one pread)."""

    def __init__(self, build: Path) -> None:
        layout = BuildLayout(build)
        index = layout.read_dcat_index()
        self.base = index["base_uri"]
        self.catalog_node = NamedNode(f"{self.base}/catalog")
        self.order: list[str] = index["order"]
        self.ids = frozenset(self.order)
        self.ascending = sorted(index["modified"])
        self.spans = index["spans"]
        self.headers = {ext: split_document(ext, layout.dcat_header(ext).read_bytes()) for ext in FORMATS}
        # file objects (not bare descriptors): closed when a rebuild (serve --watch) drops this catalogue
        self.files = {ext: layout.catalog(ext).open("rb") for ext in FORMATS}
        self.cache: BoundedCache[bytes] = BoundedCache(CACHE_BYTES)

    def close(self) -> None:
        """Close the catalogue files (a rebuild replaces this catalogue with another)."""
        for file in self.files.values():
            file.close()

    def count_since(self, modified_since: str | None) -> int:
        """How many datasets changed at or after `modified_since` (all if None): the first so many in order."""
        if modified_since is None:
            return len(self.order)
        return len(self.ascending) - bisect.bisect_left(self.ascending, modified_since)

    def render(self, request: PageRequest) -> bytes:
        """Return the page `request` asks for, from the cache when it was rendered before."""
        found = self.cache.get(request)
        if found is None:
            found = self._render(request)
            self.cache.put(request, found, len(found))
        return found

    def _render(self, request: PageRequest) -> bytes:
        ext = request.extension
        total = self.count_since(request.modified_since)
        start = (request.page - 1) * PAGE_SIZE
        end = min(start + PAGE_SIZE, total)
        page_ids = self.order[start:end]
        extra = [
            Triple(self.catalog_node, NamedNode(DCAT + "dataset"), NamedNode(f"{self.base}/dataset/{key}"))
            for key in page_ids
        ]
        if total:
            extra.extend(_hydra(request, total))
        head, header_body, tail = self.headers[ext]
        bodies = [header_body, split_document(ext, serialize_triples(extra, ext, self.base))[1]]
        if page_ids:
            first, last = self.spans[ext][start][0], self.spans[ext][end - 1][1]
            bodies.append(os.pread(self.files[ext].fileno(), last - first, first))
        return head + JOINERS[ext].join(body for body in bodies if body) + tail


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


# What /catalog and /dataset/<id> can answer, in the server's order of preference (HTML first: the
# page is for people, and whoever accepts anything is most likely a browser); application/json asked
# for by name gets JSON-LD, but no wildcard reaches it.
_OFFERS = [("text/html", None), *((media, ext) for ext, (_, media) in FORMATS.items())]
_ALIASES = {"application/json": "application/ld+json"}


def negotiate(accept: str | None) -> str | None:
    """Return the RDF extension the Accept header asks for, or None for the HTML page (RFC 9110 12.5.1).

    Each representation we offer takes the quality of the most specific range that matches it
    (`text/turtle` over `text/*` over `*/*`, so `text/*, text/html;q=0` means Turtle); a range with
    q=0 makes it unacceptable. The highest quality wins; on a tie, a type named outright beats a
    wildcard, then the one listed first, then the server's preference (HTML, Turtle, JSON-LD,
    RDF/XML). When nothing we offer is acceptable the header is ignored and HTML is served."""
    if not accept:
        return None
    ranges: list[tuple[str, float, int]] = []
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        media = media.strip().lower()
        if media.count("/") == 1:
            ranges.append((_ALIASES.get(media, media), quality, position))
    best: tuple[float, int, int, int, str | None] | None = None
    for rank, (media, extension) in enumerate(_OFFERS):
        kind = media.split("/")[0] + "/*"
        matches = [
            (3 if r == media else 1 if r == kind else 0, q, pos) for r, q, pos in ranges if r in (media, kind, "*/*")
        ]
        if not matches:
            continue
        specificity, quality, position = max(matches)  # the most specific range decides (RFC 9110 12.5.1)
        if quality <= 0:
            continue  # q=0: "not acceptable" (12.4.2)
        candidate = (quality, specificity, -position, -rank, extension)
        if best is None or candidate[:4] > best[:4]:
            best = candidate
    return None if best is None else best[4]
