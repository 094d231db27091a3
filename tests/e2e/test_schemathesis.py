"""schemathesis over the served /openapi.json, every check on: each answer of the real `catalogue serve`
must match what the description promises (status codes, content types, bodies, Allow on 405), invalid
input must be refused and valid input accepted.

Bounded and repeatable: a fixed seed, one worker, a fixed number of cases per operation (about a
minute on two cores). A failure prints schemathesis' report, with a curl line to reproduce each case.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ServerProcess

pytestmark = pytest.mark.e2e

# Where valid input may still be refused: a Solr query (q, fq, fq_list) that does not parse is a 400
# Search Query Error, as CKAN answers, and no JSON Schema can say which strings parse. Everywhere else
# a request the description calls valid must not get a 400. The show operations get a real id, so that
# their answers are checked too (random ids only reach the 404).
CONFIG = """
seed = 20240601
workers = 1

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "403", "404", "409"]

[[operations]]
include-operation-id = ["package_search", "package_search_post"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "404", "409"]

[[operations]]
include-operation-id = ["package_show", "dataset"]
parameters = { "id" = "nrm-dtn-annual" }

[[operations]]
include-operation-id = ["organization_show"]
parameters = { "id" = "home-office" }

[[operations]]
include-operation-id = ["group_show"]
parameters = { "id" = "nrm-and-duty-to-notify" }
"""
EXAMPLES_PER_OPERATION = 40


def _schemathesis() -> str:
    found = Path(sys.executable).with_name("st")
    if found.exists():
        return str(found)
    on_path = shutil.which("st")
    assert on_path, "schemathesis is not installed: pip install -e '.[test]'"
    return on_path


def test_every_operation_answers_as_its_openapi_description_says(tmp_path: Path) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    with ServerProcess("--out", str(tmp_path / "out")) as server:
        run = subprocess.run(
            [
                _schemathesis(),
                "--config-file",
                str(config),
                "run",
                f"{server.url}/openapi.json",
                "--checks",
                "all",
                "--max-examples",
                str(EXAMPLES_PER_OPERATION),
                "--request-timeout",
                "10",
                "--warnings",
                "off",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=600,
        )
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    selected, tested = re.search(r"Selected: (\d+)/\d+", report), re.search(r"Tested: (\d+)", report)
    assert selected, report
    assert tested, report
    assert selected.group(1) == tested.group(1), report  # every operation was reached
