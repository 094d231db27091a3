"""The package_search index: built once at build time with tantivy, queried by the API.

Why tantivy: an embedded full-text engine (no server) that ranks by BM25, sorts on fast fields and
counts facets in Rust; DESIGN.md measured SQLite FTS5 at 1.6 ms median / 57 ms p99 for a ranked page
with facets at 10,000 datasets, tantivy at 0.31 / 1.9 ms.

Documents are added in package order by one thread and committed once, so the index has one segment
and tantivy's document number is our package position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import tantivy

from catalogue.ckan.packages import format_code
from catalogue.ckan.solr_query import And, MatchAll, Node, Not, Or, Phrase, QuerySyntaxError, Range, Term, parse_query
from catalogue.records.values import utc_moment

# Solr fields of CKAN's schema that we index: exact-match keyword fields, stemmed text, dates.
KEYWORD_FIELDS = (
    "id",
    "name",
    "tags",
    "groups",
    "organization",
    "res_format",
    "license_id",
    "state",
    "dataset_type",
    "capacity",
    "frequency",
    "res_name",
    "maintainer",
    "url",
)
TEXT_FIELDS = ("title", "notes", "text")
DATE_FIELDS = ("metadata_modified", "metadata_created")
SORT_FIELDS = {
    "id": "rank_id",
    "name": "rank_name",
    "title": "rank_title",
    "title_string": "rank_title",
    "metadata_modified": "rank_modified",
    "metadata_created": "rank_created",
}
DEFAULT_FIELDS = ["text", "title"]


class SearchError(ValueError):
    """A sort or facet CKAN's Solr would refuse (409 "Search Error")."""


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="en_stem")
    for name in DATE_FIELDS:
        builder.add_date_field(name, indexed=True, fast=True)
    for name in sorted(set(SORT_FIELDS.values())):
        builder.add_unsigned_field(name, fast=True)
    return builder.build()


def write_index(packages: list[dict[str, Any]], folder: Path) -> None:
    """Index `packages` (package_show dicts, in the order the API numbers them) into `folder`."""
    folder.mkdir(parents=True)
    index = tantivy.Index(_schema(), path=str(folder))
    ranks = _sort_ranks(packages)
    writer = index.writer(heap_size=128_000_000, num_threads=1)
    for package in packages:
        writer.add_document(_document(package, ranks))
    writer.commit()
    writer.wait_merging_threads()


def _sort_ranks(packages: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """For each sort field, each package's position in that order (case-blind, ties in package order):
    sorting on a fast integer field is what makes `sort=title asc` cheap."""
    ranks: dict[str, dict[str, int]] = {}
    for key, rank in SORT_FIELDS.items():
        if rank not in ranks:
            field = {"title_string": "title"}.get(key, key)
            ordered = sorted(range(len(packages)), key=lambda i: (str(packages[i][field]).lower(), i))
            ranks[rank] = {packages[i]["id"]: position for position, i in enumerate(ordered)}
    return ranks


def _keyword_values(package: dict[str, Any]) -> dict[str, list[str]]:
    """The exact-match values of one package, by the Solr field CKAN indexes them under."""
    return {
        "id": [package["id"]],
        "name": [package["name"]],
        "tags": [t["name"] for t in package["tags"]],
        "groups": [g["name"] for g in package["groups"]],
        "organization": [package["organization"]["name"]],
        # the file-type code (CSV, PDF), as harvesters filter on it, not the IRI the resource names it by
        "res_format": [format_code(r["format"]) for r in package["resources"]],
        "license_id": [package["license_id"]],
        "state": [package["state"]],
        "dataset_type": [package["type"]],
        "capacity": ["public"],
        "frequency": [package["frequency"] or ""],
        "res_name": [r["name"] for r in package["resources"]],
        "maintainer": [package["maintainer"] or ""],
        "url": [package["url"] or ""],
    }


def _caveat_text(value: str) -> str:
    """The words of the caveats extra (JSON), without its keys: `q=severity` must not match every dataset."""
    try:
        caveats = orjson.loads(value) if value else []
    except orjson.JSONDecodeError:
        return value
    if not isinstance(caveats, list):
        return value
    return "\n".join(
        str(caveat.get(key) or "") for caveat in caveats if isinstance(caveat, dict) for key in ("title", "text")
    )


def _document(package: dict[str, Any], ranks: dict[str, dict[str, int]]) -> tantivy.Document:
    doc = tantivy.Document()
    for name, values in _keyword_values(package).items():
        for value in values:
            doc.add_text(name, value)
    doc.add_text("title", package["title"])
    doc.add_text("notes", package["notes"] or "")
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    searchable = [
        package["title"],
        extras.get("summary", ""),
        package["notes"] or "",
        " ".join(t["name"] for t in package["tags"]),
        package["organization"]["title"],
        " ".join(g["title"] for g in package["groups"]),
        _caveat_text(extras.get("caveats", "")),
    ]
    doc.add_text("text", "\n".join(searchable))
    for name in DATE_FIELDS:
        doc.add_date(name, utc_moment(package[name]))
    for rank, positions in ranks.items():
        doc.add_unsigned(rank, positions[package["id"]])
    return doc


@dataclass(frozen=True)
class Hits:
    count: int
    positions: list[int]
    facets: dict[str, list[tuple[str, int]]]


class SearchIndex:
    """The index opened for reading."""

    def __init__(self, folder: Path) -> None:
        self.index = tantivy.Index.open(str(folder))
        self.schema = self.index.schema
        self.searcher = self.index.searcher()
        if self.searcher.num_segments > 1:
            raise RuntimeError(f"{folder} has {self.searcher.num_segments} segments; rebuild it")
        self._facet_cache: dict[tuple[object, ...], dict[str, list[tuple[str, int]]]] = {}

    def search(
        self,
        q: str,
        fq: str,
        *,
        sort: str,
        start: int,
        rows: int,
        facet_fields: list[str],
        facet_limit: int,
        facet_mincount: int,
    ) -> Hits:
        """Return the matching package positions for one page, the total count and facet counts."""
        query = self._and([self._compile(parse_query(q or "*:*"), None), self._compile(parse_query(fq), None)])
        order = self._order(sort)
        # tantivy refuses a limit of 0 and allocates offset + limit slots: past the end, ask for one
        # document at offset 0 so the count and facets still come back, and return no rows
        past_end = start >= self.searcher.num_docs
        limit, offset = (1, 0) if past_end else (max(rows, 1), start)
        if order is None:
            result = self.searcher.search(query, limit=limit, offset=offset, count=True)
        else:
            field, direction = order
            result = self.searcher.search(
                query, limit=limit, offset=offset, count=True, order_by_field=field, order=direction
            )
        positions = [] if past_end else [address.doc for _, address in result.hits][:rows]
        facets = self._facets(query, q, fq, tuple(facet_fields), facet_limit, facet_mincount) if facet_fields else {}
        # tantivy's type stub leaves out `count`, which search(count=True) sets
        return Hits(int(result.count or 0), positions, facets)  # type: ignore[attr-defined]

    def _facets(
        self, query: tantivy.Query, q: str, fq: str, fields: tuple[str, ...], limit: int, mincount: int
    ) -> dict[str, list[tuple[str, int]]]:
        """Return facet counts; cached per query, since every page of one search has the same facets."""
        key = (q, fq, fields, limit, mincount)
        cached = self._facet_cache.get(key)
        if cached is not None:
            return cached
        aggregations = {
            f"f{i}": {
                "terms": {"field": field, "size": limit if limit >= 0 else 100_000, "min_doc_count": max(mincount, 1)}
            }
            for i, field in enumerate(fields)
        }
        found = self.searcher.aggregate(query, aggregations)
        facets = {
            field: [
                (str(b["key"]), int(b["doc_count"]))
                for b in found.get(f"f{i}", {}).get("buckets", [])
                if b["key"] != ""
            ]
            for i, field in enumerate(fields)
        }
        if len(self._facet_cache) >= 4096:
            self._facet_cache.pop(next(iter(self._facet_cache)))
        self._facet_cache[key] = facets
        return facets

    def _order(self, sort: str) -> tuple[str, tantivy.Order] | None:
        """Return the fast field and direction for the first sort key, or None for relevance."""
        first = sort.split(",")[0].strip()
        parts = first.split()
        if not parts or len(parts) > 2 or (len(parts) == 2 and parts[1].lower() not in ("asc", "desc")):
            raise SearchError(f"Can't determine a Sort Order ({sort!r}); use e.g. 'metadata_modified desc'")
        field, direction = parts[0], (parts[1].lower() if len(parts) == 2 else "asc")
        if field == "score":
            return None
        if field not in SORT_FIELDS:
            raise SearchError(f"can not sort on field {field!r}; sortable: score, {', '.join(SORT_FIELDS)}")
        return SORT_FIELDS[field], tantivy.Order.Asc if direction == "asc" else tantivy.Order.Desc

    # the query tree as tantivy queries ---------------------------------------------------------------

    def _and(self, queries: list[tantivy.Query]) -> tantivy.Query:
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, query) for query in queries])

    def _compile(self, node: Node, field: str | None) -> tantivy.Query:
        if isinstance(node, MatchAll):
            return tantivy.Query.all_query()
        if isinstance(node, Not):
            return tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, tantivy.Query.all_query()),
                    (tantivy.Occur.MustNot, self._compile(node.child, field)),
                ]
            )
        if isinstance(node, And):
            clauses = []
            for child in node.children:
                if isinstance(child, Not):
                    clauses.append((tantivy.Occur.MustNot, self._compile(child.child, field)))
                else:
                    clauses.append((tantivy.Occur.Must, self._compile(child, field)))
            if all(occur == tantivy.Occur.MustNot for occur, _ in clauses):
                clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
            return tantivy.Query.boolean_query(clauses)
        if isinstance(node, Or):
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, self._compile(child, field)) for child in node.children]
            )
        if isinstance(node, Range):
            return self._range(node)
        if isinstance(node, Term | Phrase):
            return self._leaf(node)
        raise QuerySyntaxError(f"unsupported query part {node!r}")

    def _leaf(self, node: Term | Phrase) -> tantivy.Query:
        field = node.field
        if field is not None and field not in KEYWORD_FIELDS + TEXT_FIELDS + DATE_FIELDS:
            raise QuerySyntaxError(f"undefined field {field}")
        if field in DATE_FIELDS:
            moment = _parse_time(node.text)
            return tantivy.Query.range_query(self.schema, field, tantivy.FieldType.Date, moment, moment)
        if field in KEYWORD_FIELDS:
            if isinstance(node, Term) and "*" in node.text:
                pattern = ".*".join(re.escape(part) for part in node.text.split("*"))
                return tantivy.Query.regex_query(self.schema, field, pattern)
            return tantivy.Query.term_query(self.schema, field, node.text)
        fields = [field] if field else DEFAULT_FIELDS
        text = node.text
        if isinstance(node, Term) and text.endswith("*") and text.strip("*"):
            prefix = re.escape(text.strip("*").lower())
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.regex_query(self.schema, name, prefix + ".*")) for name in fields]
            )
        words = text.replace("\\", " ").replace('"', " ").strip()
        if not words or not any(char.isalnum() for char in words):
            return tantivy.Query.empty_query()
        try:
            return self.index.parse_query(f'"{words}"', fields)
        except ValueError as exc:
            raise QuerySyntaxError(str(exc)) from None

    def _range(self, node: Range) -> tantivy.Query:
        if node.field not in DATE_FIELDS:
            raise QuerySyntaxError(f"range queries work on {', '.join(DATE_FIELDS)}, not {node.field}")
        lower = _parse_time(node.lower) if node.lower else tantivy.MIN_DATETIME
        upper = _parse_time(node.upper) if node.upper else tantivy.MAX_DATETIME
        return tantivy.Query.range_query(
            self.schema,
            node.field,
            tantivy.FieldType.Date,
            lower,
            upper,
            include_lower=node.include_lower,
            include_upper=node.include_upper,
        )


def _parse_time(value: str) -> datetime:
    """Return a Solr date (ISO 8601 with Z, or NOW) as an aware UTC datetime."""
    if value.upper().startswith("NOW"):
        return datetime.now(UTC)
    try:
        moment = utc_moment(value)
    except ValueError:
        raise QuerySyntaxError(f"Invalid Date String: {value!r} (expected e.g. 2024-01-01T00:00:00Z)") from None
    # the index holds dates from 1677 to 2262; Solr takes any year, and beyond those no record matches
    return min(max(moment, tantivy.MIN_DATETIME), tantivy.MAX_DATETIME)
