"""The nginx configuration `catalogue build` writes beside its output: Debian's nginx in front of `catalogue serve`.

nginx serves the files the build wrote (pages, feeds, dumps, each dataset's DCAT files) from disk, negotiates
`/dataset/<id>` and `/catalog` on the Accept header for the headers clients actually send, and hands the rest
to `catalogue serve`: the API, the DCAT pages (paging and `modified_since` are computed) and any Accept header
too subtle for a `map` (q-values and wildcards are weighed by the app, RFC 9110 12.5.1). Answers from disk
carry the same security headers, Content-Security-Policy and Cache-Control as the app's, and the same media
types (taken from the types the app would send for each file of this build).

Two files: `http.conf` (the Accept map and the upstream; http context) and `server.conf` (server context),
included from a server block the deployer writes with its own `listen`, `server_name` and TLS lines; the
README's "Deploying" section shows one, and tests/e2e/test_nginx.py runs exactly that.
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Callable
from pathlib import Path

from catalogue.ckan.api import API_PREFIXES
from catalogue.compare.http import PATH as COMPARE_PATH
from catalogue.dcat.files import FORMATS
from catalogue.layout import PRIVATE_PREFIXES, BuildLayout
from catalogue.records.registry import Registry
from catalogue.serve.app import SECURITY_HEADERS
from catalogue.serve.caching import HASHED_ASSET, IMMUTABLE, NO_STORE, REVALIDATE

UPSTREAM = "catalogue_serve"
_HOST_PORT = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}$")
_UNSAFE_IN_PATH = re.compile(r'["\\$\x00-\x1f\x7f]')  # would end a quoted nginx string or name a variable


class NginxProblem(ValueError):
    """The configuration could not be written as asked; the message says what to change, `option` where."""

    def __init__(self, message: str, option: str) -> None:
        super().__init__(message)
        self.option = option


def nginx_step(out: Path, upstream: str) -> Callable[[Registry, Path], None]:
    """The build step writing the configuration for serving `out` with `catalogue serve` at `upstream`
    (HOST:PORT). Checked before the build starts, so a bad value fails at once."""
    if not _HOST_PORT.match(upstream) or not 0 < int(upstream.rsplit(":", 1)[1]) < 65536:
        raise NginxProblem(f"{upstream!r} is not HOST:PORT, e.g. 127.0.0.1:8000", "--upstream")
    root = out.resolve()
    if _UNSAFE_IN_PATH.search(str(root)):
        raise NginxProblem(
            f"nginx cannot name the folder {str(root)!r}: choose an --out without quotes, backslashes or $", "--out"
        )

    def write(registry: Registry, work: Path) -> None:
        layout = BuildLayout(work)
        layout.nginx_dir.mkdir(exist_ok=True)
        layout.nginx_http_conf.write_text(http_conf(upstream), encoding="utf-8")
        layout.nginx_server_conf.write_text(server_conf(root, _media_types(work)), encoding="utf-8")

    return write


def _media_types(build: Path) -> dict[str, str]:
    """The media type the app sends for each file extension in the build (Starlette guesses from the name)."""
    found: dict[str, str] = {}
    for _, _, files in os.walk(build):
        for name in files:
            extension = name.rpartition(".")[2].lower()
            if "." in name and extension not in found and re.fullmatch(r"[a-z0-9]+", extension):
                media = mimetypes.guess_type(name)[0]
                if media and mimetypes.guess_type(name)[1] is None:
                    found[extension] = media
    return dict(sorted(found.items()))


def http_conf(upstream: str) -> str:
    """The http-context part: how an Accept header picks a representation, and where the app listens."""
    rdf = {ext: media for ext, (_, media) in FORMATS.items()}
    accept = [
        '    ""                                   html;  # no Accept: the page (catalogue serve does the same)',
        r'    "~*^\s*\*/\*\s*$"                     html;',
        r'    "~*^\s*text/html\s*(,|$)"             html;  # browsers: text/html first, at q=1',
        *(f'    "~*^\\s*{re.escape(media)}\\s*$" {ext};' for ext, media in rdf.items()),
        r'    "~*^\s*application/json\s*$"          jsonld;',
    ]
    return "\n".join(
        [
            "# Written by `catalogue build`; include in nginx's http block (see the README's Deploying section).",
            "# The representation of /dataset/<id> and /catalog for the Accept headers clients send; anything",
            "# else (q-values, wildcards, several types) is left empty and goes to catalogue serve to weigh.",
            "map $http_accept $registry_rdf {",
            '    default "";',
            *accept,
            "}",
            "# Cache-Control on answers from disk: kept briefly and revalidated, errors never kept",
            "map $status $registry_revalidate {",
            f'    ~^[23] "{REVALIDATE}";',
            f'    default "{NO_STORE}";',
            "}",
            "map $status $registry_immutable {",
            f'    ~^[23] "{IMMUTABLE}";',
            f'    default "{NO_STORE}";',
            "}",
            f"upstream {UPSTREAM} {{",
            f"    server {upstream};  # catalogue serve",
            "    keepalive 16;",
            "}",
            "",
        ]
    )


def _headers(cache: str, *extra: str) -> list[str]:
    lines = [f'    add_header {name.decode()} "{value.decode()}" always;' for name, value in SECURITY_HEADERS]
    lines += [
        '    add_header Access-Control-Allow-Origin "*" always;',
        f'    add_header Cache-Control "{cache}" always;',
    ]
    return lines + [f"    add_header {line} always;" for line in extra]


_PROXY = [
    f"    proxy_pass http://{UPSTREAM};",
    "    proxy_http_version 1.1;",
    '    proxy_set_header Connection "";',
    "    proxy_set_header Host $http_host;  # links the app makes (paging, help) name the address asked",
    "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "    proxy_set_header X-Forwarded-Proto $scheme;",
    "    proxy_read_timeout 60s;",
]


def server_conf(root: Path, media_types: dict[str, str]) -> str:
    """The server-context part: files from `root`, negotiation, and the proxy to catalogue serve."""
    dataset_id = "[a-z0-9]+(?:-[a-z0-9]+)*"
    rdf = "|".join(FORMATS)
    text_types = sorted({media for media in media_types.values() if media.startswith("text/")} - {"text/html"})
    gzip_types = sorted(
        {m for m in media_types.values() if m.startswith("text/") or m.endswith(("json", "+xml", "javascript"))}
        - {"text/html"}
    )
    proxied = [f"location ^~ {prefix} {{" for prefix in API_PREFIXES] + [f"location = {COMPARE_PATH} {{"]
    lines = [
        f"# Written by `catalogue build` for {root}; include in a server block (see the README's Deploying).",
        f'root "{root}";',
        "index index.html;",
        "absolute_redirect off;  # redirects name the path only: they stay on the address the client used",
        "server_tokens off;",
        "error_page 404 /404.html;",
        "# the limits catalogue serve applies (catalogue/serve/server.py)",
        "client_max_body_size 1m;",
        "client_header_timeout 10s;",
        "client_body_timeout 30s;",
        "keepalive_timeout 5s;",
        "large_client_header_buffers 4 16k;",
        "gzip on;",
        "gzip_comp_level 6;",
        "gzip_min_length 1024;",
        "gzip_vary on;",
        "gzip_proxied any;",
        f"gzip_types {' '.join(gzip_types)};",
        "charset utf-8;",
        f"charset_types {' '.join(text_types) or 'text/plain'};",
        "default_type application/octet-stream;",
        "types {",
        *(f"    {media} {ext};" for ext, media in media_types.items()),
        "}",
        "",
        "# not published: the build's working files and this configuration",
        *(f"location ^~ {prefix} {{ return 404; }}" for prefix in PRIVATE_PREFIXES),
        r"location ~ /\. { return 404; }",
        "",
        "# computed by catalogue serve: the CKAN Action API, /api/compare, the DCAT catalogue's pages",
        *(line for location in proxied for line in (location, *_PROXY, "}")),
        "location ^~ /catalog. {",
        *_PROXY,
        "}",
        "location = /catalog {",
        f'    if ($registry_rdf ~ "^({rdf})$") {{ rewrite ^ /catalog.$registry_rdf last; }}',
        *_PROXY,
        "}",
        "location @catalogue_serve {",
        *_PROXY,
        "}",
        "",
        "# /dataset/<id>: the page for browsers (303 as the app answers), the DCAT file for RDF clients",
        f'location ~ "^/dataset/(?<registry_id>{dataset_id})$" {{',
        "    error_page 418 = @catalogue_serve;",
        "    error_page 404 /404.html;  # an error_page here replaces the server's",
        *_headers("$registry_revalidate", "Vary Accept"),
        "    if (!-f $document_root/dataset/$registry_id.ttl) { return 404; }",
        "    if ($registry_rdf = html) { return 303 /dataset/$registry_id/; }",
        '    if ($registry_rdf = "") { return 418; }  # an Accept header for the app to weigh',
        "    rewrite ^ /dataset/$registry_id.$registry_rdf last;",
        "}",
        f'location ~ "^/dataset/{dataset_id}\\.({rdf})$" {{',
        *_headers("$registry_revalidate", "Vary Accept"),
        "    try_files $uri =404;",
        "}",
        f'location ~ "^/download/catalog\\.(?<registry_ext>{rdf})$" {{',
        *_headers("$registry_revalidate"),
        "    try_files /catalog.$registry_ext =404;",
        "}",
        "",
        "# the theme's bundles carry a hash of their content in their name",
        f'location ~ "{HASHED_ASSET.pattern}" {{',
        *_headers("$registry_immutable"),
        "    try_files $uri =404;",
        "}",
        "# every other file: site pages, feeds, dumps, registry.json",
        "location / {",
        *_headers("$registry_revalidate"),
        "    try_files $uri $uri/ =404;",
        "}",
        "",
    ]
    return "\n".join(lines)
