"""Debian's nginx run unprivileged from a prefix in a temporary folder (`nginx -p DIR -c FILE`), for the end-to-end
tests that put it in front of `catalogue serve` (test_nginx.py) or serve a static build with it (test_static.py).

The tests differ only in the `http { ... }` block; the rest of the main configuration (pid, logs, the temporary
paths nginx needs to run from its own folder, the user as root) is written here once."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")

MAIN_CONF = """\
daemon off;
worker_processes 1;
{user}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections {connections}; }}
http {{
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
{http}
}}
"""


def nginx_or_skip() -> str:
    """The nginx binary, or skip the test where it is not installed."""
    if NGINX is None:
        pytest.skip("nginx is not installed (.ci/run installs Debian's nginx)")
    return NGINX


def write_conf(prefix: Path, http: str, *, connections: int = 64, as_root: bool | None = None) -> Path:
    """Write the main configuration, with `http` inside its http block, into `prefix` (made with its tmp/);
    return its path. As root, workers would run as nobody, outside the temporary folder: `user root;`."""
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    root = os.geteuid() == 0 if as_root is None else as_root
    conf = prefix / "nginx.conf"
    text = MAIN_CONF.format(
        user="user root;" if root else "", prefix=prefix, connections=connections, http=http.rstrip("\n")
    )
    conf.write_text(text, encoding="utf-8")
    return conf


def check_conf(prefix: Path, conf: Path) -> None:
    """`nginx -t`: the configuration is one nginx accepts."""
    checked = subprocess.run(
        [nginx_or_skip(), "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stderr


@contextmanager
def running(prefix: Path, conf: Path, port: int) -> Iterator[str]:
    """Start nginx with `conf` (checked first), wait until it answers on 127.0.0.1:`port`, yield its URL, stop it."""
    check_conf(prefix, conf)
    process = subprocess.Popen([nginx_or_skip(), "-p", str(prefix), "-c", str(conf)], stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(url, process, "nginx")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


def wait_until_answering(url: str, process: subprocess.Popen[str], name: str) -> None:
    """Wait up to 30 s for `url` to answer; fail with the process's own words if it exits first."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = process.stderr.read() if process.stderr else ""
            raise RuntimeError(f"{name} exited with {process.returncode}: {said}")
        try:
            httpx.get(url + "/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not answer within 30 s")
