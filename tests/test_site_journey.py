"""The NRM journey chart's counts come from the records' figures, and only numbers and years reach Mermaid."""

from __future__ import annotations

from catalogue.records.registry import Registry
from catalogue.site.journey import JOURNEY_COUNTS_MARKER, latest_counts, with_counts

CHART = (
    '<pre class="mermaid"><code>C["NRM referral@@count:referrals@@"] --&gt; '
    'D["Duty to Notify report@@count:notifications@@"] E["Decision@@count:decisions@@"]</code></pre>'
)


def test_the_latest_whole_year_count_of_each_unit(registry: Registry) -> None:
    counts = latest_counts(registry)
    assert (counts["referrals"].period, counts["referrals"].value) == ("2025", 23411)
    assert (counts["notifications"].period, counts["notifications"].value) == ("2025", 7130)


def test_the_chart_and_its_text_alternative_carry_the_counts(registry: Registry) -> None:
    page = with_counts(CHART + JOURNEY_COUNTS_MARKER, registry)
    assert 'NRM referral&lt;br/&gt;23,411 in 2025"]' in page
    assert 'Duty to Notify report&lt;br/&gt;7,130 in 2025"]' in page
    assert 'E["Decision"]' in page  # a unit the records have no count of: the marker goes, nothing is made up
    assert "@@count" not in page
    assert JOURNEY_COUNTS_MARKER not in page
    assert "23,411 (End of year summary 2025 annex" in page


def test_without_the_annual_series_the_chart_has_no_counts(registry: Registry) -> None:
    others = {key: d for key, d in registry.datasets.items() if key != "nrm-dtn-annual"}
    bare = Registry(registry.root, registry.catalogue, registry.agents, others, registry.stamps)
    page = with_counts(CHART + JOURNEY_COUNTS_MARKER, bare)
    assert 'C["NRM referral"]' in page
    assert "Published counts" not in page
