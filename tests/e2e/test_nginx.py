"""End-to-end: Debian's nginx with the configuration `catalogue build` writes, in front of a real `catalogue serve`.

The same endpoint checks run against `catalogue serve` alone and through nginx: site pages, the paged
catalogue (its links must lead back to the server asked), /dataset/<id> negotiated on Accept, the API,
the feeds, security headers with the app's Content-Security-Policy, gzip, validators. nginx runs as the
README's "Deploying" section shows, from its own prefix in a temporary folder (`nginx -p DIR -c FILE`).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from catalogue.serve.app import CONTENT_SECURITY_POLICY
from tests.benchmarks.synthetic import make_registry
from tests.conftest import ROOT, ServerProcess, free_port
from tests.e2e.nginx_process import NGINX, check_conf, nginx_or_skip, running, write_conf

pytestmark = pytest.mark.e2e
HYDRA = "http://www.w3.org/ns/hydra/core#"
DCAT = "http://www.w3.org/ns/dcat#"
COUNT = 230  # three pages of 100
# The server block of the README's "Deploying" section, inside the main configuration nginx_process.py writes
# (nginx run unprivileged from a folder of its own).
SERVED_HTTP = """\
    access_log {prefix}/access.log;
    include {build}/nginx/http.conf;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        include {build}/nginx/server.conf;
    }}
"""


@dataclass
class Servers:
    app: str  # catalogue serve alone
    nginx: str  # nginx in front of it
    build: Path
    first_id: str


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    nginx_or_skip()
    root = tmp_path_factory.mktemp("nginx")
    metadata = make_registry(root / "metadata", COUNT)
    build = root / "build"
    prefix = root / "prefix"
    port = free_port()
    conf = write_conf(prefix, SERVED_HTTP.format(prefix=prefix, build=build, port=port), connections=256)
    with ServerProcess("--metadata", str(metadata), "--out", str(build)) as app, running(prefix, conf, port) as url:
        order = httpx.get(f"{app.url}/api/3/action/package_list").json()["result"]
        yield Servers(app.url, url, build, order[0])


@pytest.fixture(params=["app", "nginx"])
def base(request: pytest.FixtureRequest, servers: Servers) -> str:
    """The address of `catalogue serve` alone, then of nginx in front of it: every check runs on both."""
    return str(getattr(servers, request.param))


SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "content-security-policy": CONTENT_SECURITY_POLICY,
}


def _secure(response: httpx.Response) -> None:
    for name, value in SECURITY.items():
        assert response.headers.get(name) == value, (str(response.url), name, response.headers.get(name))
    assert len(response.headers.get_list("content-security-policy")) == 1, "one policy, not the app's and nginx's"


def test_site_pages(base: str, servers: Servers) -> None:
    for path in ("/", "/finder/", f"/dataset/{servers.first_id}/", "/glossary/"):
        page = httpx.get(base + path)
        assert page.status_code == 200, path
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert "<html" in page.text
        _secure(page)
    slashless = httpx.get(base + "/finder")
    assert slashless.status_code in (301, 307, 308)
    assert slashless.headers["location"].endswith("/finder/")
    missing = httpx.get(base + "/no-such-page/")
    assert missing.status_code == 404
    _secure(missing)
    head = httpx.head(base + "/finder/")
    assert (head.status_code, head.content) == (200, b"")


def test_paged_catalogue_leads_back_to_the_server_asked(base: str) -> None:
    url: str | None = f"{base}/catalog.ttl"
    seen: list[str] = []
    while url:
        assert url.startswith(base + "/catalog.ttl"), f"paging left the server asked: {url}"
        answer = httpx.get(url)
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/turtle")
        _secure(answer)
        graph = Graph().parse(data=answer.text, format="turtle")
        page = next(graph.subjects(RDF.type, URIRef(HYDRA + "PagedCollection")))
        seen += [str(o) for o in graph.objects(None, URIRef(DCAT + "dataset"))]
        following = graph.value(page, URIRef(HYDRA + "next"))
        url = str(following) if following else None
    assert len(seen) == len(set(seen)) == COUNT
    filtered = httpx.get(f"{base}/catalog.jsonld", params={"modified_since": "2999-01-01"})
    assert filtered.status_code == 200
    assert filtered.headers["content-type"].startswith("application/ld+json")
    bad = httpx.get(f"{base}/catalog.ttl", params={"page": "0"})
    assert bad.status_code == 400
    negotiated = httpx.get(f"{base}/catalog", headers={"Accept": "application/rdf+xml"})
    assert negotiated.headers["content-type"].startswith("application/rdf+xml")
    weighed = httpx.get(f"{base}/catalog", headers={"Accept": "text/turtle;q=0.4, application/ld+json;q=0.8"})
    assert weighed.headers["content-type"].startswith("application/ld+json")


ACCEPT = [
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/json", "application/ld+json"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("text/turtle;q=0.9, application/rdf+xml;q=0.5", "text/turtle"),  # weighed by the app
    ("text/*, text/html;q=0", "text/turtle"),
    ("application/rdf+xml, text/turtle;q=0.2", "application/rdf+xml"),
]


@pytest.mark.parametrize(("accept", "media"), ACCEPT)
def test_dataset_negotiated_on_accept(base: str, servers: Servers, accept: str, media: str) -> None:
    answer = httpx.get(f"{base}/dataset/{servers.first_id}", headers={"Accept": accept})
    assert answer.status_code == 200, answer.text[:200]
    assert answer.headers["content-type"].split(";")[0] == media
    assert "accept" in answer.headers["vary"].lower()
    assert f"/dataset/{servers.first_id}" in answer.text
    _secure(answer)


def test_dataset_pages_and_files(base: str, servers: Servers) -> None:
    for accept in ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "*/*", ""):
        page = httpx.get(f"{base}/dataset/{servers.first_id}", headers={"Accept": accept})
        assert page.status_code == 303, accept
        assert page.headers["location"] == f"/dataset/{servers.first_id}/"
        _secure(page)
    for extension, media in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("rdf", "application/rdf+xml")):
        file = httpx.get(f"{base}/dataset/{servers.first_id}.{extension}")
        assert file.status_code == 200
        assert file.headers["content-type"].split(";")[0] == media
        download = httpx.get(f"{base}/download/catalog.{extension}")
        assert download.status_code == 200
        assert download.headers["content-type"].split(";")[0] == media
    for path in ("/dataset/no-such-dataset", "/dataset/no-such-dataset.ttl", "/dataset/Bad_Id"):
        assert httpx.get(base + path, headers={"Accept": "text/turtle"}).status_code == 404, path


def test_api(base: str, servers: Servers) -> None:
    shown = httpx.get(f"{base}/api/3/action/package_show", params={"id": servers.first_id})
    assert shown.status_code == 200
    assert shown.json()["result"]["name"] == servers.first_id
    assert shown.json()["help"].startswith(base + "/api/3/action/help_show"), "help links name the server asked"
    _secure(shown)
    found = httpx.post(f"{base}/api/action/package_search", json={"q": "referral", "rows": 2})
    assert found.status_code == 200
    assert found.json()["success"] is True
    unknown = httpx.get(f"{base}/api/3/action/no_such_action")
    assert unknown.status_code == 400
    denied = httpx.post(f"{base}/api/3/action/package_create", json={"name": "x"})
    assert denied.status_code == 403
    assert denied.json()["error"]["__type"] == "Authorization Error"
    compare = httpx.get(f"{base}/api/compare", params={"a": "nope"})
    assert compare.status_code in (400, 409)


def test_feeds_and_dumps(base: str) -> None:
    for path, media in (
        ("/changes.atom", "application/atom+xml"),
        ("/releases.ics", "text/calendar"),
        ("/openapi.json", "application/json"),
        ("/registry.json", "application/json"),
    ):
        answer = httpx.get(base + path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].split(";")[0] == media, path
        _secure(answer)
    dump = httpx.get(base + "/ckan/datasets.jsonl")
    assert dump.status_code == 200
    assert len(dump.text.splitlines()) == COUNT


def test_gzip_and_validators(base: str, servers: Servers) -> None:
    for path in ("/", f"/dataset/{servers.first_id}.ttl", "/changes.atom", "/catalog.ttl"):
        zipped = httpx.get(base + path, headers={"Accept-Encoding": "gzip"})
        assert zipped.headers.get("content-encoding") == "gzip", path
        assert "accept-encoding" in zipped.headers["vary"].lower(), path
        tag = zipped.headers["etag"]
        again = httpx.get(base + path, headers={"Accept-Encoding": "gzip", "If-None-Match": tag})
        assert (again.status_code, again.content) == (304, b""), path
        since = httpx.get(base + path, headers={"If-Modified-Since": zipped.headers["last-modified"]})
        assert since.status_code == 304, path
        assert zipped.headers["cache-control"].startswith("public, max-age="), path


def test_private_files_are_not_served(base: str) -> None:
    for path in (
        "/nginx/server.conf",
        "/nginx/http.conf",
        "/dcat/index.json",
        "/.catalogue-build",
        "/ckan/index/meta.json",
    ):
        assert httpx.get(base + path).status_code == 404, path


def test_nginx_serves_the_files_itself(servers: Servers) -> None:
    """Files come from disk (nginx's own tag: modification time and size), computed answers from the app."""
    nginx_tag = re.compile(r'^(W/)?"[0-9a-f]+-[0-9a-f]+"$')
    for path in ("/", f"/dataset/{servers.first_id}.ttl", "/changes.atom", "/download/catalog.rdf"):
        answer = httpx.get(servers.nginx + path, headers={"Accept-Encoding": "identity"})
        assert nginx_tag.match(answer.headers["etag"]), (path, answer.headers["etag"])
    turtle = httpx.get(f"{servers.nginx}/dataset/{servers.first_id}", headers={"Accept": "text/turtle"})
    assert nginx_tag.match(turtle.headers["etag"]), "a plain Accept is negotiated by nginx"
    api = httpx.get(f"{servers.nginx}/api/3/action/package_list", headers={"Accept-Encoding": "identity"})
    assert re.fullmatch(r'"[0-9a-f]{32}"', api.headers["etag"]), "the API answer comes from catalogue serve"
    assert (servers.build / "nginx" / "server.conf").read_text().count(f'root "{servers.build.resolve()}";') == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--upstream", "x y:80"], "Invalid value for --upstream: 'x y:80' is not HOST:PORT"),
        (["--upstream", "127.0.0.1:99999"], "is not HOST:PORT"),
        (["--out", "{tmp}/a$b"], "Invalid value for --out: nginx cannot name the folder"),
    ],
)
def test_what_nginx_cannot_be_given_is_explained(tmp_path: Path, args: list[str], message: str) -> None:
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    out = ["--out", str(tmp_path / "build")] if "--out" not in args else []
    result = subprocess.run(
        [sys.executable, "-m", "catalogue", "build", *out, *args], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == [], "nothing is built"


def test_a_folder_with_spaces_is_quoted(tmp_path: Path) -> None:
    out = tmp_path / "my builds; {new}" / "build"
    result = subprocess.run(
        [sys.executable, "-m", "catalogue", "build", "--out", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert f'root "{out}";' in (out / "nginx" / "server.conf").read_text(encoding="utf-8")
    if NGINX is not None:  # and nginx reads it
        prefix = tmp_path / "prefix"
        http = SERVED_HTTP.format(prefix=prefix, build=f'"{out}', port=free_port())
        http = http.replace("/nginx/http.conf;", '/nginx/http.conf";').replace(
            "/nginx/server.conf;", '/nginx/server.conf";'
        )
        check_conf(prefix, write_conf(prefix, http, as_root=False))
