"""Every request the importers make goes through `Fetcher`: bounded in size, time, redirects and
retries, so a hostile or broken server can neither stall an import nor fill its memory.

A remote catalogue is untrusted (DESIGN.md, "Untrusted input"). What a server could do, and what
stops it: a huge or endless answer (read in chunks, abandoned past `MAX_BYTES`; a declared
Content-Length past it is refused before reading); a slow drip of bytes, in the body or the
headers, that never trips a read timeout (each request runs against a deadline, `MAX_SECONDS`,
from the request to the last byte); a redirect loop or a redirect to `file://` (at most
`MAX_REDIRECTS`, http and https only); an endless next-page chain and a catalogue of 100,000
datasets (the importers count pages and datasets against `Limits`). Each failure is an
`ImportError_` with one line saying what happened and which option raises the limit.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

from catalogue.importing.limits import ImportError_, Limits
from catalogue.retry import Backoff, transient

RETRIES = 3
"""Tries after the first, for a transport error or a 5xx answer (never for a limit reached)."""
BACKOFF = Backoff(RETRIES, 0.5)

READ_TIMEOUT = 30.0
"""Longest silence allowed while connecting or between two reads (capped by the deadline, MAX_SECONDS)."""

MAX_REDIRECTS = 5
"""Redirects followed for one request; a loop fails after this many."""

USER_AGENT = "modern-slavery-registry import"


@dataclass(frozen=True)
class Answer:
    """One HTTP answer, read whole (within the limits)."""

    url: str  # after redirects
    status: int
    content_type: str | None
    body: bytes


class _Transient(Exception):
    """A failure that may pass on the next try (retry.py's policy)."""


class Fetcher:
    """One HTTP client for one import, with its limits. Use as a context manager."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._client: httpx.Client | None = None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(min(READ_TIMEOUT, self.limits.max_seconds)),
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                headers={"User-Agent": USER_AGENT},
            )
        return self._client

    def get(
        self, url: str, *, params: dict[str, Any] | None = None, accept: str | None = None, body: bool = True
    ) -> Answer:
        """GET `url`, retrying transport errors and 5xx answers with back-off (0.5 s, 1 s, 2 s).

        `body=False` reads only the status and headers (the body is left unread)."""
        last = ""
        for attempt in BACKOFF.tries():
            wait = BACKOFF.wait(attempt)
            try:
                answer = self._within_deadline(url, params, accept, body)
                if not transient(answer.status) or wait is None:
                    return answer
                last = f"HTTP {answer.status}"
            except _Transient as exc:
                last = str(exc)
            if wait is not None:
                time.sleep(wait)
        raise ImportError_(f"{url}: no answer after {RETRIES + 1} tries ({last})")

    def _within_deadline(self, url: str, params: dict[str, Any] | None, accept: str | None, body: bool) -> Answer:
        """Run one request in a worker thread and give up on it at the deadline, whatever it is doing
        (a server can drip headers as slowly as a body, and httpx has no deadline of its own)."""
        outcome: list[Answer | BaseException] = []
        cancel = threading.Event()

        def work() -> None:
            try:
                outcome.append(self._read(url, params, accept, body, cancel))
            except BaseException as exc:  # handed to the caller's thread
                outcome.append(exc)

        worker = threading.Thread(target=work, name="import-fetch", daemon=True)
        worker.start()
        worker.join(self.limits.max_seconds)
        if not outcome:
            cancel.set()  # the worker stops at its next chunk; a daemon, it never holds the process
            raise ImportError_(
                f"{url}: no complete answer within {self.limits.max_seconds:g} s; stopped "
                "(--max-seconds raises the limit)"
            )
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def _read(
        self, url: str, params: dict[str, Any] | None, accept: str | None, body: bool, cancel: threading.Event
    ) -> Answer:
        headers = {"Accept": accept} if accept else {}
        try:
            with self.client.stream("GET", url, params=params, headers=headers) as response:
                content_type = response.headers.get("content-type")
                final = str(response.url)
                if not body:
                    return Answer(final, response.status_code, content_type, b"")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.limits.max_bytes:
                    raise ImportError_(self._too_large(final, f"says it is {int(declared)} bytes, more"))
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.limits.max_bytes:
                        raise ImportError_(self._too_large(final, "is longer"))
                    if cancel.is_set():
                        raise ImportError_(f"{url}: abandoned at the deadline")
                    chunks.append(chunk)
                return Answer(final, response.status_code, content_type, b"".join(chunks))
        except httpx.TooManyRedirects:
            raise ImportError_(f"{url}: redirected more than {MAX_REDIRECTS} times (a redirect loop?)") from None
        except httpx.UnsupportedProtocol as exc:
            raise ImportError_(f"{url}: {exc} (only http:// and https:// are fetched)") from None
        except httpx.TransportError as exc:
            raise _Transient(f"{type(exc).__name__}: {exc}") from None
        except httpx.HTTPError as exc:  # an invalid URL, a malformed answer: retrying would not help
            raise ImportError_(f"{url}: {type(exc).__name__}: {exc}") from None

    def _too_large(self, url: str, how: str) -> str:
        return f"{url}: the answer {how} than the limit of {self.limits.max_bytes} bytes (--max-bytes raises it)"


def read_local(path: str, limits: Limits) -> bytes:
    """Read a local file the user named, up to the byte cap (a named pipe or /dev/zero never ends)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as exc:
        raise ImportError_(f"{path}: {exc.strerror or exc}") from None
    if len(data) > limits.max_bytes:
        raise ImportError_(f"{path}: larger than the limit of {limits.max_bytes} bytes (--max-bytes raises it)")
    return data


__all__ = ["MAX_REDIRECTS", "RETRIES", "Answer", "Fetcher", "ImportError_", "Limits", "read_local"]
