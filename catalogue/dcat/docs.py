"""The dataset part of the DCAT mapping page (site/dcat-mapping.md), made from the mapping itself: a
row per flat field of the table (fields.py), the rows each section (sections/) gives for itself,
in the order of the model's fields. A test checks that the page holds every row, so the page
cannot drift from the code."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from catalogue.dcat.fields import FIELDS, Row
from catalogue.dcat.sections import SECTIONS, Section
from catalogue.records.model import Dataset

HEADER = "| field | DCAT | notes |\n|---|---|---|"
# The dataset node itself, written by the mapper rather than by a row or a section.
DATASET_ROW = (
    "(the dataset)",
    "`base/dataset/<id>` a `dcat:Dataset`; `dct:type` dataset-type `STATISTICAL`",
    "",
)


def mapping_rows(fields: Iterable[Row] = FIELDS, sections: Sequence[Section] = SECTIONS) -> list[str]:
    """Return the table's rows as Markdown lines, the dataset node first, then in model field order."""
    order = {name: i for i, name in enumerate(Dataset.model_fields)}
    rows = [(row.path, f"`{row.predicate}` ({row.kind.doc})", row.note) for row in fields]
    rows += [doc for section in sections for doc in section.docs]
    rows.sort(key=lambda row: order.get(row[0].split(".")[0].split("[")[0], len(order)))
    return [_line(row) for row in [DATASET_ROW, *rows]]


def mapping_table_markdown(fields: Iterable[Row] = FIELDS, sections: Sequence[Section] = SECTIONS) -> str:
    """Return the dataset mapping table, header included, as Markdown."""
    return "\n".join([HEADER, *mapping_rows(fields, sections)]) + "\n"


def _line(row: tuple[str, str, str]) -> str:
    field, dcat, notes = (part.replace("|", "\\|") for part in row)
    return f"| {field} | {dcat} | {notes} |".replace("|  |", "| |")


TABLE_START = "<!-- dataset table:"
TABLE_END = "<!-- end of dataset table -->"


def with_mapping_table(page: str, fields: Iterable[Row] = FIELDS, sections: Sequence[Section] = SECTIONS) -> str:
    """Return the mapping page `page` with the dataset table between its two markers made anew from the
    mapping, so the site shows the mapping the build used even if the copy in site/ fell behind."""
    start = page.index("\n", page.index(TABLE_START)) + 1
    end = page.index(TABLE_END, start)
    return page[:start] + "\n" + mapping_table_markdown(fields, sections) + "\n" + page[end:]
