"""The importers' one HTTP retry loop, and the error every importer raises when a source cannot be read."""

from __future__ import annotations

import time
from typing import Any

import httpx

from catalogue.retry import Backoff, transient

RETRIES = 3
BACKOFF = Backoff(RETRIES, 0.5)


class ImportError_(Exception):
    """The source could not be read; the message says why."""


def request_with_retries(client: httpx.Client, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
    """GET `url`; retry transport errors and 5xx answers with back-off (0.5 s, 1 s, 2 s)."""
    last = ""
    for attempt in BACKOFF.tries():
        wait = BACKOFF.wait(attempt)
        try:
            response = client.get(url, params=params)
            if not transient(response.status_code) or wait is None:
                return response
            last = f"HTTP {response.status_code}"
        except httpx.TransportError as exc:
            last = f"{type(exc).__name__}: {exc}"
        if wait is not None:
            time.sleep(wait)
    raise ImportError_(f"{url}: no answer after {RETRIES + 1} tries ({last})")


__all__ = ["RETRIES", "ImportError_", "request_with_retries"]
