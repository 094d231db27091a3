"""The "cite this dataset" box: text, BibTeX and RIS from the record, and the .bib and .ris files the build
writes beside each dataset page."""

from __future__ import annotations

import re
from pathlib import Path

from catalogue.records.registry import Registry
from catalogue.site.cite import Citation
from catalogue.site.dataset import DatasetPages

PAGE = "https://modern-slavery-registry.example.org/dataset/nrm-dtn-quarterly/"


def parse_bibtex(text: str) -> tuple[str, str, dict[str, str]]:
    """One BibTeX entry as (type, key, fields), the way BibTeX reads it: braces must balance in each value
    (an unescaped brace from a record would end a value early or swallow the rest of the entry)."""
    head = re.match(r"@(\w+)\{([^,\s]+),\n", text)
    assert head, text
    fields, rest = {}, text[head.end() :]
    while not rest.startswith("}"):
        match = re.match(r"  (\w+) = \{", rest)
        assert match, rest
        depth, i = 1, match.end()
        while depth:
            if rest[i] == "\\":
                i += 2
                continue
            depth += {"{": 1, "}": -1}.get(rest[i], 0)
            i += 1
        fields[match[1]] = rest[match.end() : i - 1]
        rest = rest[i:].removeprefix(",").removeprefix("\n")
    assert rest == "}\n"
    return head[1], head[2], fields


def _citation(registry: Registry) -> Citation:
    return DatasetPages(registry, built="2026-11-30").citation(registry.datasets["nrm-dtn-quarterly"])


def test_text(registry: Registry) -> None:
    title = registry.datasets["nrm-dtn-quarterly"].title
    assert (
        _citation(registry).text()
        == f"Home Office (2026). {title} [data set]. Home Office. {PAGE} (accessed 2026-11-30)."
    )


def test_bibtex_parses_with_the_fields(registry: Registry) -> None:
    kind, key, entry = parse_bibtex(_citation(registry).bibtex())
    assert kind == "misc"
    assert key == "NrmDtnQuarterly"
    assert entry["author"] == "{Home Office}"
    assert entry["year"] == "2026"
    assert entry["url"] == PAGE
    assert entry["urldate"] == "2026-11-30"


def test_bibtex_escapes_what_latex_would_read() -> None:
    citation = Citation("K", "A & B {x}", "50% of $1_000 #1", "2020", "https://a.example/{x}", "2026-11-30", "P")
    text = citation.bibtex()
    assert r"A \& B \{x\}" in text
    assert r"50\% of \$1\_000 \#1" in text
    assert "https://a.example/%7Bx%7D" in text
    assert parse_bibtex(text)[2]["author"] == r"{A \& B \{x\}}"


def test_ris(registry: Registry) -> None:
    lines = _citation(registry).ris().splitlines()
    assert lines[0] == "TY  - DATA"
    assert lines[-1] == "ER  -"
    tags = dict(line.split("  - ", 1) for line in lines[:-1])
    assert (tags["AU"], tags["PY"], tags["UR"], tags["Y2"]) == ("Home Office", "2026", PAGE, "2026/11/30")


def test_ris_values_stay_on_one_line() -> None:
    ris = Citation("K", "A\nB", "Title\nER  - ", "2020", "https://a.example/", "2026-11-30", "P").ris()
    assert [line[:2] for line in ris.splitlines()] == ["TY", "AU", "TI", "PY", "PB", "UR", "Y2", "ID", "ER"]


def test_the_build_writes_the_files_and_the_box(registry: Registry, site: Path) -> None:
    folder = site / "dataset" / "nrm-dtn-quarterly"
    citation = _citation(registry)
    assert (folder / "cite.bib").read_text() == citation.bibtex()
    assert (folder / "cite.ris").read_bytes() == citation.ris().replace("\n", "\r\n").encode()
    page = (folder / "index.html").read_text()
    assert 'href="cite.bib"' in page
    assert 'href="cite.ris"' in page
    assert "accessed 2026-11-30" in page
    for dataset_id in registry.datasets:
        assert (site / "dataset" / dataset_id / "cite.ris").exists()
