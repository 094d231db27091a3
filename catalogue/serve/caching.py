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
    conditions = (request.headers.get("if-none-match"), request.headers.get("if-modified-since"))
    if not_modified(*conditions, response.headers["etag"], response.headers["last-modified"]):
        return Response(status_code=304, headers={**(headers or {}), **_validators(response.headers)})
    return response


def _validators(headers: Any) -> dict[str, str]:
    return {key: headers[key] for key in ("etag", "last-modified") if key in headers}


def not_modified(
    if_none_match: str | None, if_modified_since: str | None, etag: str | None, last_modified: str | None
) -> bool:
    """Whether a GET or HEAD may be answered 304 (RFC 9110 13.1.2 and 13.1.3, weak comparison; If-Modified-
    Since counts only without If-None-Match)."""
    if if_none_match is not None:
        if etag is None:
            return False
        tags = [tag.strip() for tag in if_none_match.split(",")]
        return "*" in tags or etag.removeprefix("W/") in [tag.removeprefix("W/") for tag in tags]
    if if_modified_since is None or last_modified is None:
        return False
    try:
        return parsedate_to_datetime(if_modified_since) >= parsedate_to_datetime(last_modified)
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
        modified = (b"last-modified", self.last_modified.encode())

        async def tagging_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                names = {key.lower() for key, _ in message.get("headers", [])}
                if message["status"] != 200 or b"etag" in names:
                    await send(message)
                    return
                start = (
                    message if b"last-modified" in names else {**message, "headers": [*message["headers"], modified]}
                )
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            etag = (b"etag", _tag(hashlib.blake2b(body, digest_size=16).hexdigest()).encode())
            await send({**start, "headers": [*start.get("headers", []), etag]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, tagging_send)


# Paths whose answers are computed per request: HEAD is asked of them as GET, so that its tag is that of
# GET's body. Files answer HEAD themselves (a HEAD of the whole catalogue does not read it).
def _computed(path: str, api_prefixes: tuple[str, ...]) -> bool:
    return path.startswith(api_prefixes) or path == "/catalog" or path.startswith("/catalog.")


class HttpCaching:
    """Outermost: Cache-Control on every answer, the `-gzip` tag of a compressed representation, 304 for a
    current copy, and HEAD answered with GET's headers and no body. On every request, so it reads each
    header list once (Starlette's Headers objects cost more than the work)."""

    def __init__(self, app: App, api_prefixes: tuple[str, ...]) -> None:
        """`api_prefixes`: the paths of computed API answers (the Action API, /api/compare)."""
        self.app, self.api_prefixes = app, api_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        if_none_match = if_modified_since = None
        for key, value in scope["headers"]:
            if key == b"if-none-match":
                if_none_match = value.decode("latin-1")
            elif key == b"if-modified-since":
                if_modified_since = value.decode("latin-1")
        inner = scope
        if method == "HEAD" and _computed(path, self.api_prefixes):
            inner = {**scope, "method": "GET"}
        if if_none_match is not None and '-gzip"' in if_none_match:  # the inner layers know identity tags only
            plain = if_none_match.replace('-gzip"', '"').encode("latin-1")
            inner = {**inner, "headers": [(k, plain if k == b"if-none-match" else v) for k, v in scope["headers"]]}
        request = _Request(method, path, path.startswith(self.api_prefixes), if_none_match, if_modified_since)

        async def caching_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = request.start(message)
            elif message["type"] == "http.response.body" and request.drop:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app(inner, receive, caching_send)


_KEPT_ON_304 = (b"etag", b"last-modified", b"cache-control", b"vary", b"content-location", b"date")


class _Request:
    """What HttpCaching needs of one request to finish its answer's head."""

    def __init__(self, method: str, path: str, api: bool, if_none_match: str | None, if_modified_since: str | None):
        self.method, self.path, self.api = method, path, api
        self.if_none_match, self.if_modified_since = if_none_match, if_modified_since
        self.drop = method == "HEAD"  # send no body (HEAD, or a 304 made here)

    def start(self, message: Message) -> Message:
        """Finish the answer's head: the tag of its coding, the tag the client holds on a 304 from the
        app, Cache-Control for its kind, and a 304 here when the client's copy is current."""
        status = message["status"]
        raw, etag, last_modified, coding, given = _read_head(message.get("headers", []))
        if etag and not etag.startswith("W/") and coding not in (None, "identity"):
            etag = f'{etag[:-1]}-{coding}"'
            raw = _with_etag(raw, etag.encode("latin-1"))
        if status == 304 and etag and self.if_none_match is not None:
            matched = _held_tag(self.if_none_match, etag)
            if matched:  # the representation the client holds (it may be the compressed one)
                raw = _with_etag(raw, matched.removeprefix("W/").encode("latin-1"))
        get = self.method in ("GET", "HEAD")
        control = (given or cache_control(self.path, self.api)) if get and status < 400 else NO_STORE
        raw.append((b"cache-control", control.encode("latin-1")))
        if status == 200 and get and not_modified(self.if_none_match, self.if_modified_since, etag, last_modified):
            self.drop = True
            kept = [(k, v) for k, v in raw if k.lower() in _KEPT_ON_304 or k.lower().startswith(_SECURITY)]
            return {"type": "http.response.start", "status": 304, "headers": kept}
        return {**message, "headers": raw}


RawHeaders = list[tuple[bytes, bytes]]


def _read_head(headers: RawHeaders) -> tuple[RawHeaders, str | None, str | None, str | None, str | None]:
    """The headers without Cache-Control, and the ETag, Last-Modified, Content-Encoding and
    Cache-Control values (None where absent)."""
    etag = last_modified = coding = given = None
    raw = []
    for key, value in headers:
        name = key.lower()
        if name == b"cache-control":
            given = value.decode("latin-1")
            continue
        if name == b"etag":
            etag = value.decode("latin-1")
        elif name == b"last-modified":
            last_modified = value.decode("latin-1")
        elif name == b"content-encoding":
            coding = value.decode("latin-1")
        raw.append((key, value))
    return raw, etag, last_modified, coding, given


def _with_etag(headers: RawHeaders, tag: bytes) -> RawHeaders:
    return [(k, tag if k.lower() == b"etag" else v) for k, v in headers]


def _held_tag(if_none_match: str, etag: str) -> str | None:
    """The tag in If-None-Match that names `etag`'s representation, compressed or not."""
    sent = [tag.strip() for tag in if_none_match.split(",")]
    return next((tag for tag in sent if tag.removeprefix("W/").replace('-gzip"', '"') == etag), None)


_SECURITY = (b"x-", b"content-security", b"referrer", b"access-control")
