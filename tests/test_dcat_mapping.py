"""The DCAT mapping table: the docs page shows every row the code maps, and the table, the writer,
the reader and "not mapped" agree."""

from __future__ import annotations

from catalogue.dcat.docs import mapping_rows, mapping_table_markdown, with_mapping_table
from catalogue.dcat.fields import FIELDS
from catalogue.dcat.reader import known_properties
from catalogue.dcat.readers import READERS
from catalogue.dcat.sections import SECTIONS
from tests.conftest import ROOT


def test_the_mapping_page_holds_every_row_of_the_mapping() -> None:
    page = (ROOT / "site" / "dcat-mapping.md").read_text(encoding="utf-8").splitlines()
    missing = [row for row in mapping_rows() if row not in page]
    assert not missing, "site/dcat-mapping.md lacks (paste from mapping_table_markdown()):\n" + "\n".join(missing)


def test_the_table_has_a_row_for_each_flat_field_and_a_header() -> None:
    table = mapping_table_markdown().splitlines()
    assert table[0] == "| field | DCAT | notes |"
    for row in FIELDS:
        assert any(line.startswith(f"| {row.path} | `{row.predicate}` ") for line in table), row.path
    for section in SECTIONS:
        assert section.docs, f"section {section.field} has no row in the docs"


def test_every_predicate_the_table_and_sections_name_is_known_to_the_reader() -> None:
    msr = "https://example.org/ns#"
    known = known_properties(msr)
    assert msr + "nextRelease" in known
    assert "http://purl.org/dc/terms/title" in known
    assert all(":" in row.predicate and not row.predicate.startswith("http") for row in FIELDS)


def test_the_build_puts_the_table_made_from_the_code_into_the_page() -> None:
    page = (ROOT / "site" / "dcat-mapping.md").read_text(encoding="utf-8")
    assert with_mapping_table(page) == page  # the copy in site/ is current
    stale = page.replace(mapping_rows()[1], "| id | `dct:oldIdentifier` (literal) | |")
    assert stale != page
    assert with_mapping_table(stale) == page  # and the build replaces a stale one


def test_readers_lists_each_sections_reader_in_order() -> None:
    """The ckanext-dcat profile reads a record through READERS (it cannot import the sections' writers): it must
    be the sections' own readers, every one, so the profile's extras never miss a field the sections map."""
    assert list(READERS.items()) == [(section.field, section.read) for section in SECTIONS]
