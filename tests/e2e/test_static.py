"""End-to-end: `catalogue build --static` served by a plain static file server, with no server logic.

The static hosts are Python's own `python -m http.server` and Debian's nginx with a files-only
configuration, on 127.0.0.1 (media types by file extension, query strings ignored, no POST), as an object
store or a pages service would serve the folder. The
checks: the site's pages and every local link on a few of them, the feeds, the DCAT files (whole
catalogue and each dataset, parsed), the CKAN dumps, `package_list` through ckanapi's GET-only client,
every `package_show` file read as ckanapi reads an answer and equal to what `catalogue serve` answers for
the same records, the server-only files left out, and the notice of what a static copy cannot do on the
pages that would need the server.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import ckanapi
import httpx
import pytest
from ckanapi.common import reverse_apicontroller_action
from rdflib import Graph
from rdflib.namespace import DCAT, RDF

from tests.benchmarks.synthetic import make_registry
from tests.conftest import ROOT, ServerProcess, free_port
from tests.e2e.nginx_process import nginx_or_skip, running, wait_until_answering, write_conf

pytestmark = pytest.mark.e2e
COUNT = 12
LIMITS = ("It cannot: search (package_search)", "negotiate content", "catalogue serve", "catalogue publish")


# Debian's nginx serving the folder as files and nothing else: its own mime.types plus the four types the
# README's "On a static host" says to add; no proxy, no rewrite, no map.
FILES_ONLY_HTTP = """\
    include /etc/nginx/mime.types;
    types {{ text/turtle ttl; application/ld+json jsonld; application/rdf+xml rdf; text/calendar ics; }}
    default_type application/octet-stream;
    access_log off;
    server {{
        listen 127.0.0.1:{port};
        root {build};
    }}
"""


@dataclass
class Built:
    build: Path
    app: str  # `catalogue serve` over a normal build of the same records, to compare answers with
    ids: list[str]


@dataclass
class Static:
    url: str  # the static file server
    app: str
    build: Path
    ids: list[str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    root = tmp_path_factory.mktemp("static")
    metadata = make_registry(root / "metadata", COUNT)
    build = root / "static"
    done = subprocess.run(
        [sys.executable, "-m", "catalogue", "build", "--static", "--metadata", str(metadata), "--out", str(build)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    with ServerProcess("--metadata", str(metadata), "--out", str(root / "served")) as app:
        yield Built(build, app.url, sorted(path.stem for path in (metadata / "datasets").glob("*.yaml")))


@pytest.fixture(scope="module", params=["http.server", "nginx"])
def static(request: pytest.FixtureRequest, built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Static]:
    """The static build served by `python -m http.server`, then by Debian's nginx: every check runs on both."""
    port = free_port()
    if request.param == "nginx":
        nginx_or_skip()
        prefix = tmp_path_factory.mktemp("nginx")
        conf = write_conf(prefix, FILES_ONLY_HTTP.format(build=built.build, port=port))
        with running(prefix, conf, port) as url:
            yield Static(url, built.app, built.build, built.ids)
        return
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(built.build)]
    # its request log to /dev/null: a pipe nobody reads would fill and stall the server
    host = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url, host, "the static server")
        yield Static(url, built.app, built.build, built.ids)
    finally:
        host.terminate()
        host.wait(timeout=10)


def test_site_pages_and_their_links(static: Static) -> None:
    pages = ["/", "/finder/", f"/dataset/{static.ids[0]}/", "/guides/harvesters/", "/compare/"]
    for path in pages:
        page = httpx.get(static.url + path)
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html"), path
        for link in re.findall(r'(?:href|src)="([^"#]+)', page.text):
            target = urljoin(static.url + path, link)
            if urlsplit(target).netloc != urlsplit(static.url).netloc:
                continue
            answer = httpx.get(target, follow_redirects=True)
            assert answer.status_code == 200, (path, link)


def test_feeds(static: Static) -> None:
    atom = httpx.get(static.url + "/changes.atom")
    assert atom.status_code == 200
    assert atom.headers["content-type"] == "application/atom+xml"
    assert atom.text.lstrip().startswith("<?xml")
    assert "<feed" in atom.text
    ics = httpx.get(static.url + "/releases.ics")
    assert ics.status_code == 200
    assert ics.headers["content-type"] == "text/calendar"
    assert ics.text.startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize(
    ("extension", "media_type", "rdflib_format"),
    [
        ("ttl", "text/turtle", "turtle"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("rdf", "application/rdf+xml", "xml"),
    ],
)
def test_dcat_files(static: Static, extension: str, media_type: str, rdflib_format: str) -> None:
    for path in (f"/catalog.{extension}", f"/download/catalog.{extension}"):
        answer = httpx.get(static.url + path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"] == media_type, path
        graph = Graph().parse(data=answer.text, format=rdflib_format)
        assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == COUNT, "the whole catalogue, unpaged"
    for dataset_id in static.ids:
        answer = httpx.get(f"{static.url}/dataset/{dataset_id}.{extension}")
        assert answer.status_code == 200, dataset_id
        assert answer.headers["content-type"] == media_type, dataset_id
        graph = Graph().parse(data=answer.text, format=rdflib_format)
        assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 1


def test_ckan_dumps(static: Static) -> None:
    lines = httpx.get(static.url + "/ckan/datasets.jsonl").text.splitlines()
    assert len(lines) == COUNT


def test_package_list_through_ckanapi(static: Static) -> None:
    client = ckanapi.RemoteCKAN(static.url, get_only=True)  # GET /api/action/package_list, as ckanapi asks
    assert sorted(client.action.package_list()) == static.ids
    answer = httpx.get(static.url + "/api/3/action/package_list.json")
    assert answer.headers["content-type"] == "application/json"
    assert (
        reverse_apicontroller_action(str(answer.url), answer.status_code, answer.text) == client.action.package_list()
    )
    served = ckanapi.RemoteCKAN(static.app).action.package_list()
    assert client.action.package_list() == served, "the same list, in the same order, as catalogue serve"


def test_package_show_files_equal_the_servers_answers(static: Static) -> None:
    served = ckanapi.RemoteCKAN(static.app)
    for dataset_id in static.ids:
        answer = httpx.get(f"{static.url}/api/3/action/package_show/{dataset_id}.json")
        assert answer.status_code == 200, dataset_id
        assert answer.headers["content-type"] == "application/json", dataset_id
        package = reverse_apicontroller_action(str(answer.url), answer.status_code, answer.text)
        assert package == served.action.package_show(id=dataset_id)


def test_dataset_page_links_package_show_to_its_file(static: Static) -> None:
    dataset_id = static.ids[0]
    page = httpx.get(f"{static.url}/dataset/{dataset_id}/").text
    assert f'href="../../api/3/action/package_show/{dataset_id}.json"' in page
    assert "package_show?id=" not in page


def test_server_only_files_are_not_published(static: Static) -> None:
    for path in ("/dcat/index.json", "/nginx/server.conf", "/ckan/index/"):
        assert httpx.get(static.url + path).status_code == 404, path
    assert not (static.build / "dcat").exists()
    assert not (static.build / "ckan" / "index").exists()
    # what a build keeps for the next one is not published either; only the build's marker stays
    dotfiles = sorted(str(path.relative_to(static.build)) for path in static.build.rglob(".*"))
    assert dotfiles == [".catalogue-build", ".nojekyll"], dotfiles


def test_what_it_cannot_do_is_said_where_it_would_be_needed(static: Static) -> None:
    for path in ("/guides/harvesters/", "/compare/", "/api/3/action/", "/api/3/action/package_show?id=x"):
        page = httpx.get(static.url + path, follow_redirects=True)
        assert page.status_code == 200, path
        text = re.sub(r"<[^>]+>", "", page.text)
        for words in LIMITS:
            assert words in text, (path, words)
    assert "/api/compare" in httpx.get(static.url + "/compare/").text
    # search and filters are not answered: a client gets a plain 404, never someone else's answer
    assert httpx.get(static.url + "/api/3/action/package_search?q=nrm").status_code == 404
