"""`catalogue import` against a hostile catalogue server on 127.0.0.1: every attack of issue 14's
items 1, 2 and 8 (and its ANSI escape), each served by a small http.server in a thread.

Each test runs the real command and checks: a clear one-line error (exit 1 where the import cannot
complete), no file written outside the staging folder, no local file's content in the output, no
traceback, and that it finished within a few seconds."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

SECONDS = 12.0  # every import here must end within this (Python's start-up and imports take 1-2 s of it)
SECRET = "SECRET-LOCAL-CONTENT"
PASSWD_LINE = "root:x:0:0"
PREFIXES = (
    "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
    "@prefix dct: <http://purl.org/dc/terms/> .\n"
    "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n"
)
CONTEXT = {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/"}
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/"'
    + ' xmlns:dcat="http://www.w3.org/ns/dcat#">\n <dcat:Dataset rdf:about="http://hostile.example/d">'
    + "<dct:title>&lol9;</dct:title></dcat:Dataset>\n</rdf:RDF>\n"
)


def dataset(n: int | str, identifier: str) -> str:
    """One dataset in Turtle (a JSON string is a valid Turtle string, escapes included)."""
    subject = f"<http://hostile.example/dataset/{n}>"
    return f'{subject} a dcat:Dataset ; dct:identifier {json.dumps(identifier)} ; dct:title "Dataset {n}" .\n'


def jsonld(context: object) -> dict[str, object]:
    return {
        "@context": context,
        "@id": "http://hostile.example/dataset/c",
        "@type": "dcat:Dataset",
        "dct:identifier": "contexts",
        "dct:title": "A dataset",
    }


class Hostile(BaseHTTPRequestHandler):
    """One route per attack (see `route`)."""

    protocol_version = "HTTP/1.0"  # a body without a length ends when the connection closes
    stop = threading.Event()

    def log_message(self, *args: object) -> None:
        pass

    def send(self, body: bytes | str, content_type: str = "text/turtle", status: int = 200) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def wait(self, seconds: float) -> bool:
        """Sleep; False once the server is stopping."""
        return not self.stop.wait(seconds)

    def do_GET(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the importer hung up, as it should
            self.route(urlsplit(self.path).path, {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()})

    def route(self, path: str, query: dict[str, str]) -> None:
        base = f"http://{self.headers['Host']}"
        if path == "/id.ttl":  # one dataset with the identifier given
            self.send(PREFIXES + dataset(1, query["id"]))
        elif path == "/context.jsonld":  # a JSON-LD document whose @context is given (JSON)
            self.send(json.dumps(jsonld(json.loads(query["context"]))), "application/ld+json")
        elif path == "/ctx.jsonld":  # a well-behaved remote context
            self.send(json.dumps({"@context": CONTEXT}), "application/ld+json")
        elif path == "/never":  # accepts, never answers
            while self.wait(0.5):
                pass
        elif path.startswith("/next/"):  # a next page, for ever
            n = int(path.rsplit("/", 1)[-1])
            page = f"<{base}/next/{n}> a hydra:PagedCollection ; hydra:next <{base}/next/{n + 1}> .\n"
            self.send(PREFIXES + page + dataset(n, f"page-{n}"))
        elif path == "/many":  # `size` datasets a page, a next page for ever; says 100,000 unless ?untold
            n, size, untold = int(query.get("page", "1")), int(query.get("size", "1000")), "untold" in query
            after = f"{base}/many?page={n + 1}&size={size}" + ("&untold=1" if untold else "")
            total = "" if untold else " hydra:totalItems 100000 ;"
            page = f"<{base}/many?page={n}> a hydra:PagedCollection ;{total} hydra:next <{after}> .\n"
            self.send(PREFIXES + page + "".join(dataset(f"{n}-{i}", f"d-{n}-{i}") for i in range(size)))
        elif path == "/drip.ttl":  # the headers, then a byte every 0.1 s
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            while self.wait(0.1):
                self.wfile.write(b" ")
                self.wfile.flush()
        elif path == "/drip-headers":  # the headers themselves, a byte every 0.1 s
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/turtle\r\nX-Slow: ")
            while self.wait(0.1):
                self.wfile.write(b"a")
                self.wfile.flush()
        elif path == "/huge.ttl":  # says it is 1 GB, and sends it
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.send_header("Content-Length", str(2**30))
            self.end_headers()
            for _ in range(2**14):
                self.wfile.write(b"#" * 65535 + b"\n")
        elif path == "/endless.ttl":  # no length, never ends
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            while not self.stop.is_set():
                self.wfile.write(b"# more\n" * 9000)
        elif path == "/laughs.rdf":
            self.send(LAUGHS, "application/rdf+xml")
        elif path == "/loop":
            self.redirect("/loop")
        elif path == "/to-file":
            self.redirect("file:///etc/passwd")
        elif path.startswith("/ckan/"):
            self.ckan(path.split("/")[2], int(query.get("start", "0")))
        else:
            self.send("not here", "text/plain", 404)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def ckan(self, case: str, start: int) -> None:
        """package_search of a hostile CKAN: /ckan/<case>/api/3/action/package_search."""
        packages: list[dict[str, object]] = []
        count: int | None = None
        if case == "noname" and start == 0:
            packages = [{"id": "p1", "title": "No name here"}, {"id": "p2", "name": "has-a-name", "title": "Fine"}]
        elif case == "pwned" and start == 0:
            packages = [{"id": "p1", "name": "../pwned", "title": "Traversal"}]
        elif case == "many":  # 100,000 packages, 1,000 a page whatever rows says
            count = 100_000
            packages = [{"id": f"p{i}", "name": f"p-{i}", "title": "x"} for i in range(start, min(start + 1000, count))]
        elif case == "endless":  # one new package a page, for ever, no count
            packages = [{"id": f"p{start}", "name": f"p-{start}", "title": "x"}]
        body = {
            "success": True,
            "result": {"count": count if count is not None else len(packages), "results": packages},
        }
        if case == "endless":
            del body["result"]["count"]  # type: ignore[attr-defined]
        self.send(json.dumps(body), "application/json")


@pytest.fixture(scope="module")
def hostile() -> Iterator[str]:
    Hostile.stop.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        Hostile.stop.set()
        server.shutdown()
        server.server_close()


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def error(self) -> str:
        """The one line the command failed with."""
        lines = [line for line in self.stderr.splitlines() if line.startswith("Error: ")]
        assert len(lines) == 1, self.output
        return lines[0]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A registry folder with no records, a staging folder beside it, and a local file an attacker wants."""
    (tmp_path / "work" / "metadata" / "datasets").mkdir(parents=True)
    (tmp_path / "work" / "secret.yaml").write_text(f"{SECRET}: 1\n")
    return tmp_path / "work"


def files(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


def run_import(work: Path, source: str, *args: str) -> Run:
    """Run `catalogue import` on `source` into work/staging; check what every test checks."""
    root = work.parent
    before = files(root)
    started = time.monotonic()
    folders = ["--metadata", str(work / "metadata"), "--staging", str(work / "staging")]
    result = subprocess.run(
        [sys.executable, "-m", "catalogue", "import", source, *args, *folders],
        capture_output=True,
        text=True,
        timeout=90,
        cwd=ROOT,
    )
    run = Run(result.returncode, result.stdout, result.stderr, time.monotonic() - started)
    assert run.seconds < SECONDS, f"took {run.seconds:.1f} s\n{run.output}"
    assert "Traceback" not in run.output, run.output
    assert SECRET not in run.output, run.output
    assert PASSWD_LINE not in run.output, run.output
    assert "\x1b" not in run.output, run.output
    outside = {path for path in files(root) - before if work / "staging" not in path.parents}
    assert not outside, f"written outside staging: {outside}"
    assert (work / "secret.yaml").read_text() == f"{SECRET}: 1\n"
    return run


# -- item 1: remote identifiers never become paths ---------------------------------------------------


@pytest.mark.parametrize("identifier", ["../pwned", "../../secret", "/tmp/pwned-{uuid}", "{work}/secret"])
def test_an_identifier_that_is_a_path_is_skipped(hostile: str, work: Path, identifier: str) -> None:
    identifier = identifier.format(uuid=uuid.uuid4().hex, work=work)
    source = f"{hostile}/id.ttl?id={quote(identifier, safe='')}"
    run = run_import(work, source, "--from", "dcat", "--into", str(work / "metadata"))
    assert run.returncode == 1
    assert "skipped: " in run.stdout
    assert "looks like a path" in run.stdout
    assert "1 dataset skipped" in run.error
    if identifier.startswith("/tmp/pwned-"):
        assert not Path(identifier + ".yaml").exists()
    assert list((work / "staging").iterdir()) == []
    assert list((work / "metadata" / "datasets").iterdir()) == []


def test_an_identifier_that_is_not_a_slug_becomes_one_and_says_so(hostile: str, work: Path) -> None:
    run = run_import(work, f"{hostile}/id.ttl?id={quote('NRM_Statistics 2024')}", "--from", "dcat")
    assert run.returncode == 0, run.output
    assert "nrm-statistics-2024: staged under this id (the source's identifier is 'NRM_Statistics 2024')" in run.stdout
    assert [path.name for path in (work / "staging").iterdir()] == ["nrm-statistics-2024.yaml"]
    assert "id: nrm-statistics-2024" in (work / "staging" / "nrm-statistics-2024.yaml").read_text()


def test_a_terminal_escape_in_an_identifier_is_never_printed(hostile: str, work: Path) -> None:
    run = run_import(work, f"{hostile}/id.ttl?id={quote(chr(27) + ']0;owned' + chr(7) + 'evil' + chr(27) + '[2J')}")
    assert run.returncode == 1
    assert "\x1b" not in run.output
    assert "\\u001b" in run.stdout


def test_a_terminal_escape_in_a_file_name_is_never_printed(work: Path) -> None:
    run = run_import(work, str(work.parent / "\x1b[31mcatalog\x1b]0;owned\x07.ttl"))
    assert run.returncode == 1
    assert "\\u001b[31mcatalog\\u001b]0;owned\\u0007.ttl: no such file" in run.error


def test_a_staging_file_that_links_outside_is_not_written_through(hostile: str, work: Path) -> None:
    (work / "staging").mkdir()
    (work / "staging" / "linked.yaml").symlink_to(work / "secret.yaml")
    run = run_import(work, f"{hostile}/id.ttl?id=linked", "--from", "dcat")
    assert run.returncode == 1
    assert "outside" in run.stdout


def test_a_ckan_package_name_that_is_a_path_is_skipped(hostile: str, work: Path) -> None:
    run = run_import(work, f"{hostile}/ckan/pwned", "--from", "ckan")
    assert run.returncode == 1
    assert "'../pwned': an identifier that looks like a path" in run.stdout
    assert list((work / "staging").iterdir()) == []


def test_a_ckan_package_with_no_name_is_skipped_and_the_others_imported(hostile: str, work: Path) -> None:
    run = run_import(work, f"{hostile}/ckan/noname", "--from", "ckan")
    assert run.returncode == 1
    assert "skipped: a package (id 'p1', title 'No name here') with no name" in run.stdout
    assert "1 new" in run.stdout
    assert [path.name for path in (work / "staging").iterdir()] == ["has-a-name.yaml"]


# -- item 2: no local file read through JSON-LD contexts, no XML entities ------------------------------


@pytest.mark.parametrize(
    "context",
    [
        "file:///etc/passwd",
        "file:///dev/zero",
        ["file:///etc/passwd", CONTEXT],
        {"@import": "file:///etc/passwd", **CONTEXT},
        {**CONTEXT, "dct:title": {"@id": "dct:title", "@context": "file:///etc/passwd"}},
    ],
    ids=["passwd", "dev-zero", "in-a-list", "import", "scoped"],
)
def test_a_jsonld_context_naming_a_local_file_is_refused(hostile: str, work: Path, context: object) -> None:
    run = run_import(work, f"{hostile}/context.jsonld?context={quote(json.dumps(context))}", "--from", "dcat")
    assert run.returncode == 1
    assert "is not an http(s) address; refused" in run.error
    assert list((work / "staging").iterdir()) == []


def test_a_local_jsonld_file_cannot_name_a_local_context(work: Path) -> None:
    document = work.parent / "catalog.jsonld"
    document.write_text(json.dumps(jsonld(["secret.yaml", CONTEXT])))
    run = run_import(work, str(document))
    assert run.returncode == 1
    assert "'secret.yaml' is not an http(s) address; refused" in run.error


def test_a_remote_context_on_the_web_is_fetched_and_used(hostile: str, work: Path) -> None:
    run = run_import(work, f"{hostile}/context.jsonld?context={quote(json.dumps(hostile + '/ctx.jsonld'))}")
    assert run.returncode == 0, run.output
    assert "title: A dataset" in (work / "staging" / "contexts.yaml").read_text()


def test_a_remote_context_is_fetched_within_the_limits(hostile: str, work: Path) -> None:
    source = f"{hostile}/context.jsonld?context={quote(json.dumps(hostile + '/never'))}"
    run = run_import(work, source, "--from", "dcat", "--max-seconds", "2")
    assert run.returncode == 1
    assert f"{hostile}/never: no complete answer within 2 s; stopped (--max-seconds raises the limit)" in run.error


def test_xml_entities_are_refused(hostile: str, work: Path) -> None:
    run = run_import(work, f"{hostile}/laughs.rdf", "--from", "dcat")
    assert run.returncode == 1
    assert "the XML declares a DOCTYPE or entities" in run.error
    local = work.parent / "laughs.rdf"
    local.write_text(LAUGHS)
    assert "the XML declares a DOCTYPE or entities" in run_import(work, str(local)).error


# -- item 8: size, time and page caps -----------------------------------------------------------------


def test_an_endless_next_page_chain_stops_at_the_page_cap(hostile: str, work: Path) -> None:
    run = run_import(work, f"{hostile}/next/1", "--from", "dcat", "--max-pages", "20")
    assert run.returncode == 1
    assert "more than 20 pages, each naming a next one; stopped there (--max-pages raises the limit)" in run.error
    assert len(list((work / "staging").iterdir())) == 20


def test_endless_ckan_paging_stops_at_the_page_cap(hostile: str, work: Path) -> None:
    run = run_import(work, f"{hostile}/ckan/endless", "--from", "ckan", "--max-pages", "20")
    assert run.returncode == 1
    assert "more than 20 pages" in run.error


@pytest.mark.parametrize("path", ["/drip.ttl", "/drip-headers"])
def test_a_slow_drip_is_cut_off_at_the_deadline(hostile: str, work: Path, path: str) -> None:
    run = run_import(work, hostile + path, "--from", "dcat", "--max-seconds", "2")
    assert run.returncode == 1
    assert "no complete answer within 2 s" in run.error


def test_an_answer_that_says_it_is_too_large_is_not_read(hostile: str, work: Path) -> None:
    run = run_import(work, f"{hostile}/huge.ttl", "--from", "dcat")
    assert run.returncode == 1
    assert f"says it is {2**30} bytes, more than the limit of {64 * 2**20} bytes (--max-bytes raises it)" in run.error


@pytest.mark.parametrize("kind", ["dcat", "auto"])
def test_an_endless_answer_stops_at_the_byte_cap(hostile: str, work: Path, kind: str) -> None:
    run = run_import(work, f"{hostile}/endless.ttl", "--from", kind)
    assert run.returncode == 1
    assert f"the answer is longer than the limit of {64 * 2**20} bytes" in run.error


@pytest.mark.parametrize("kind", ["dcat", "auto"])
def test_a_redirect_loop_fails_clearly(hostile: str, work: Path, kind: str) -> None:
    run = run_import(work, f"{hostile}/loop", "--from", kind)
    assert run.returncode == 1
    assert "redirected more than 5 times (a redirect loop?)" in run.error


def test_a_redirect_to_a_local_file_is_not_followed(hostile: str, work: Path) -> None:
    run = run_import(work, f"{hostile}/to-file", "--from", "dcat")
    assert run.returncode == 1
    assert "only http:// and https:// are fetched" in run.error


def test_a_catalogue_that_says_it_holds_100k_datasets_is_refused_at_once(hostile: str, work: Path) -> None:
    run = run_import(work, f"{hostile}/many?page=1", "--from", "dcat")
    assert run.returncode == 1
    assert "says it holds 100000 datasets, over the limit of 20000" in run.error
    assert list((work / "staging").iterdir()) == []
    ckan = run_import(work, f"{hostile}/ckan/many", "--from", "ckan")
    assert ckan.returncode == 1
    assert "says it holds 100000 datasets, over the limit of 20000" in ckan.error


def test_a_catalogue_that_does_not_say_stops_at_the_dataset_cap(hostile: str, work: Path) -> None:
    run = run_import(work, f"{hostile}/many?untold=1&size=100", "--from", "dcat", "--max-datasets", "250")
    assert run.returncode == 1
    assert "holds more than 250 datasets, over the limit of 250; stopped (--max-datasets raises the limit)" in run.error
    assert len(list((work / "staging").iterdir())) == 200  # the pages read whole before the cap
