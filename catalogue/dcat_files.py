"""Serialise the DCAT triples: the whole catalogue and every dataset in Turtle, JSON-LD and RDF/XML.

At 10,000 datasets this is a couple of million triples, so the work is split: each dataset is mapped
and its three files written in worker processes (one more than there are cores), each into a folder
of its own. As each batch finishes, the parent moves its files into dataset/ and copies the
datasets' bodies into the three catalogue files, in the kernel (`copy_file_range`;
`split_document` says how documents join, and the server joins pages the same way). No step
serialises millions of triples at once or reads them back into Python. (Measured at 10,000
datasets: handing documents back through the pool was 60% slower, and writing per-batch part files
to join was slower too.) `dcat/header.*` holds the catalogue node alone; `dcat/index.json` the page
order and where each dataset lies in the catalogue files.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import time
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, serialize

from catalogue.rdf import DcatMapper
from catalogue.registry import Registry
from catalogue.vocab import PREFIXES

FORMATS: dict[str, tuple[RdfFormat, str]] = {
    "ttl": (RdfFormat.TURTLE, "text/turtle"),
    "jsonld": (RdfFormat.JSON_LD, "application/ld+json"),
    "rdf": (RdfFormat.RDF_XML, "application/rdf+xml"),
}
_PARALLEL_FROM = 200  # below this many datasets, worker processes cost more than they save

# The registry the forked workers map; set in the parent just before the pool starts.
_WORK: tuple[Registry, Path, dict[str, bytes]] | None = None


def prefixes_for(base: str, extension: str) -> dict[str, str] | None:
    return {**PREFIXES, "msr": base + "/ns#"} if FORMATS[extension][0] is not RdfFormat.JSON_LD else None


def serialize_triples(triples: Iterable[Triple], extension: str, base: str, *, ordered: bool = False) -> bytes:
    """Return `triples` serialised in the format of `extension`, sorted (so builds diff cleanly)
    unless the caller says they already are."""
    return serialize(triples if ordered else sorted(triples, key=str), format=FORMATS[extension][0],  # type: ignore[no-any-return]
                     prefixes=prefixes_for(base, extension))


def body_span(extension: str, document: bytes) -> tuple[int, int]:
    """Return where the body of a whole document lies (start, end): the bodies of documents in one
    format, joined with JOINERS[extension] between them and one head and tail around, make one document.

    Turtle documents concatenate (prefix directives may come anywhere); JSON-LD documents are
    top-level arrays of node objects; RDF/XML documents from one serialiser with one prefix map
    share their root element.
    """
    if extension == "ttl":
        return 0, len(document)
    if extension == "jsonld":
        start, end = document.index(b"[") + 1, document.rindex(b"]")
        while start < end and document[start] in b" \t\r\n":
            start += 1
        while end > start and document[end - 1] in b" \t\r\n":
            end -= 1
        return start, end
    open_tag = document.index(b"<rdf:RDF")
    head_end = document.index(b">", open_tag) + 1
    if document[head_end - 2:head_end] == b"/>":  # an empty document: <rdf:RDF .../>
        return head_end, head_end
    return head_end, document.rindex(b"</rdf:RDF>")


def split_document(extension: str, document: bytes) -> tuple[bytes, bytes, bytes]:
    """Return (head, body, tail) of a whole document (see body_span)."""
    start, end = body_span(extension, document)
    if extension == "rdf" and start == end:  # <rdf:RDF .../> opens no element for bodies to go into
        return document[:document.rindex(b"/>")] + b">", b"", b"</rdf:RDF>\n"
    tail = {"ttl": b"", "jsonld": b"]\n", "rdf": b"</rdf:RDF>\n"}[extension]
    return document[:start] if extension != "jsonld" else b"[", document[start:end], tail


JOINERS = {"ttl": b"", "jsonld": b",\n", "rdf": b""}


# Where, in a dataset's file, the body that goes into the catalogue file lies: (offset, length).
Spans = dict[str, list[tuple[str, int, int]]]


def _write_datasets(dataset_ids: list[str]) -> tuple[int, Spans]:
    """Map and write each dataset's three files (in a worker); return how many triples they hold and,
    for each format, where in each file the body lies, for the catalogue file to copy."""
    assert _WORK is not None
    registry, out, heads = _WORK
    mapper = DcatMapper(registry)
    base = registry.catalogue.base_uri
    spans: Spans = {ext: [] for ext in FORMATS}
    count = 0
    # Each worker writes into a folder of its own: two processes creating files in one ext4 folder
    # contend for it (measured: 30,000 files took twice as long); the parent moves them into dataset/.
    folder = out / "dcat" / f"worker-{os.getpid()}"
    folder.mkdir(exist_ok=True)
    for dataset_id in dataset_ids:
        triples = mapper.dataset_triples(registry.datasets[dataset_id])
        count += len(triples)
        for extension in FORMATS:
            document = serialize_triples(triples, extension, base, ordered=True)
            path = folder / f"{dataset_id}.{extension}"
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                os.write(fd, document)
            finally:
                os.close(fd)
            start, end = body_span(extension, document)
            if extension == "rdf" and document[:start] != heads["rdf"]:
                raise ValueError(f"{dataset_id}: RDF/XML serialised with other prefixes than the catalogue")
            spans[extension].append((str(path), start, end - start))
    return count, spans


class _CatalogueFile:
    """One catalogue file being written: a first document, then bodies copied in from dataset files
    by the kernel (no read into Python), then the tail. `spans` records where each body landed."""

    def __init__(self, path: Path, extension: str, first: bytes) -> None:
        self.extension = extension
        head, body, self.tail = split_document(extension, first)
        self.file = path.open("wb")
        self.file.write(head + body)
        self.file.flush()
        self.position = len(head) + len(body)
        self.wrote_body = bool(body)
        self.spans: list[tuple[int, int]] = []

    def copy(self, spans: list[tuple[str, int, int]]) -> None:
        joiner = JOINERS[self.extension]
        fd = self.file.fileno()
        for path, offset, length in spans:
            if length and self.wrote_body and joiner:
                self.position += os.write(fd, joiner)
            start = self.position
            source = os.open(path, os.O_RDONLY)
            try:
                done = 0
                while done < length:
                    done += os.copy_file_range(source, fd, length - done, offset + done)
            finally:
                os.close(source)
            self.position += length
            self.wrote_body = self.wrote_body or bool(length)
            self.spans.append((start, self.position))

    def close(self) -> None:
        os.write(self.file.fileno(), self.tail)
        self.file.close()


def page_order(registry: Registry) -> list[str]:
    """Newest change first, as ckanext-dcat pages (metadata_modified desc); the id breaks ties.

    The catalogue files list datasets in this order, so that every page, filtered by
    modified_since or not, is one contiguous run of bytes in them."""
    return sorted(registry.datasets, key=lambda key: (registry.modified(key), key), reverse=True)


def write_dcat(registry: Registry, out: Path, timings: dict[str, float] | None = None) -> None:
    """Write catalog.{ttl,jsonld,rdf}, dataset/<id>.{ttl,jsonld,rdf}, dcat/header.* (the catalogue
    node alone) and dcat/index.json (page order, and where each dataset lies in the catalogue files).

    `timings`, if given, receives the seconds each part took (for the benchmark).
    """
    global _WORK
    timings = {} if timings is None else timings
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock
        clock = now

    mapper = DcatMapper(registry)
    base = registry.catalogue.base_uri
    (out / "dataset").mkdir(exist_ok=True)
    (out / "dcat").mkdir(exist_ok=True)
    header = mapper.catalog_triples([])
    heads = {}
    for extension in FORMATS:
        document = serialize_triples(header, extension, base, ordered=True)
        (out / "dcat" / f"header.{extension}").write_bytes(document)
        heads[extension] = split_document(extension, document)[0]

    ids = page_order(registry)
    links = mapper.catalog_triples(ids)
    files = {ext: _CatalogueFile(out / f"catalog.{ext}", ext, serialize_triples(links, ext, base, ordered=True))
             for ext in FORMATS}
    # one worker more than cores: each waits on its file writes part of the time (measured at 10,000
    # datasets on 2 cores: 3 workers 9.5-13.1 s, 2 workers 10.8-14.8 s)
    workers = min((os.cpu_count() or 1) + 1, 5)
    size = max(50, len(ids) // (workers * 32))
    batches = [ids[i:i + size] for i in range(0, len(ids), size)]
    _WORK = (registry, out, heads)
    count = 0
    try:
        if len(ids) < _PARALLEL_FROM or workers <= 2:
            results: Iterable[tuple[int, Spans]] = map(_write_datasets, batches)
            count = _copy_into(files, results, out / "dataset")
        else:
            gc.freeze()  # keep the registry's pages shared with the workers (no collection writes to them)
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                count = _copy_into(files, pool.imap(_write_datasets, batches), out / "dataset")
    finally:
        _WORK = None
        gc.unfreeze()
        for file in files.values():
            file.close()
    for folder in (out / "dcat").glob("worker-*"):
        folder.rmdir()  # empty: every file was moved
    index = {"base_uri": base, "order": ids, "modified": [registry.modified(key) for key in ids],
             "spans": {ext: file.spans for ext, file in files.items()}}
    (out / "dcat" / "index.json").write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
    timings["triples"] = float(count)
    lap("datasets and the catalogue, three formats each")


def _copy_into(files: dict[str, _CatalogueFile], results: Iterable[tuple[int, Spans]], dataset_dir: Path) -> int:
    """As batches finish, in order: copy their bodies into the catalogue files and move their files
    into `dataset_dir`; return the triple count."""
    count = 0
    for batch_count, spans in results:
        count += batch_count
        for extension, found in spans.items():
            files[extension].copy(found)
            for path, _, _ in found:
                os.rename(path, dataset_dir / os.path.basename(path))
    return count
