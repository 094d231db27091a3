"""The import's guards, in process: remote identifiers to file names (names.py), remote text to the
XML entities and JSON-LD contexts (rdf.py). The hostile server test
(tests/e2e/test_import_hostile.py) runs the same attacks through the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalogue.importing.http import Fetcher
from catalogue.importing.limits import ImportError_
from catalogue.importing.names import Refused, inside, safe_slug
from catalogue.importing.rdf import parse, refuse_doctype
from catalogue.records.values import SLUG_PATTERN

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>&lol2;</rdf:Description></rdf:RDF>
"""


@pytest.mark.parametrize(
    ("remote", "slug"),
    [
        ("nrm-statistics", "nrm-statistics"),
        ("NRM_Statistics 2024", "nrm-statistics-2024"),
        ("  a--b__c  ", "a-b-c"),
        ("https://data.example.org/dataset/Annual_NRM/", "annual-nrm"),
        ("a..b", "a-b"),
        ("x" * 100, "x" * 100),
    ],
)
def test_a_name_becomes_a_slug(remote: str, slug: str) -> None:
    import re

    assert safe_slug(remote) == slug
    assert re.fullmatch(SLUG_PATTERN, slug)


@pytest.mark.parametrize(
    "remote",
    [
        "../pwned",
        "/tmp/x",
        "..",
        ".hidden",
        "a/b",
        "a\\b",
        "https://example.org/a/..",
        "evil\x1b[2J",
        "nul\x00",
        "",
        None,
        "日本語",
        "---",
        "x" * 101,
    ],
)
def test_what_cannot_be_a_file_name_is_refused(remote: object) -> None:
    with pytest.raises(Refused) as refused:
        safe_slug(remote)
    assert "skipped" in str(refused.value)
    assert "\x1b" not in str(refused.value)
    assert "\x00" not in str(refused.value)


def test_a_path_must_stay_inside_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "staging"
    folder.mkdir()
    assert inside(folder, "fine") == folder / "fine.yaml"
    (folder / "linked.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    with pytest.raises(Refused, match="outside"):
        inside(folder, "linked")
    with pytest.raises(Refused, match="not a slug"):
        inside(folder, "../x")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_xml_with_entities_is_refused_in_any_encoding(encoding: str) -> None:
    data = LAUGHS.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>').encode(encoding)
    with pytest.raises(ImportError_, match="declares a DOCTYPE or entities"):
        refuse_doctype(data, "laughs.rdf")
    with Fetcher() as fetcher, pytest.raises(ImportError_, match="declares a DOCTYPE or entities"):
        parse(data, "xml", "http://example.org/laughs.rdf", fetcher)


def test_xml_without_a_doctype_parses() -> None:
    data = LAUGHS.replace(LAUGHS.splitlines()[1], "").replace("&lol2;", "lol").encode()
    refuse_doctype(data, "plain.rdf")
    with Fetcher() as fetcher:
        parse(data, "xml", "http://example.org/plain.rdf", fetcher)


@pytest.mark.parametrize(
    "context",
    ["file:///etc/passwd", "/etc/passwd", "ctx.jsonld", "ftp://example.org/ctx", {"@import": "file:///etc/passwd"}],
)
def test_jsonld_from_a_file_never_reads_a_local_context(context: object) -> None:
    document = json.dumps({"@context": context, "@id": "http://example.org/d", "http://purl.org/dc/terms/title": "T"})
    with Fetcher() as fetcher, pytest.raises(ImportError_, match=r"is not an http\(s\) address; refused"):
        parse(document.encode(), "json-ld", "file:///tmp/catalog.jsonld", fetcher)


def test_jsonld_with_inline_contexts_parses_as_rdflib_would() -> None:
    document = {
        "@context": [{"dct": "http://purl.org/dc/terms/"}, {"title": "dct:title"}],
        "@id": "http://example.org/d",
        "title": "T",
        "dct:description": {"@context": {"x": "http://example.org/x#"}, "x:a": "b"},
    }
    with Fetcher() as fetcher:
        graph = parse(json.dumps(document).encode(), "json-ld", "http://example.org/catalog.jsonld", fetcher)
    assert ("http://example.org/d", "http://purl.org/dc/terms/title", "T") in {
        (str(s), str(p), str(o)) for s, p, o in graph
    }


def test_the_harvesters_guide_states_the_import_limits_the_code_has() -> None:
    """The guide's table of limits is written by hand: this keeps it equal to limits.py and http.py."""
    from catalogue.importing import http, limits, rdf
    from tests.conftest import ROOT

    guide = (ROOT / "site" / "guides" / "harvesters.md").read_text()
    rows = {line.split("|")[-2].strip(): line for line in guide.splitlines() if line.startswith("  | ")}
    assert f"| {limits.MAX_BYTES // 2**20} MiB |" in rows["`--max-bytes`"]
    assert f"| {limits.MAX_SECONDS:g} s |" in rows["`--max-seconds`"]
    assert f"| {limits.MAX_PAGES:,} |" in rows["`--max-pages`"]
    assert f"| {limits.MAX_DATASETS:,} |" in rows["`--max-datasets`"]
    assert f"| {http.MAX_REDIRECTS} |" in guide
    assert f"| {http.READ_TIMEOUT:g} s |" in guide
    assert f"at most {rdf.MAX_CONTEXTS} a document" in guide


def test_two_datasets_with_one_slug_never_share_a_file(tmp_path: Path) -> None:
    from catalogue.importing.staging import Imported, Stager

    (tmp_path / "metadata" / "datasets").mkdir(parents=True)
    (tmp_path / "staging").mkdir()
    stager = Stager(tmp_path / "metadata", tmp_path / "staging", None)
    first = stager.stage(Imported({"id": "NRM_Data", "title": "First"}))
    assert (first.id, first.renamed_from) == ("nrm-data", "NRM_Data")
    with pytest.raises(Refused, match="'nrm-data': a second dataset with the record id nrm-data; skipped"):
        stager.stage(Imported({"id": "nrm-data", "title": "Second"}))
    assert "title: First" in (tmp_path / "staging" / "nrm-data.yaml").read_text()
