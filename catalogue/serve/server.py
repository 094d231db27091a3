"""Run an ASGI app with uvicorn under limits, so that no client can hold the server or its connections.

uvicorn closes a kept-alive connection only after an answer: a connection that never sends a request,
or sends half of one and stops (slowloris), stayed open for ever, as did a POST whose body trickled in.
Here every request must send its line and headers within `HEAD_SECONDS` of the connection opening (or
of its first byte, on a kept-alive connection), in at most `HEAD_BYTES`, and its body within
`BODY_SECONDS`; otherwise the connection is closed (with 431 for a head too large). Kept-alive
connections idle for `KEEP_ALIVE_SECONDS` are closed, and past `MAX_CONNECTIONS` open connections or
requests in progress uvicorn answers 503 instead of queueing without end.
"""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HEAD_SECONDS = 10.0
HEAD_BYTES = 64 * 1024  # request line and headers; browsers and CKAN clients send a few KB at most
BODY_SECONDS = 30.0  # a POST body is at most 1 MB (catalogue/ckan/api.py)
KEEP_ALIVE_SECONDS = 5
MAX_CONNECTIONS = 1000  # below the usual limit of 1,024 open files per process
BACKLOG = 1024

_TOO_LARGE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 32\r\nconnection: close\r\n\r\nRequest line or headers too long"
)


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol with a deadline on each request's head and body, and a size limit on the head."""

    _deadline: asyncio.TimerHandle | None = None
    _head_bytes = -1  # bytes of the request head received so far; -1 once the head is complete

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._expect_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._head_bytes < 0 and self.timeout_keep_alive_task is not None:
            self._expect_head()  # the first byte of the next request on a kept-alive connection
        if self._head_bytes >= 0:
            self._head_bytes += len(data)
            if self._head_bytes > HEAD_BYTES:
                self._cancel_deadline()
                self.transport.write(_TOO_LARGE)
                self.transport.close()
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._head_bytes = -1
        self._set_deadline(BODY_SECONDS)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._cancel_deadline()
        super().on_message_complete()

    def _expect_head(self) -> None:
        self._head_bytes = 0
        self._set_deadline(HEAD_SECONDS)

    def _set_deadline(self, seconds: float) -> None:
        self._cancel_deadline()
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _cancel_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def run(app: Any, host: str, port: int) -> None:
    """Serve `app` on host:port until Ctrl+C or SIGTERM.

    uvicorn shuts down gracefully on either, then raises the signal again with the handler it found;
    SIGTERM's default handler would end the process on the spot, so the callers' `finally` blocks
    (the live preview removing its build folders) would not run. It becomes SystemExit instead.
    """
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        _run(app, host, port)
    finally:
        signal.signal(signal.SIGTERM, previous)


BUILD_VARIABLE = "CATALOGUE_SERVE_BUILD"  # how `run_workers` tells each worker process which build to serve
# ... and which process supervises it: a worker still starting when the supervisor is killed sees init as
# its parent, so its own getppid() cannot tell it the supervisor is gone
SUPERVISOR_VARIABLE = "CATALOGUE_SERVE_SUPERVISOR"


def run_workers(build: Path, host: str, port: int, workers: int) -> None:
    """Serve the build folder `build` from `workers` processes sharing one listening socket, each
    under the same limits as `run`, until Ctrl+C or SIGTERM.

    uvicorn's supervisor binds the socket, starts the workers (fresh interpreters: nothing of the
    parent's open files or threads is shared) and starts a new one if a worker dies. Each worker
    opens the build itself through `worker_app`, named to it by BUILD_VARIABLE."""
    os.environ[BUILD_VARIABLE] = str(build.resolve())
    os.environ[SUPERVISOR_VARIABLE] = str(os.getpid())
    _run("catalogue.serve.server:worker_app", host, port, workers=workers, factory=True)


def worker_app() -> Any:
    """The app one worker process serves: the build folder `run_workers` named (uvicorn calls this).

    A worker dies with the supervisor: killed outright (kill -9), it cannot stop them, and they kept the
    port and served a build nobody was watching."""
    from catalogue.parallel import _die_with_parent
    from catalogue.serve.app import create_app

    _die_with_parent(int(os.environ.get(SUPERVISOR_VARIABLE) or os.getppid()))

    return create_app(Path(os.environ[BUILD_VARIABLE]))


def _run(app: Any, host: str, port: int, **options: Any) -> None:
    uvicorn.run(
        app,
        host=host,
        port=port,
        **options,
        http=GuardedProtocol,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        limit_concurrency=MAX_CONNECTIONS,
        backlog=BACKLOG,
        h11_max_incomplete_event_size=HEAD_BYTES,
        log_level="warning",
        access_log=False,
    )
