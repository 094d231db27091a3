"""The read-only ASGI app `catalogue serve` runs: site, DCAT feeds, CKAN API and dumps, from a build folder.

Everything served was prepared by the build; requests only pick, page and negotiate.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from catalogue.ckan.api import API_PREFIXES, ActionApi, Receive, Send
from catalogue.dcat.files import FORMATS
from catalogue.dcat.pages import BadParameter, DcatCatalogue, PageRequest, negotiate, parse_modified_since, parse_page
from catalogue.layout import BuildLayout

_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def create_app(build: Path) -> Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]:
    """Return the ASGI app serving the build folder `build`: the Action API, then everything else."""
    build = build.resolve()
    api = ActionApi(build)
    site = _site_app(build)

    async def app(scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIXES):
            await api(scope, receive, send)
        else:
            await site(scope, receive, send)

    return app


def _site_app(build: Path) -> Starlette:
    """Return the app for the site, the DCAT feeds and the dumps."""
    dcat = DcatCatalogue(build)

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
        return FileResponse(
            BuildLayout(build).dataset_file(dataset_id, extension),
            media_type=FORMATS[extension][1],
            headers={"Vary": "Accept"},
        )

    async def download(request: Request) -> Response:
        extension = request.path_params["ext"]
        if extension not in FORMATS:
            return PlainTextResponse(f"Unknown format {extension!r}", 404)
        return FileResponse(BuildLayout(build).catalog(extension), media_type=FORMATS[extension][1])

    routes: list[Route | Mount] = [
        Route("/catalog", catalog),
        Route("/catalog.{ext}", catalog),
        Route("/download/catalog.{ext}", download),
        Route("/dataset/{id}.{ext}", dataset),
        Route("/dataset/{id}", dataset),
        Mount("/", app=StaticFiles(directory=build, html=True)),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"])]
    return Starlette(routes=routes, middleware=middleware)
