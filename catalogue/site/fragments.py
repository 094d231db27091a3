"""Parts of the generated pages taken from the previous build when the record they show has not changed.

The pages that gather from every record (the asks pages, the data-gaps register) are rendered whole at
every build, and at 10,000 records rendering them was most of a one-record rebuild. Their templates mark
each record's part with `{% cached d %}...{% endcached %}` (or `{% cached d, other, ... %}` when the part
shows more than the record `d`, such as labels found across records). A part's HTML is a function of
exactly: the record (its id and content hash, as stamped), the other values named in the tag, the template
and line of the tag, and what every page shares (`salt`: the site's code and templates, the catalogue
record, the agents, the site's address). `Fragments` hashes those into the part's key, and a part whose
key the previous build stored is taken from there instead of rendered again, so the bytes are the ones a
build from nothing writes (the byte-equality tests build both ways and compare every file).

A part must not do anything but return its HTML: no heading added to a page's table of contents, no HTML
block of its own (those happen only when the part is rendered). Every part a build uses is written, one
after another, into one file of the build (`BuildLayout.fragments`), and its key, offset and length go
into the page manifest (reuse.py), which is read as untrusted: an entry of another shape, outside the
file, or not UTF-8 is a part rendered again.
"""

from __future__ import annotations

import hashlib
import json
import mmap
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import groupby
from pathlib import Path
from typing import IO, Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

from catalogue.records.model import Dataset

FORMAT = "catalogue-fragments 1"
_current: Fragments | None = None  # the site build rendering now, if it keeps parts


class Fragments:
    """One site build's parts: the previous build's (read from its file as asked for) and this build's."""

    def __init__(self, salt: str, hashes: dict[str, str], previous: tuple[Path, dict[str, Any]] | None) -> None:
        """`salt`: what every part shares; `hashes`: each record's content hash by id; `previous`: the
        previous build's fragments file and its index as the page manifest held it."""
        self.salt = salt
        self.hashes = hashes
        self.index: dict[str, list[int]] = {}  # this build's parts: key -> [offset, length] in `out`
        self.reused = self.rendered = 0
        self._out: IO[bytes] | None = None
        self._size = 0
        self._old: dict[str, Any] = {}
        self._old_map: mmap.mmap | None = None
        if previous is not None:
            path, index = previous
            try:
                with path.open("rb") as handle:
                    if path.stat().st_size:
                        self._old_map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except OSError:
                self._old_map = None
            self._old = index if self._old_map is not None else {}

    def open(self, path: Path) -> None:
        """Start writing this build's parts to `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._out = path.open("wb")

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None
        if self._old_map is not None:
            self._old_map.close()
            self._old_map = None

    def key(self, where: str, parts: list[Any]) -> str | None:
        """The part's key, or None if a record it names has no content hash (then it is always rendered)."""
        named = [self.salt, where]
        for part in parts:
            if isinstance(part, Dataset):
                digest = self.hashes.get(part.id)
                if digest is None:
                    return None
                named.append(f"dataset {part.id} {digest}")
            elif isinstance(part, int | str):
                named.append(f"{type(part).__name__} {part!r}")
            else:  # JSON for anything else; the plain cases above cost a tenth of it, and there are 250,000 at 10,000
                named.append(f"json {json.dumps(part, default=str)}")
        return hashlib.sha256("\0".join(named).encode("utf-8", "surrogatepass")).hexdigest()

    def part(self, where: str, parts: list[Any], render: Callable[[], str]) -> str:
        """The part's HTML: the previous build's if it holds the key, else `render()`'s; kept for the next."""
        key = self.key(where, parts)
        if key is None:
            return render()
        if key in self.index:  # the same part twice in one build (a page shows it twice): kept once
            return render()
        html = self._read_old(key)
        if html is None:
            html = render()
            self.rendered += 1
        else:
            self.reused += 1
        self._keep(key, html)
        return html

    def _read_old(self, key: str) -> str | None:
        entry, data = self._old.get(key), self._old_map
        if data is None or not (isinstance(entry, list) and len(entry) == 2):
            return None
        start, length = entry
        if not (isinstance(start, int) and isinstance(length, int)) or start < 0 or length < 0:
            return None
        if start + length > len(data):
            return None
        try:
            return data[start : start + length].decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return None

    def _keep(self, key: str, html: str) -> None:
        if self._out is None:
            return
        data = html.encode("utf-8", "surrogatepass")  # a lone surrogate a YAML escape made comes back as it was
        self._out.write(data)
        self.index[key] = [self._size, len(data)]
        self._size += len(data)


def read_index(manifest: dict[str, Any], salt: str) -> dict[str, Any]:
    """The previous build's parts by key, from its page manifest, if they were made with `salt`."""
    stored = manifest.get("fragments")
    if not isinstance(stored, dict) or stored.get("format") != FORMAT or stored.get("salt") != salt:
        return {}
    index = stored.get("index")
    return index if isinstance(index, dict) else {}


@contextmanager
def keeping(fragments: Fragments) -> Iterator[Fragments]:
    """While rendering the generated pages: `{% cached %}` parts go through `fragments`."""
    global _current
    _current = fragments
    try:
        yield fragments
    finally:
        _current = None


def by_record(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, list[Any]]]:
    """Rows of (record, ...) as (record, [the rest of each of its consecutive rows]), in order: a template
    renders each record's rows as one part. Rows of one value after the record give that value."""
    for _, group in groupby(rows, key=lambda row: row[0].id):
        found = list(group)
        rest = [row[1] if len(row) == 2 else row[1:] for row in found]
        yield found[0][0], rest


def index_of(item: Any, items: list[Any]) -> int:
    """Where `item` (the object itself) is in `items`: the part's place in its record, for a part's key when
    a page lists a record's items among other records' (a list's position would shift with theirs)."""
    return next(i for i, x in enumerate(items) if x is item)


class FragmentTag(Extension):
    """`{% cached record, other, ... %}body{% endcached %}`: the body's HTML through the current `Fragments`
    (rendered as written when no site build keeps parts)."""

    tags = {"cached"}  # noqa: RUF012 - jinja2.ext.Extension declares it so

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        parts = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            parts.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcached",), drop_needle=True)
        where = nodes.Const(f"{parser.name}:{lineno}")
        call = self.call_method("_part", [where, nodes.List(parts)])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _part(self, where: str, parts: list[Any], caller: Callable[[], str]) -> Markup:
        fragments = _current
        if fragments is None:
            return Markup(caller())
        return Markup(fragments.part(where, parts, lambda: str(caller())))
