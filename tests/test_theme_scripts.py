"""The theme's inline scripts, moved to files for the Content-Security-Policy (site/javascripts/theme/), are the
theme's own: an upgrade of mkdocs-material that changes one fails here, naming the file to copy again."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest

THEME = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
OURS = Path(__file__).resolve().parents[1] / "site" / "javascripts" / "theme"
OVERRIDES = Path(__file__).resolve().parents[1] / "site" / "overrides" / "partials" / "javascripts"
# the one value the theme writes into a script; our copy reads it from the script element
SCOPE = '"{{ config.extra.scope | d(base_url) }}"'

# (the theme's partial, which of its inline scripts, our file)
COPIES = [
    ("base.html", 0, "base.js"),
    ("palette.html", 0, "palette.js"),
    ("content.html", 0, "tabs.js"),
    ("content.html", 1, "content.js"),
]


def code(path: Path) -> str:
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("//"))


@pytest.mark.parametrize(("partial", "index", "ours"), COPIES)
def test_each_theme_script_is_copied_as_the_theme_has_it(partial: str, index: int, ours: str) -> None:
    scripts = re.findall(r"<script>(.*?)</script>", (THEME / partial).read_text(encoding="utf-8"), re.S)
    expected = scripts[index].replace(SCOPE, "document.currentScript.dataset.scope")
    assert code(OURS / ours) == expected, f"copy partials/javascripts/{partial} of mkdocs-material into {OURS / ours}"


def test_every_overridden_partial_loads_its_scripts_from_files() -> None:
    for partial in {partial for partial, _, _ in COPIES}:
        text = (OVERRIDES / partial).read_text(encoding="utf-8")
        assert "<script>" not in text, partial
        assert re.findall(r"<script src=", text), partial
