"""The limits of one import, and the error an import fails with: apart from http.py so that the
CLI can show the defaults without loading an HTTP client.

Each limit is a module constant (documented below); `Limits` holds one import's values, which the
CLI's --max-* options may change. Reaching one stops the import with one line saying which option
raises it.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64 * 1024 * 1024
"""Largest answer read, in bytes after decompression (`--max-bytes`). A CKAN page of 1,000 packages
or a DCAT page of 100 datasets is a few megabytes; a whole 10,000-dataset catalogue in one file
stays under it. The answer is read in chunks, so past the cap nothing more is held in memory."""

MAX_SECONDS = 120.0
"""Longest one request may take, from sending it to the answer's last byte (`--max-seconds`). A read
timeout alone never fires while a server drips a byte at a time; this deadline does."""

MAX_PAGES = 1000
"""Pages followed in one import (`--max-pages`): hydra:next links of a DCAT catalogue, or
package_search pages of a CKAN site (100,000 datasets at ckanext-dcat's 100 a page)."""

MAX_DATASETS = 20_000
"""Datasets read in one import (`--max-datasets`): twice the scale the registry is built and measured
for (10,000 records). A catalogue that says it holds more is refused before its datasets are staged."""


class ImportError_(Exception):
    """The source could not be read; the message says why."""


@dataclass(frozen=True)
class Limits:
    """The caps of one import; the defaults are the module's constants, the CLI may change them."""

    max_bytes: int = MAX_BYTES
    max_seconds: float = MAX_SECONDS
    max_pages: int = MAX_PAGES
    max_datasets: int = MAX_DATASETS

    def check_pages(self, pages: int, source: str) -> None:
        """Refuse to fetch page number `pages` + 1 when `pages` have been read already."""
        if pages >= self.max_pages:
            raise ImportError_(
                f"{source}: more than {self.max_pages} pages, each naming a next one; stopped there "
                "(--max-pages raises the limit)"
            )

    def check_datasets(self, count: int, source: str, *, declared: bool = False) -> None:
        """Refuse a catalogue once `count` datasets (read, or `declared` by the catalogue) pass the cap."""
        if count > self.max_datasets:
            said = f"says it holds {count} datasets" if declared else f"holds more than {self.max_datasets} datasets"
            raise ImportError_(
                f"{source}: {said}, over the limit of {self.max_datasets}; stopped (--max-datasets raises the limit)"
            )


__all__ = ["MAX_BYTES", "MAX_DATASETS", "MAX_PAGES", "MAX_SECONDS", "ImportError_", "Limits"]
