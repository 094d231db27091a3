"""How to cite a dataset: one plain-text reference, BibTeX and RIS, from what the record says.

The citation names the publisher as author (the records cite series, not people), the title, the year of the
latest edition (or of the first, or of the record's coverage, whichever the record gives), the dataset page's
address and the date it was accessed, which is the day the site was built (`SiteBuild.built`). The build also
writes the BibTeX and RIS as files beside each dataset page (`cite.bib`, `cite.ris`), for reference managers.
BibTeX special characters are escaped; RIS has no escaping, so its values are put on one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from catalogue.records.model import Dataset
from catalogue.records.registry import Registry
from catalogue.site.render import oneline

_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
_BIBTEX_WORDS = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


@dataclass(frozen=True)
class Citation:
    """The parts of a dataset's citation; `text`, `bibtex` and `ris` put them together."""

    key: str
    author: str
    title: str
    year: str | None
    url: str
    accessed: str  # YYYY-MM-DD
    publisher: str

    def text(self) -> str:
        year = f" ({self.year})" if self.year else ""
        return f"{self.author}{year}. {self.title} [data set]. {self.publisher}. {self.url} (accessed {self.accessed})."

    def bibtex(self) -> str:
        fields = [
            ("author", "{" + _bibtex(self.author) + "}"),  # braced: an organisation, not "Last, First"
            ("title", _bibtex(self.title)),
            ("year", self.year),
            ("publisher", _bibtex(self.publisher)),
            ("url", self.url.replace("}", "%7D").replace("{", "%7B")),
            ("urldate", self.accessed),
            ("note", f"Accessed {self.accessed}"),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def ris(self) -> str:
        lines = [
            ("TY", "DATA"),
            ("AU", self.author),
            ("TI", self.title),
            ("PY", self.year),
            ("PB", self.publisher),
            ("UR", self.url),
            ("Y2", self.accessed.replace("-", "/")),
            ("ID", self.key),
            ("ER", ""),
        ]
        return "".join(f"{tag}  - {oneline(value)}".rstrip() + "\n" for tag, value in lines if value is not None)


def _bibtex(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_WORDS.get(m[1], "\\" + m[1]), oneline(text))


def citation(registry: Registry, dataset: Dataset, page_url: str, accessed: str) -> Citation:
    """The citation of `dataset`, whose page is at `page_url`, accessed on `accessed` (the build date)."""
    publisher = registry.agents[dataset.publisher].name
    dated = dataset.releases.last_updated or dataset.releases.first_issued or dataset.temporal_coverage.end
    return Citation(
        key=re.sub(r"[^A-Za-z0-9]", "", dataset.id.title()),
        author=oneline(publisher),
        title=oneline(dataset.title),
        year=dated[:4] if dated else None,
        url=page_url,
        accessed=accessed,
        publisher=oneline(publisher),
    )
