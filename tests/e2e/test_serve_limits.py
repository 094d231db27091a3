"""`catalogue serve` closes connections that hold it: idle, half-sent heads (slowloris), trickling bodies,
oversized heads, and kept-alive connections left idle, while everyone else is answered meanwhile
(catalogue/serve/server.py)."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from catalogue.serve.server import BODY_SECONDS, HEAD_BYTES, HEAD_SECONDS, KEEP_ALIVE_SECONDS
from tests.conftest import ServerProcess

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    out = tmp_path_factory.mktemp("limits") / "out"
    with ServerProcess("--out", str(out)) as running:
        yield running


def _connect(server: ServerProcess, sent: bytes) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    if sent:
        sock.sendall(sent)
    return sock


def _closed_within(sock: socket.socket, seconds: float) -> bytes:
    """Read until the server closes the connection; fail if it is still open after `seconds`."""
    sock.settimeout(seconds)
    received = b""
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            chunk = sock.recv(65536)
            if not chunk:
                return received
            received += chunk
    except TimeoutError:
        pass
    except ConnectionResetError:
        return received
    finally:
        sock.close()
    raise AssertionError(f"connection still open after {seconds} s; received {received[:200]!r}")


def test_connections_that_hold_the_server_are_closed_and_others_answered(server: ServerProcess) -> None:
    opened = time.monotonic()
    idle = [_connect(server, b"") for _ in range(20)]
    half_head = [_connect(server, b"GET /registry.json HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ") for _ in range(20)]
    trickle = _connect(
        server,
        b"POST /api/3/action/package_list HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    )
    kept = _connect(server, b"GET /api/3/action/site_read HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")

    # meanwhile everyone else is answered, promptly
    with httpx.Client(base_url=server.url, timeout=5) as client:
        for path in ("/api/3/action/package_list", "/catalog.ttl", "/", "/registry.json"):
            started = time.monotonic()
            assert client.get(path).status_code == 200, path
            assert time.monotonic() - started < 2, path

    answer = _closed_within(kept, KEEP_ALIVE_SECONDS + 3)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:100]
    for sock in [*idle, *half_head]:
        _closed_within(sock, max(1.0, HEAD_SECONDS + 3 - (time.monotonic() - opened)))
    _closed_within(trickle, max(1.0, BODY_SECONDS + 3 - (time.monotonic() - opened)))


def test_a_kept_alive_connection_that_starts_a_request_and_stalls_is_closed(server: ServerProcess) -> None:
    sock = _connect(server, b"GET /api/3/action/site_read HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    first = sock.recv(65536)
    assert first.startswith(b"HTTP/1.1 200"), first[:100]
    sock.sendall(b"GET /api/3/action/site_read HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
    started = time.monotonic()
    _closed_within(sock, HEAD_SECONDS + 3)
    assert time.monotonic() - started > HEAD_SECONDS - 1  # closed for the stalled head, not by keep-alive


def test_an_oversized_request_head_is_refused_with_431(server: ServerProcess) -> None:
    header = b"X-Big: " + b"a" * (HEAD_BYTES + 1) + b"\r\n"
    sock = _connect(server, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # answered and closed while still sending
        sock.sendall(header + b"\r\n")
    answer = _closed_within(sock, 5)
    assert answer.startswith(b"HTTP/1.1 431"), answer[:100]
    assert httpx.get(f"{server.url}/registry.json", timeout=5).status_code == 200
