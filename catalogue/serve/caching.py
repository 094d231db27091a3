"""HTTP caching for everything `catalogue serve` answers: validators, conditional requests, Cache-Control, HEAD.

A build never changes once it is served, so every answer has a strong validator: a file's ETag is a hash
of its bytes (kept per file and modification, so equal bytes from another build or another worker give
the same tag and a client keeps its copy across rebuilds), a computed answer's (DCAT pages, the API) a
hash of its body. A request whose If-None-Match (or, without one, If-Modified-Since) matches gets 304 and
no body. Cache-Control fits the kind of answer: the theme's hashed assets never change under their name;
pages, files and feeds may change at the next build, so caches keep them briefly and then revalidate.

Two middlewares: `TagBodies` sits inside any compression and tags computed bodies (a gzip stream
carries a timestamp, so its bytes are no validator); `HttpCaching` wraps the whole app and decides.
A compressed answer is another representation, so its tag gets a `-gzip` suffix (the inner layers are
asked with the suffix removed, so they can still answer 304 themselves).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Awaitable, Callable, MutableMapping
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles

from catalogue.cache import BoundedCache

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

# Cache-Control by kind of answer (the nginx configuration the build writes uses the same values)
IMMUTABLE = "public, max-age=31536000, immutable"  # the theme's assets: a new content is a new name
REVALIDATE = "public, max-age=300, must-revalidate"  # pages, files, feeds, DCAT pages: may change at a build
API = "public, max-age=60, must-revalidate"  # API answers: computed from the build, cheap to revalidate
NO_STORE = "no-store"  # errors and answers to POST: nothing a cache should keep

# mkdocs-material's bundles carry their content hash in the name: assets/.../bundle.a5f9d56c.min.js(.map)
HASHED_ASSET = re.compile(r"^/assets/.*\.[0-9a-f]{8,}\.min\.(?:js|css)(?:\.map)?$")


def cache_control(path: str, api: bool) -> str:
    """The Cache-Control of a successful GET of `path` (`api`: a computed API answer)."""
    if api:
        return API
    return IMMUTABLE if HASHED_ASSET.match(path) else REVALIDATE


def _tag(digest: str) -> str:
    return f'"{digest}"'


_FILE_TAGS: BoundedCache[str] = BoundedCache(8 * 1024 * 1024)  # ~100 bytes a file: tens of thousands of files


def file_tag(path: str | os.PathLike[str], stat: os.stat_result) -> str:
    """The strong ETag of a file: a hash of its bytes, computed once per (file, modification)."""
    key = (os.fspath(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
    found = _FILE_TAGS.get(key)
    if found is None:
        digest = hashlib.blake2b(digest_size=16)
        with open(path, "rb") as file:
            while chunk := file.read(1024 * 1024):
                digest.update(chunk)
        found = _tag(digest.hexdigest())
        _FILE_TAGS.put(key, found, len(found))
    return found


class TaggedFileResponse(FileResponse):
    """Starlette's FileResponse with a content-hash ETag (Starlette's hashes the modification time and size,
    which every build changes)."""

    def set_stat_headers(self, stat_result: os.stat_result) -> None:
        self.headers.setdefault("etag", file_tag(self.path, stat_result))
        super().set_stat_headers(stat_result)


class TaggedStaticFiles(StaticFiles):
    """Starlette's StaticFiles answering with TaggedFileResponse (its conditional requests then use our tag)."""

    def file_response(
        self, full_path: Any, stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = TaggedFileResponse(full_path, status_code=status_code, stat_result=stat_result)
        if status_code == 200 and self.is_not_modified(response.headers, Headers(scope=scope)):
            return Response(status_code=304, headers=_validators(response.headers))
        return response


def file_answer(request: Request, path: Path, media_type: str, headers: dict[str, str] | None = None) -> Response:
    """A file as a route answers it: the file with its validators, or 304 when the client's copy is current."""
    stat = path.stat()
    response = TaggedFileResponse(path, media_type=media_type, headers=headers, stat_result=stat)
    if not_modified(request.headers, response.headers["etag"], response.headers["last-modified"]):
        return Response(status_code=304, headers={**(headers or {}), **_validators(response.headers)})
    return response


def _validators(headers: Any) -> dict[str, str]:
    return {key: headers[key] for key in ("etag", "last-modified") if key in headers}


def not_modified(request: Headers, etag: str | None, last_modified: str | None) -> bool:
    """Whether a GET or HEAD may be answered 304 (RFC 9110 13.1.2 and 13.1.3, weak comparison; If-Modified-
    Since counts only without If-None-Match)."""
    if_none_match = request.get("if-none-match")
    if if_none_match is not None:
        if etag is None:
            return False
        tags = [tag.strip() for tag in if_none_match.split(",")]
        return "*" in tags or etag.removeprefix("W/") in [tag.removeprefix("W/") for tag in tags]
    since, last = request.get("if-modified-since"), last_modified
    if since is None or last is None:
        return False
    try:
        return parsedate_to_datetime(since) >= parsedate_to_datetime(last)
    except (TypeError, ValueError, IndexError, OverflowError):
        return False  # an unreadable date is ignored (RFC 9110 13.1.3)


class TagBodies:
    """Give a computed 200 answer to GET or HEAD without an ETag one: a hash of its body, and the build's
    time as Last-Modified. Sits inside compression, so the tag is of the identity bytes."""

    def __init__(self, app: App, last_modified: float) -> None:
        self.app, self.last_modified = app, formatdate(last_modified, usegmt=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def tagging_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message.get("headers", []))
                if message["status"] != 200 or "etag" in headers:
                    await send(message)
                    return
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            added = [(b"etag", _tag(hashlib.blake2b(body, digest_size=16).hexdigest()).encode())]
            if "last-modified" not in Headers(raw=start.get("headers", [])):
                added.append((b"last-modified", self.last_modified.encode()))
            await send({**start, "headers": [*start.get("headers", []), *added]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, tagging_send)


# Paths whose answers are computed per request: HEAD is asked of them as GET, so that its tag is that of
# GET's body. Files answer HEAD themselves (a HEAD of the whole catalogue does not read it).
def _computed(path: str, api_prefixes: tuple[str, ...]) -> bool:
    return path.startswith(api_prefixes) or path == "/catalog" or path.startswith("/catalog.")


class HttpCaching:
    """Outermost: Cache-Control on every answer, the `-gzip` tag of a compressed representation, 304 for a
    current copy, and HEAD answered with GET's headers and no body."""

    def __init__(self, app: App, api_prefixes: tuple[str, ...]) -> None:
        """`api_prefixes`: the paths of computed API answers (the Action API, /api/compare)."""
        self.app, self.api_prefixes = app, api_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        request = Headers(scope=scope)
        api = path.startswith(self.api_prefixes)
        inner = dict(scope)
        if method == "HEAD" and _computed(path, self.api_prefixes):
            inner["method"] = "GET"
        if "if-none-match" in request:  # the inner layers know the identity tags only
            plain = request["if-none-match"].replace('-gzip"', '"').encode("latin-1")
            inner["headers"] = [(k, plain if k == b"if-none-match" else v) for k, v in scope["headers"]]
        state: dict[str, Any] = {"drop": method == "HEAD"}

        async def caching_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = self._start(message, method, path, api, request, state)
            elif message["type"] == "http.response.body" and state["drop"]:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app(inner, receive, caching_send)

    def _start(
        self, message: Message, method: str, path: str, api: bool, request: Headers, state: dict[str, Any]
    ) -> Message:
        status = message["status"]
        raw = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
        headers = Headers(raw=raw)
        given = Headers(raw=message.get("headers", [])).get("cache-control")
        etag = headers.get("etag")
        if etag and not etag.startswith("W/") and headers.get("content-encoding", "identity") != "identity":
            etag = f'{etag[:-1]}-{headers["content-encoding"]}"'
            raw = [(k, etag.encode() if k.lower() == b"etag" else v) for k, v in raw]
        if status == 304 and etag and "if-none-match" in request:
            sent = [tag.strip() for tag in request["if-none-match"].split(",")]
            matched = next((tag for tag in sent if tag.removeprefix("W/").replace('-gzip"', '"') == etag), None)
            if matched:  # the representation the client holds (it may be the compressed one)
                raw = [(k, matched.removeprefix("W/").encode() if k.lower() == b"etag" else v) for k, v in raw]
        cacheable = method in ("GET", "HEAD") and status < 400
        control = (given or cache_control(path, api)) if cacheable else NO_STORE
        raw.append((b"cache-control", control.encode()))
        if status == 200 and method in ("GET", "HEAD") and not_modified(request, etag, headers.get("last-modified")):
            keep = (b"etag", b"last-modified", b"cache-control", b"vary", b"content-location", b"date")
            raw = [
                (k, v)
                for k, v in raw
                if k.lower() in keep or k.lower().startswith((b"x-", b"content-security", b"referrer"))
            ]
            state["drop"] = True
            return {"type": "http.response.start", "status": 304, "headers": raw}
        return {**message, "headers": raw}
