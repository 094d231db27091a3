"""Check every URL in the registry: landing pages, distributions, access routes, sources, agents' pages.

Bounded concurrency (a few requests at a time per host, more in all), a timeout per request, bounded
retries with back-off for failures that may pass, HEAD first with a GET fallback (many servers refuse
or mishandle HEAD), redirects followed and reported.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

import httpx

from catalogue.records.registry import Registry
from catalogue.retry import Backoff, transient

PER_HOST = 3
IN_ALL = 16
RETRIES = 2


@dataclass
class LinkResult:
    url: str
    status: int | None
    ok: bool
    final_url: str
    redirects: list[str] = field(default_factory=list)
    error: str = ""
    used_in: list[str] = field(default_factory=list)


def registry_urls(registry: Registry) -> dict[str, list[str]]:
    """Return every URL in the registry with where it is used ("dataset-id: field")."""
    found: dict[str, list[str]] = defaultdict(list)

    def add(url: str | None, where: str) -> None:
        if url:
            found[url].append(where)

    for agent in registry.agents.values():
        add(agent.homepage, f"agent {agent.id}: homepage")
    for d in registry.datasets.values():
        add(d.landing_page, f"{d.id}: landing_page")
        add(d.access.url, f"{d.id}: access.url")
        add(d.contact_point.url, f"{d.id}: contact_point.url")
        if d.qaad:
            add(d.qaad.url, f"{d.id}: qaad.url")
        for i, dist in enumerate(d.distributions):
            add(dist.access_url, f"{d.id}: distributions[{i}].access_url")
            add(dist.download_url, f"{d.id}: distributions[{i}].download_url")
        for key, source in d.sources.items():
            add(source.url, f"{d.id}: sources.{key}")
    return dict(sorted(found.items()))


async def _check(
    client: httpx.AsyncClient,
    url: str,
    host_limits: dict[str, asyncio.Semaphore],
    overall: asyncio.Semaphore,
    retries: int,
) -> LinkResult:
    host = urlsplit(url).netloc
    async with overall, host_limits[host]:
        last_error = ""
        backoff = Backoff(retries, 0.2)
        for attempt in backoff.tries():
            wait = backoff.wait(attempt)
            try:
                response = await client.head(url)
                if response.status_code in (405, 403, 501) or transient(response.status_code):
                    response = await client.get(url)
                if transient(response.status_code) and wait is not None:
                    await asyncio.sleep(wait)
                    continue
                redirects = [str(r.url) for r in response.history]
                return LinkResult(url, response.status_code, response.status_code < 400, str(response.url), redirects)
            except httpx.TooManyRedirects:
                return LinkResult(url, None, False, url, error="too many redirects")
            except httpx.TimeoutException:
                last_error = "timed out"
            except httpx.TransportError as exc:
                last_error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            if wait is not None:
                await asyncio.sleep(wait)
        return LinkResult(url, None, False, url, error=last_error)


async def check_urls(
    urls: dict[str, list[str]], *, timeout: float = 10.0, retries: int = RETRIES, progress: object = None
) -> list[LinkResult]:
    """Check `urls` (url -> where used); return one result per URL, in the order given."""
    host_limits: dict[str, asyncio.Semaphore] = defaultdict(lambda: asyncio.Semaphore(PER_HOST))
    overall = asyncio.Semaphore(IN_ALL)
    headers = {"User-Agent": "modern-slavery-registry linkcheck"}
    async with httpx.AsyncClient(follow_redirects=True, max_redirects=10, timeout=timeout, headers=headers) as client:
        tasks = [_check(client, url, host_limits, overall, retries) for url in urls]
        results = []
        for done in asyncio.as_completed(tasks):
            results.append(await done)
            if callable(progress):
                progress(len(results), len(tasks))
    by_url = {result.url: result for result in results}
    ordered = [by_url[url] for url in urls]
    for result in ordered:
        result.used_in = urls[result.url]
    return ordered


def table(results: list[LinkResult]) -> str:
    """Return a plain-text table: status, URL, and for redirects or failures what happened."""
    lines = []
    for r in results:
        status = str(r.status) if r.status is not None else "---"
        mark = "ok " if r.ok else "BROKEN"
        note = r.error or (f"redirected {len(r.redirects)}x to {r.final_url}" if r.redirects else "")
        lines.append(f"{mark:6} {status:>3} {r.url}" + (f"  ({note})" if note else ""))
    broken = sum(1 for r in results if not r.ok)
    lines.append(f"{len(results)} links checked, {broken} broken, {sum(1 for r in results if r.redirects)} redirected")
    return "\n".join(lines)


def report_json(results: list[LinkResult]) -> str:
    return json.dumps([asdict(r) for r in results], indent=2)
