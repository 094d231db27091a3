"""`catalogue build` ends its process without Python's teardown (cli/group.py `run`, `leave_at_once`): what it
printed and its exit code must still come out whole."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ROOT

SCRIPT = textwrap.dedent(
    """
    import logging, sys
    import click
    from catalogue.cli import run
    from catalogue.cli.group import leave_at_once, main

    @main.command("exit-test")
    @click.argument("code", type=int)
    def exit_test(code: int) -> None:
        logging.basicConfig(stream=sys.stderr, level=logging.INFO)
        sys.stdout.write("x" * 100_000 + "\\nend of output\\n")  # more than a pipe's buffer, unflushed
        logging.getLogger("test").info("logged last")
        leave_at_once()
        if code:
            raise SystemExit(code)

    run()
    """
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_leaving_at_once_keeps_the_output_and_the_exit_code() -> None:
    done = _run("exit-test", "0")
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("x" * 100 + "\nend of output\n")
    assert "logged last" in done.stderr
    assert _run("exit-test", "3").returncode == 3


def test_a_usage_error_exits_as_click_says() -> None:
    done = _run("exit-test", "not-a-number")
    assert done.returncode == 2
    assert "Invalid value" in done.stderr
