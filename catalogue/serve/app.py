"""The read-only ASGI app `catalogue serve` runs: site, DCAT feeds, CKAN API and dumps, from a build folder.

Everything served was prepared by the build; requests only pick, page and negotiate.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from catalogue.ckan.api import API_PREFIXES, ActionApi, Receive, Send
from catalogue.compare import http as compare_api
from catalogue.dcat.files import FORMATS
from catalogue.dcat.pages import BadParameter, DcatCatalogue, PageRequest, negotiate, parse_modified_since, parse_page
from catalogue.layout import BuildLayout, is_private
from catalogue.serve.caching import HttpCaching, TagBodies, TaggedStaticFiles, file_answer

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# What a page may load and run: scripts only from the site's own files (the theme's inline scripts are
# files too, site/javascripts/theme/), so markup a record's text smuggled into a page could not run; no
# eval. Styles may be inline: Mermaid draws its charts with <style> elements. Icons are data: images.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# On every answer: no type sniffing (a record's text served as a script), no framing (clickjacking),
# no full URL sent on to the sites the pages link to, and the policy above.
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
]


class ServedApp:
    """The ASGI app serving one build folder: the Action API, then everything else. `close()` lets go
    of the build's open files (the live preview replaces the app at every rebuild)."""

    def __init__(self, build: Path) -> None:
        build = build.resolve()
        built = BuildLayout(build).registry_json.stat().st_mtime  # Last-Modified of computed answers
        self.api = TagBodies(ActionApi(build), built)
        self.dcat = DcatCatalogue(build)
        self.site = _site_app(build, self.dcat, built)
        self.cached = HttpCaching(self._dispatch, (*API_PREFIXES, compare_api.PATH))  # validators, 304, HEAD

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        await self.cached(scope, receive, send)

    async def _dispatch(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.site(scope, receive, send)
            return

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        if is_private(scope["path"]):  # the build's own indexes and the nginx configuration
            await PlainTextResponse("Not Found", 404)(scope, receive, send_with_headers)
        elif scope["path"].startswith(API_PREFIXES):
            await self.api(scope, receive, send_with_headers)
        else:
            await self.site(scope, receive, send_with_headers)

    def close(self) -> None:
        self.dcat.close()


def create_app(build: Path) -> ServedApp:
    """Return the ASGI app serving the build folder `build`."""
    return ServedApp(build)


def _site_app(build: Path, dcat: DcatCatalogue, built: float) -> Starlette:
    """Return the app for the site, the DCAT feeds and the dumps."""

    async def catalog(request: Request) -> Response:
        extension = request.path_params.get("ext") or negotiate(request.headers.get("accept")) or "ttl"
        if extension not in FORMATS:
            return PlainTextResponse(f"Unknown format {extension!r}; use one of: {', '.join(FORMATS)}", 404)
        try:
            page = parse_page(request.query_params.get("page"))
            since = parse_modified_since(request.query_params.get("modified_since"))
        except BadParameter as exc:
            return PlainTextResponse(str(exc), 400)
        page_url = f"{request.base_url}catalog.{extension}".replace("//catalog", "/catalog")
        body = dcat.render(PageRequest(extension, page, since, page_url))
        return Response(body, media_type=FORMATS[extension][1], headers={"Vary": "Accept"})

    async def dataset(request: Request) -> Response:
        dataset_id = request.path_params["id"]
        extension = request.path_params.get("ext") or negotiate(request.headers.get("accept"))
        if not _ID.match(dataset_id) or dataset_id not in dcat.ids:
            return PlainTextResponse(f"No dataset {dataset_id!r}", 404)
        if extension is None:
            return RedirectResponse(f"/dataset/{dataset_id}/", status_code=303)
        if extension not in FORMATS:
            return PlainTextResponse(f"Unknown format {extension!r}; use one of: {', '.join(FORMATS)}", 404)
        return file_answer(
            request,
            BuildLayout(build).dataset_file(dataset_id, extension),
            media_type=FORMATS[extension][1],
            headers={"Vary": "Accept"},
        )

    async def download(request: Request) -> Response:
        extension = request.path_params["ext"]
        if extension not in FORMATS:
            return PlainTextResponse(f"Unknown format {extension!r}", 404)
        return file_answer(request, BuildLayout(build).catalog(extension), media_type=FORMATS[extension][1])

    routes: list[Route | Mount] = [
        Route("/catalog", catalog),
        Route("/catalog.{ext}", catalog),
        Route("/download/catalog.{ext}", download),
        Route("/dataset/{id}.{ext}", dataset),
        Route("/dataset/{id}", dataset),
        Route(compare_api.PATH, compare_api.endpoint(build)),  # /api/compare: beside, not inside, the Action API
        Mount("/", app=TaggedStaticFiles(directory=build, html=True)),
    ]
    # gzip for the site and the feeds: a dataset page's HTML and CSS shrink to a fifth, the theme's script to a
    # third, catalog.ttl to a seventh. Level 4: level 6 took twice the CPU for 7-10% less, Starlette's 9 more
    # still for under 1% more. It is paid on every request (wrk, 32 connections: a dataset page 880 -> 470
    # requests/s, catalog.ttl 1,100 -> 250). The Action API (ServedApp) is not wrapped and keeps its speed.
    middleware = [
        Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"]),
        Middleware(GZipMiddleware, minimum_size=1024, compresslevel=4),
        Middleware(TagBodies, last_modified=built),  # innermost (inside any compression): tags identity bytes
    ]
    return Starlette(routes=routes, middleware=middleware)
