"""What `.ci/run` must keep doing (issue: it failed at once when apt's lock was held, e.g. by unattended
upgrades on a fresh machine). A static check of the script: every apt call waits for the lock, and the
linters and the type checker run before the tests."""

from __future__ import annotations

import re

from tests.conftest import ROOT

SCRIPT = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_apt_call_waits_for_the_lock() -> None:
    calls = [line for line in SCRIPT.splitlines() if re.search(r"\bapt-get\b|\$\{APT\[@\]\}", line)]
    calls = [line for line in calls if "command -v apt-get" not in line]
    assert calls, "no apt call found"
    apt = re.search(r"^\s*APT=\((.*)\)$", SCRIPT, re.M)
    assert apt is not None
    assert "DPkg::Lock::Timeout=" in apt.group(1)
    for line in calls:
        assert line.strip().startswith("APT=(") or "${APT[@]}" in line, f"apt called without the lock wait: {line}"


def test_linters_and_type_checker_run_before_the_tests() -> None:
    order = [SCRIPT.index(step) for step in ("ruff check", "ruff format --check", "mypy", "pytest -q tests")]
    assert order == sorted(order)
    assert "set -euo pipefail" in SCRIPT  # a finding stops the run
