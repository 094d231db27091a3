"""Serialise the DCAT triples: the whole catalogue and every dataset in Turtle, JSON-LD and RDF/XML.

At 10,000 datasets this is a couple of million triples, so the work is split: each dataset is mapped
and its three files written in worker processes (one more than there are cores), each into a folder
of its own. As each batch finishes, the parent moves its files into dataset/ and copies the
datasets' bodies into the three catalogue files, in the kernel (`copy_file_range`;
`split_document` says how documents join, and the server joins pages the same way). No step
serialises millions of triples at once or reads them back into Python. (Measured at 10,000
datasets: handing documents back through the pool was 60% slower, and writing per-batch part files
to join was slower too.)

Shared nodes (agents, concepts, licences: 30% of a dataset's triples) are serialised once per
worker: a dataset's file ends with those it points at, and the catalogue files end with each of
them once. `dcat/header.*` holds the catalogue node and the shared nodes; `dcat/index.json` the page
order and where each dataset lies in the catalogue files.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from pyoxigraph import RdfFormat, Triple, serialize

from catalogue import parallel
from catalogue.dcat.mapping import DcatMapper
from catalogue.dcat.measurements import Measurement
from catalogue.dcat.namespaces import PREFIXES
from catalogue.dcat.reuse import DCAT, Kept, dataset_keys, kept_datasets, write_manifest
from catalogue.layout import BuildLayout, DcatIndex, link_or_copy
from catalogue.records.registry import Registry

FORMATS: dict[str, tuple[RdfFormat, str]] = {
    "ttl": (RdfFormat.TURTLE, "text/turtle"),
    "jsonld": (RdfFormat.JSON_LD, "application/ld+json"),
    "rdf": (RdfFormat.RDF_XML, "application/rdf+xml"),
}
_PARALLEL_FROM = 200  # below this many datasets, worker processes cost more than they save

# The registry the forked workers map; set in the parent just before the pool starts.
_WORK: tuple[Registry, Path, dict[str, bytes], Mapping[str, list[Measurement]] | None] | None = None
# A worker's serialiser, made on its first batch.
_BODIES: _Bodies | None = None


def prefixes_for(base: str, extension: str) -> dict[str, str] | None:
    return {**PREFIXES, "msr": base + "/ns#"} if FORMATS[extension][0] is not RdfFormat.JSON_LD else None


def serialize_triples(triples: Iterable[Triple], extension: str, base: str, *, ordered: bool = False) -> bytes:
    """Return `triples` serialised in the format of `extension`, sorted (so builds diff cleanly)
    unless the caller says they already are."""
    data = serialize(
        triples if ordered else sorted(triples, key=str),
        format=FORMATS[extension][0],
        prefixes=prefixes_for(base, extension),
    )
    assert data is not None  # pyoxigraph returns the bytes when it is given no file to write
    return data


def body_span(extension: str, document: bytes) -> tuple[int, int]:
    """Return where the body of a whole document lies (start, end): the bodies of documents in one
    format, joined with JOINERS[extension] between them and one head and tail around, make one document.

    Turtle bodies follow the prefix directives; JSON-LD documents are top-level arrays of node
    objects; RDF/XML documents from one serialiser with one prefix map share their root element.
    """
    if extension == "ttl":
        start = 0
        while document.startswith(b"@prefix ", start):
            start = document.index(b"\n", start) + 1
        return start, len(document)
    if extension == "jsonld":
        start, end = document.index(b"[") + 1, document.rindex(b"]")
        while start < end and document[start] in b" \t\r\n":
            start += 1
        while end > start and document[end - 1] in b" \t\r\n":
            end -= 1
        return start, end
    open_tag = document.index(b"<rdf:RDF")
    head_end = document.index(b">", open_tag) + 1
    if document[head_end - 2 : head_end] == b"/>":  # an empty document: <rdf:RDF .../>
        return head_end, head_end
    return head_end, document.rindex(b"</rdf:RDF>")


JOINERS = {"ttl": b"", "jsonld": b",\n", "rdf": b""}
TAILS = {"ttl": b"", "jsonld": b"]\n", "rdf": b"</rdf:RDF>\n"}


def split_document(extension: str, document: bytes) -> tuple[bytes, bytes, bytes]:
    """Return (head, body, tail) of a whole document (see body_span)."""
    start, end = body_span(extension, document)
    if extension == "rdf" and start == end:  # <rdf:RDF .../> opens no element for bodies to go into
        return document[: document.rindex(b"/>")] + b">", b"", TAILS["rdf"]
    return document[:start] if extension != "jsonld" else b"[", document[start:end], TAILS[extension]


class _Bodies:
    """Serialises bodies (documents without head and tail) with one mapper, and the bodies of the
    shared nodes it made, each once per format."""

    def __init__(self, mapper: DcatMapper, base: str, heads: dict[str, bytes]) -> None:
        self.mapper = mapper
        self.base = base
        self.heads = heads
        self.shared: dict[str, dict[str, bytes]] = {}  # key -> format -> body
        self.sizes: dict[str, int] = {}  # key -> how many triples

    def body(self, triples: list[Triple], extension: str) -> bytes:
        document = serialize_triples(triples, extension, self.base, ordered=True)
        start, end = body_span(extension, document)
        if extension != "jsonld" and document[:start] != self.heads[extension]:
            raise ValueError(f"a {extension} document serialised with other prefixes than the catalogue")
        return document[start:end]

    def of_shared(self, key: str) -> dict[str, bytes]:
        found = self.shared.get(key)
        if found is None:
            triples = self.mapper.shared_triples(key)
            found = self.shared[key] = {ext: self.body(triples, ext) for ext in FORMATS}
            self.sizes[key] = len(triples)
        return found

    def document(self, extension: str, own: bytes, uses: Iterable[str]) -> bytes:
        """Return a whole document: `own` body and the bodies of the shared nodes `uses`."""
        parts = [own, *(self.of_shared(key)[extension] for key in uses)]
        return self.heads[extension] + JOINERS[extension].join(part for part in parts if part) + TAILS[extension]


# Where, in a dataset's file, the body that goes into the catalogue file lies: (offset, length).
Spans = dict[str, list[tuple[str, int, int]]]
# What a build wrote of each dataset, for the next to reuse: (shared nodes it points at, per format
# [size of its file, length of its body]).
Written = dict[str, tuple[list[str], dict[str, list[int]]]]
# A batch's result: triples written, spans, the bodies of shared nodes this worker had not yet sent,
# and what it wrote of each dataset.
Batch = tuple[int, Spans, dict[str, dict[str, bytes]], Written]


def _write_datasets(dataset_ids: list[str]) -> Batch:
    """Map and write each dataset's three files (in a worker); return how many triples they hold,
    for each format where in each file the body lies, for the catalogue file to copy, and the bodies
    of shared nodes first serialised in this worker, for the catalogue file's end."""
    global _BODIES
    assert _WORK is not None
    registry, out, heads, measurements = _WORK
    if _BODIES is None:  # once per worker process: shared nodes are serialised once per worker
        _BODIES = _Bodies(DcatMapper(registry, measurements=measurements), registry.catalogue.base_uri, heads)
    bodies = _BODIES
    sent = set(bodies.shared)
    spans: Spans = {ext: [] for ext in FORMATS}
    written: Written = {}
    count = 0
    # Each worker writes into a folder of its own: two processes creating files in one ext4 folder
    # contend for it (measured: 30,000 files took twice as long); the parent moves them into dataset/.
    folder = BuildLayout(out).dcat_worker_dir(os.getpid())
    folder.mkdir(exist_ok=True)
    for dataset_id in dataset_ids:
        described = bodies.mapper.dataset(registry.datasets[dataset_id])
        lengths = {}
        for extension in FORMATS:
            own = bodies.body(described.triples, extension)
            path = folder / f"{dataset_id}.{extension}"
            document = bodies.document(extension, own, described.uses)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                os.write(fd, document)
            finally:
                os.close(fd)
            spans[extension].append((str(path), len(heads[extension]), len(own)))
            lengths[extension] = [len(document), len(own)]
        written[dataset_id] = (list(described.uses), lengths)
        count += len(described.triples) + sum(bodies.sizes[key] for key in described.uses)
    return count, spans, {key: found for key, found in bodies.shared.items() if key not in sent}, written


class _CatalogueFile:
    """One catalogue file being written: head and first body, then bodies copied in from dataset
    files by the kernel (no read into Python), then the shared nodes and the tail. `spans` records
    where each copied body landed."""

    def __init__(self, path: Path, extension: str, head: bytes, first: bytes) -> None:
        self.extension = extension
        self.file = path.open("wb")
        self.file.write(head + first)
        self.file.flush()
        self.position = len(head) + len(first)
        self.wrote_body = bool(first)
        self.spans: list[tuple[int, int]] = []

    def copy(self, spans: list[tuple[str, int, int]]) -> None:
        joiner = JOINERS[self.extension]
        fd = self.file.fileno()
        opened: tuple[str, int] | None = None  # consecutive spans of one file (the previous build's) share a descriptor
        try:
            for path, offset, length in spans:
                if length and self.wrote_body and joiner:
                    self.position += os.write(fd, joiner)
                start = self.position
                if opened is None or opened[0] != path:
                    if opened is not None:
                        os.close(opened[1])
                        opened = None
                    opened = (path, os.open(path, os.O_RDONLY))
                done = 0
                while done < length:
                    copied = os.copy_file_range(opened[1], fd, length - done, offset + done)
                    if not copied:
                        raise OSError(f"{path} ended before byte {offset + length}")
                    done += copied
                self.position += length
                self.wrote_body = self.wrote_body or bool(length)
                self.spans.append((start, self.position))
        finally:
            if opened is not None:
                os.close(opened[1])

    def close(self, last: bytes = b"") -> None:
        """Write `last` (bodies), then the tail, and close."""
        fd = self.file.fileno()
        if last:
            os.write(fd, (JOINERS[self.extension] if self.wrote_body else b"") + last)
        os.write(fd, TAILS[self.extension])
        self.file.close()


def page_order(registry: Registry) -> list[str]:
    """Newest change first, as ckanext-dcat pages (metadata_modified desc); the id breaks ties.

    The catalogue files list datasets in this order, so that every page, filtered by
    modified_since or not, is one contiguous run of bytes in them."""
    return sorted(registry.datasets, key=lambda key: (registry.modified(key), key), reverse=True)


def write_dcat(
    registry: Registry,
    out: Path,
    timings: dict[str, float] | None = None,
    measurements: Mapping[str, list[Measurement]] | None = None,
    previous: Path | None = None,
) -> None:
    """Write catalog.{ttl,jsonld,rdf}, dataset/<id>.{ttl,jsonld,rdf}, dcat/header.* (the catalogue
    node and the shared nodes, without the dataset links) and dcat/index.json (page order, and where
    each dataset lies in the catalogue files).

    A dataset's document is its own triples, then the shared nodes it points at; the catalogue files
    hold each dataset's own triples, then every shared node once.
    `timings`, if given, receives the seconds each part took (for the benchmark); `measurements`, if
    given, are each dataset's metadata quality points (see DcatMapper). A dataset whose key
    (dcat/reuse.py) the build `previous` holds is not mapped again: its files are linked from it and
    its bodies copied from its catalogue files, which are the bytes it would be written as.
    """
    global _WORK, _BODIES
    timings = {} if timings is None else timings
    started = time.perf_counter()
    mapper = DcatMapper(registry, measurements=measurements)
    base = registry.catalogue.base_uri
    layout = BuildLayout(out)
    layout.dataset_dir.mkdir(exist_ok=True)
    layout.dcat_dir.mkdir(exist_ok=True)
    catalog = {
        ext: split_document(ext, serialize_triples(mapper.catalog([]).triples, ext, base, ordered=True))
        for ext in FORMATS
    }  # the catalogue node alone: (head, body, tail) in each format
    heads = {ext: head for ext, (head, _, _) in catalog.items()}
    bodies = _Bodies(mapper, base, heads)
    ids = page_order(registry)
    keys = {
        key: hashlib.sha256(f"{own}\0{(measurements or {}).get(key)!r}".encode()).hexdigest()
        for key, own in dataset_keys(registry, DCAT).items()
    }
    kept = kept_datasets(previous, keys, tuple(FORMATS))
    written: Written = {}
    links = mapper.catalog(ids)
    files = {
        ext: _CatalogueFile(layout.catalog(ext), ext, heads[ext], bodies.body(links.triples, ext)) for ext in FORMATS
    }
    for key in links.uses:
        bodies.of_shared(key)
    # one worker more than cores, so that a core stays busy while a worker waits on its file writes
    # (at 10,000 datasets on tmpfs, where nothing waits, 2 and 3 workers measured the same)
    workers = parallel.worker_count(extra=1, most=5)
    _WORK, _BODIES = (registry, out, heads, measurements), None
    count = 0
    try:
        fresh = [key for key in ids if key not in kept]
        with parallel.batch_results(
            _write_datasets,
            fresh,
            workers=workers,
            batches_per_worker=32,
            parallel_from=_PARALLEL_FROM,
            fewest_workers=3,
        ) as results:
            if not kept:  # a build from nothing: each batch is copied in as it comes
                count = _copy_into(files, results, layout.dataset_dir, bodies.shared, written)
            else:
                count = _splice(files, results, layout, bodies.shared, written, ids, kept, previous)  # type: ignore[arg-type]
        for key, (uses, _) in kept.items():  # shared nodes only kept datasets point at: map one of them here
            if any(use not in bodies.shared for use in uses):
                bodies.mapper.dataset(registry.datasets[key])
                for use in uses:
                    bodies.of_shared(use)
    except BaseException:
        for file in files.values():
            file.file.close()
        raise
    finally:
        _WORK, _BODIES = None, None
    shared = {ext: JOINERS[ext].join(bodies.shared[key][ext] for key in sorted(bodies.shared)) for ext in FORMATS}
    for ext, file in files.items():
        file.close(shared[ext])
        header = catalog[ext][1]
        layout.dcat_header(ext).write_bytes(
            heads[ext] + JOINERS[ext].join(part for part in (header, shared[ext]) if part) + TAILS[ext]
        )
    for key, (uses, found) in kept.items():
        written[key] = (uses, {ext: [size, body] for ext, (_, body, size) in found.items()})
    write_manifest(
        layout.dcat_reuse,
        DCAT,
        {
            "files": {ext: layout.catalog(ext).stat().st_size for ext in FORMATS},
            "datasets": {key: [keys[key], *written[key]] for key in ids if key in keys},
        },
    )
    for folder in layout.dcat_dir.glob("worker-*"):
        folder.rmdir()  # empty: every file was moved
    layout.write_dcat_index(
        DcatIndex(
            base_uri=base,
            order=ids,
            modified=[registry.modified(key) for key in ids],
            spans={ext: file.spans for ext, file in files.items()},
        )
    )
    timings["triples"] = float(count)
    timings["datasets and the catalogue, three formats each"] = time.perf_counter() - started


def _taken(
    results: Iterable[Batch], dataset_dir: Path, shared: dict[str, dict[str, bytes]], written: Written
) -> Iterator[tuple[int, Written, Spans]]:
    """Each batch as it finishes, in order, once its shared nodes' bodies are kept in `shared`, what it
    wrote in `written`, and its files moved into `dataset_dir`: its triple count, what it wrote, and its
    bodies' spans in the moved files."""
    for batch_count, spans, new_shared, batch_written in results:
        written.update(batch_written)
        for key, found in new_shared.items():
            shared.setdefault(key, found)
        moved: Spans = {}
        for extension, found_spans in spans.items():
            moved[extension] = []
            for path, offset, length in found_spans:
                target = dataset_dir / os.path.basename(path)
                os.rename(path, target)
                moved[extension].append((str(target), offset, length))
        yield batch_count, batch_written, moved


def _copy_into(
    files: dict[str, _CatalogueFile],
    results: Iterable[Batch],
    dataset_dir: Path,
    shared: dict[str, dict[str, bytes]],
    written: Written,
) -> int:
    """As batches finish, in order (`_taken`), copy their bodies into the catalogue files; return the
    triple count."""
    count = 0
    for batch_count, _, moved in _taken(results, dataset_dir, shared, written):
        count += batch_count
        for extension, found_spans in moved.items():
            files[extension].copy(found_spans)
    return count


def _splice(
    files: dict[str, _CatalogueFile],
    results: Iterable[Batch],
    layout: BuildLayout,
    shared: dict[str, dict[str, bytes]],
    written: Written,
    ids: list[str],
    kept: dict[str, Kept],
    previous: Path,
) -> int:
    """Write the datasets not `kept` (their batches in `results`, `_taken`), link the kept ones' files from
    `previous`, then copy every body into the catalogue files in page order, from the new files or
    from the previous catalogue files; return the triple count of the new datasets."""
    count = 0
    sources: dict[str, dict[str, tuple[str, int, int]]] = {}
    for batch_count, batch_written, moved in _taken(results, layout.dataset_dir, shared, written):
        count += batch_count
        for extension, found_spans in moved.items():
            for span, dataset_id in zip(found_spans, batch_written, strict=True):
                sources.setdefault(dataset_id, {})[extension] = span
    before = BuildLayout(previous)
    for dataset_id in kept:
        for extension in FORMATS:
            link_or_copy(before.dataset_file(dataset_id, extension), layout.dataset_file(dataset_id, extension))
    for extension, file in files.items():
        old = str(before.catalog(extension))
        file.copy([sources[key][extension] if key in sources else (old, *kept[key][1][extension][:2]) for key in ids])
    return count
