"""Import dataset records from a DCAT catalogue: a file, or a URL whose pages are followed to the end.

Formats: Turtle, JSON-LD, RDF/XML (and N-Triples), from the file's suffix or the server's
Content-Type, parsed by rdf.py (no local file read, no XML entities). Paging as ckanext-dcat and
this registry do it: a hydra:PagedCollection node whose hydra:next (or older hydra:nextPage
literal) names the next page, followed within the limits (limits.py: pages, datasets, bytes,
time). Each dataset maps through dcat/reader.py's read_record, the inverse of our own DCAT
mapping; what does not map is listed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urljoin

from rdflib import Graph, URIRef

from catalogue.dcat.namespaces import HYDRA
from catalogue.dcat.reader import catalogue_base, dataset_uris, read_record, unmapped
from catalogue.importing import rdf
from catalogue.importing.http import Fetcher, ImportError_, read_local
from catalogue.importing.staging import Imported

FORMATS_BY_SUFFIX = {
    ".ttl": "turtle",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".nt": "nt",
}
FORMATS_BY_MEDIA = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/n-triples": "nt",
}
ACCEPT = "text/turtle, application/ld+json;q=0.9, application/rdf+xml;q=0.8"


def rdf_media_type(content_type: str | None) -> str | None:
    """Return the rdflib format for an HTTP Content-Type, or None if it is not RDF."""
    return FORMATS_BY_MEDIA.get((content_type or "").split(";")[0].strip().lower())


def read_file(path: Path, fetcher: Fetcher) -> Graph:
    """Return the graph of a local DCAT file, read within the byte cap and parsed as a remote one is
    (the file may have come from anywhere: its contexts and entities are treated alike)."""
    if not path.is_file():
        raise ImportError_(f"{path}: no such file (a catalogue URL starts with http:// or https://)")
    fmt = FORMATS_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        raise ImportError_(
            f"{path}: cannot tell the RDF format from the suffix {path.suffix!r} "
            f"(use one of {', '.join(sorted(FORMATS_BY_SUFFIX))})"
        )
    return rdf.parse(read_local(str(path), fetcher.limits), fmt, path.resolve().as_uri(), fetcher)


def fetch_pages(url: str, fetcher: Fetcher, *, progress: Callable[[int, int], None] | None = None) -> Iterator[Graph]:
    """Yield the graph of each page of the catalogue at `url`, following hydra paging to the end,
    within the fetcher's limits on pages and datasets."""
    limits = fetcher.limits
    seen: set[str] = set()
    datasets = 0
    next_url: str | None = url
    while next_url and next_url not in seen:
        limits.check_pages(len(seen), url)
        seen.add(next_url)
        response = fetcher.get(next_url, accept=ACCEPT)
        fmt = rdf_media_type(response.content_type)
        if response.status != 200 or fmt is None:
            raise ImportError_(
                f"{next_url} answered {response.status} {response.content_type or 'with no Content-Type'}, not RDF"
            )
        graph = rdf.parse(response.body, fmt, next_url, fetcher)
        declared = _total_items(graph)
        if declared is not None:
            limits.check_datasets(declared, url, declared=True)
        datasets += len(dataset_uris(graph))
        limits.check_datasets(datasets, url)
        if progress:
            progress(datasets, declared or datasets)
        yield graph
        next_url = _next_page(graph, next_url)


def _paging_node(graph: Graph) -> URIRef | None:
    """Return the hydra node that describes this page (ckanext-dcat: a hydra:PagedCollection)."""
    candidates = [
        *graph.subjects(URIRef(HYDRA + "totalItems"), None),
        *graph.subjects(URIRef(HYDRA + "next"), None),
        *graph.subjects(URIRef(HYDRA + "nextPage"), None),
    ]
    return candidates[0] if candidates else None  # type: ignore[return-value]


def _total_items(graph: Graph) -> int | None:
    node = _paging_node(graph)
    total = graph.value(node, URIRef(HYDRA + "totalItems")) if node is not None else None
    return int(str(total)) if total is not None and str(total).isdigit() else None


def _next_page(graph: Graph, current: str) -> str | None:
    node = _paging_node(graph)
    if node is None:
        return None
    for predicate in ("next", "nextPage"):
        value = graph.value(node, URIRef(HYDRA + predicate))
        if value is not None:
            return urljoin(current, str(value))
    return None


def map_graph(graph: Graph) -> Iterator[Imported]:
    """Yield each dataset of `graph` as a record, with what could not be mapped."""
    base = catalogue_base(graph) or ""
    for uri in dataset_uris(graph):
        yield Imported(read_record(graph, uri, base), unmapped(graph, uri, base))


def fetch_records(
    source: str, fetcher: Fetcher, *, progress: Callable[[int, int], None] | None = None
) -> Iterator[Imported]:
    """Yield every dataset of the DCAT catalogue at `source` (a file path or an http(s) URL)."""
    if not source.startswith(("http://", "https://")):
        graph = read_file(Path(source), fetcher)
        count = len(dataset_uris(graph))
        fetcher.limits.check_datasets(count, source)
        if progress:
            progress(count, count)
        yield from map_graph(graph)
        return
    for graph in fetch_pages(source, fetcher, progress=progress):
        yield from map_graph(graph)


__all__ = ["ACCEPT", "fetch_records", "rdf_media_type"]
