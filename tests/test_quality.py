"""The metadata quality score (catalogue/quality): hand-worked scores of small DCAT documents, each
indicator on and off; the methodology's own numbers; the link report read defensively; the command;
the build's report, page box and DCAT measurements; and a floor under every shipped record's score.

The methodology gives no worked example of a single dataset's score (its example table is a
catalogue's averages), so the hand-worked documents below stand in for one: each expected total is
worked out in the comment beside it from the points in catalogue/quality/methodology.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from catalogue.cli import main
from catalogue.linkcheck import LinkResult, registry_urls, report_json
from catalogue.quality.links import NOT_CHECKED, LinkStatus, ReportError, link_status, read_link_report
from catalogue.quality.methodology import DIMENSIONS, INDICATORS, MAX_POINTS, rating
from catalogue.quality.registry import page_data, score_registry
from catalogue.quality.score import Score, score_graph
from catalogue.records.registry import Registry
from catalogue.site.dataset import DatasetPages
from tests.conftest import DATA

DS = "http://data.test/dataset/d"
ACCESS, DOWNLOAD = "http://data.test/page", "http://data.test/file.csv"
EU = "http://publications.europa.eu/resource/authority"
PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ."""
# Every indicator earned: 405 with both URLs answering and a compliant document.
FULL = {
    "keyword": '<{ds}> dcat:keyword "slavery"@en .',
    "theme": f"<{{ds}}> dcat:theme <{EU}/data-theme/JUST> .",
    "spatial": "<{ds}> dct:spatial <http://data.test/place/uk> .",
    "temporal": "<{ds}> dct:temporal <http://data.test/period> .",
    "rights_level": f"<{{ds}}> dct:accessRights <{EU}/access-right/PUBLIC> .",
    "contact": "<{ds}> dcat:contactPoint <http://data.test/contact> .",
    "publisher": "<{ds}> dct:publisher <http://data.test/agent> .",
    "issued": '<{ds}> dct:issued "2020-01-01"^^xsd:date .',
    "modified": '<{ds}> dct:modified "2024-01-01"^^xsd:date .',
    "distribution": "<{ds}> dcat:distribution <http://data.test/dist> .",
    "access_url": f"<http://data.test/dist> dcat:accessURL <{ACCESS}> .",
    "download_url": f"<http://data.test/dist> dcat:downloadURL <{DOWNLOAD}> .",
    "format": f"<http://data.test/dist> dct:format <{EU}/file-type/CSV> .",
    "media_type": "<http://data.test/dist> dcat:mediaType <https://www.iana.org/assignments/media-types/text/csv> .",
    "licence": f"<http://data.test/dist> dct:license <{EU}/licence/CC_BY_4_0> .",
    "rights": "<http://data.test/dist> dct:rights <http://data.test/rights> .",
    "byte_size": '<http://data.test/dist> dcat:byteSize "1024"^^xsd:nonNegativeInteger .',
}
BOTH_ANSWER = LinkStatus({ACCESS: True, DOWNLOAD: True}, "test")


def _score(
    lines: dict[str, str], links: LinkStatus = BOTH_ANSWER, compliant: bool | None = True, **replace: str | None
) -> Score:
    parts = {**lines, **replace}
    turtle = PREFIXES + "\n".join(line.format(ds=DS) for line in parts.values() if line is not None)
    return score_graph(Graph().parse(data=turtle, format="turtle"), DS, links, dcat_ap_compliant=compliant)


def test_every_indicator_earned_is_405_and_excellent() -> None:
    score = _score(FULL)
    assert score.total == 405 == MAX_POINTS
    assert score.rating == "Excellent"
    assert score.dimensions == {d.key: d.max_points for d in DIMENSIONS}
    assert all(r.status == "earned" for r in score.results)


# (what is taken away, expected total, the indicators then not earned), worked by hand from the points.
OFF = [
    ({"keyword": None}, 405 - 30, {"keywords"}),
    ({"theme": None}, 405 - 30, {"categories"}),
    ({"spatial": None}, 405 - 20, {"spatial"}),
    ({"temporal": None}, 405 - 20, {"temporal"}),
    # no download URL: neither "given" (20) nor "answers" (30)
    ({"download_url": None}, 405 - 20 - 30, {"download_url", "download_url_answers"}),
    # no format: format 20, vocabularies 10, non-proprietary 20, machine-readable 20, and the -5 penalty
    ({"format": None}, 405 - 20 - 10 - 20 - 20 - 5, {"format", "vocabularies", "non_proprietary", "machine_readable"}),
    # no media type: media type 10, vocabularies 10, and the -5 penalty
    ({"media_type": None}, 405 - 10 - 10 - 5, {"media_type", "vocabularies"}),
    (
        {"media_type": "<http://data.test/dist> dcat:mediaType <http://data.test/csv> ."},
        405 - 10,
        {"vocabularies"},
    ),
    # XLSX: machine-readable but proprietary; HTML: open but not machine-readable
    ({"format": f"<http://data.test/dist> dct:format <{EU}/file-type/XLSX> ."}, 405 - 20, {"non_proprietary"}),
    ({"format": f"<http://data.test/dist> dct:format <{EU}/file-type/HTML> ."}, 405 - 20, {"machine_readable"}),
    ({"licence": None}, 405 - 20 - 10, {"licence", "known_licence"}),
    ({"licence": "<http://data.test/dist> dct:license <http://data.test/licence> ."}, 405 - 10, {"known_licence"}),
    ({"rights_level": None}, 405 - 10 - 5, {"access_rights", "access_rights_vocabulary"}),
    (
        {"rights_level": "<{ds}> dct:accessRights <http://data.test/open> ."},
        405 - 5,
        {"access_rights_vocabulary"},
    ),
    ({"contact": None}, 405 - 20, {"contact_point"}),
    ({"publisher": None}, 405 - 10, {"publisher"}),
    ({"rights": None}, 405 - 5, {"rights"}),
    ({"byte_size": None}, 405 - 5, {"byte_size"}),
    ({"issued": None}, 405 - 5, {"issued"}),
    ({"modified": None}, 405 - 5, {"modified"}),
    # the dates count on a distribution too
    ({"issued": '<http://data.test/dist> dct:issued "2020-01-01"^^xsd:date .'}, 405, set()),
]


@pytest.mark.parametrize(
    ("change", "total", "missing"), OFF, ids=[",".join(sorted(c[2])) or "dates-on-distribution" for c in OFF]
)
def test_each_indicator_off(change: dict[str, str | None], total: int, missing: set[str]) -> None:
    score = _score(FULL, **change)
    assert score.total == total
    assert {r.indicator.key for r in score.results if r.status != "earned"} == missing


def test_every_indicator_is_switched_off_by_some_case() -> None:
    switched = {key for _, _, missing in OFF for key in missing}
    switched |= {"access_url_answers", "download_url_answers", "dcat_ap"}  # the network and SHACL cases below
    assert switched == {i.key for i in INDICATORS}


def test_network_indicators_come_from_the_link_report() -> None:
    broken = _score(FULL, LinkStatus({ACCESS: False, DOWNLOAD: True}, "test"))
    assert broken.total == 405 - 50
    assert _result(broken, "access_url_answers").status == "missing"
    assert _score(FULL, LinkStatus({ACCESS: True, DOWNLOAD: False}, "test")).total == 405 - 30
    unchecked = _score(FULL, NOT_CHECKED)
    assert unchecked.total == 405 - 50 - 30
    assert _result(unchecked, "access_url_answers").status == "not checked"
    assert _result(unchecked, "download_url_answers").status == "not checked"


def test_dcat_ap_compliance_is_the_callers_verdict() -> None:
    assert _score(FULL, compliant=False).total == 405 - 30
    assert _result(_score(FULL, compliant=None), "dcat_ap").status == "not checked"


def test_a_bare_dataset_scores_nothing_and_penalties_stop_at_zero() -> None:
    # one distribution with neither format nor media type: -10, which interoperability (0) cannot go below
    bare = {"distribution": FULL["distribution"], "access_url": FULL["access_url"]}
    score = _score(bare, NOT_CHECKED, compliant=None)
    assert score.total == 0
    assert score.rating == "Bad"
    assert len(score.penalty_notes) == 2
    # with the DCAT-AP points, the penalties show: 30 - 5 - 5
    assert _score(bare, NOT_CHECKED, compliant=True).dimension("interoperability") == 20


def test_the_best_distribution_counts_and_others_are_penalised() -> None:
    # a second distribution, a PDF without media type: the CSV counts (80 + 30), the PDF costs 5
    second = {
        "d2": "<{ds}> dcat:distribution <http://data.test/dist2> .",
        "d2a": "<http://data.test/dist2> dcat:accessURL <http://data.test/page2> .",
        "d2f": f"<http://data.test/dist2> dct:format <{EU}/file-type/PDF> .",
    }
    score = _score({**FULL, **second})
    assert score.dimension("interoperability") == 110 - 5
    assert score.total == 405 - 5


def test_ratings_follow_the_methodologys_bands() -> None:
    assert [rating(n) for n in (405, 351, 350, 221, 220, 121, 120, 0)] == [
        "Excellent",
        "Excellent",
        "Good",
        "Good",
        "Sufficient",
        "Sufficient",
        "Bad",
        "Bad",
    ]


def test_the_methodologys_own_table() -> None:
    """Dimension maxima and total as the methodology's scoring table gives them."""
    assert {d.key: d.max_points for d in DIMENSIONS} == {
        "findability": 100,
        "accessibility": 100,
        "interoperability": 110,
        "reusability": 75,
        "contextuality": 20,
    }
    for d in DIMENSIONS:
        assert sum(i.points for i in INDICATORS if i.dimension == d.key) == d.max_points
    assert all(i.advice and "`" in i.advice for i in INDICATORS)  # each names what to add, as a record field


def _result(score: Score, key: str):  # type: ignore[no-untyped-def]
    return next(r for r in score.results if r.indicator.key == key)


# the link report


def test_the_link_checkers_own_report_is_read(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    path.write_text(
        report_json(
            [
                LinkResult("http://a.test/", 200, True, "http://a.test/"),
                LinkResult("http://b.test/", 404, False, "http://b.test/"),
            ]
        )
    )
    status = read_link_report(path)
    assert status.answered("http://a.test/") is True
    assert status.answered("http://b.test/") is False
    assert status.answered("http://c.test/") is None
    assert link_status(tmp_path / "absent.json") is NOT_CHECKED


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"{not json", "not JSON"), (b'{"url": "x"}', "not a link report"), (b"\xff\xfe", "not JSON")],
)
def test_a_bad_report_is_a_plain_error(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "links.json"
    path.write_bytes(content)
    with pytest.raises(ReportError, match=says):
        read_link_report(path)


def test_malformed_entries_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    path.write_text(
        json.dumps(
            [{"url": "http://a.test/", "ok": "yes"}, {"url": 3, "ok": True}, 7, {"url": "http://b.test/", "ok": True}]
        )
    )
    assert dict(read_link_report(path).checked) == {"http://b.test/": True}


# the command


def test_command_scores_and_explains(registry: Registry) -> None:
    result = CliRunner().invoke(main, ["quality", "nrm-dtn-quarterly"])
    assert result.exit_code == 0, result.output
    score = score_registry(registry, ids=["nrm-dtn-quarterly"])["nrm-dtn-quarterly"]
    assert result.output.startswith(f"{score.total:>3}/405 {score.rating}")
    assert "download_url" in result.output
    assert "not checked" in result.output


def test_command_json_and_min(registry: Registry) -> None:
    result = CliRunner().invoke(main, ["quality", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data["datasets"]) == set(registry.datasets)
    lowest = min(d["total"] for d in data["datasets"].values())
    assert CliRunner().invoke(main, ["quality", "--min", str(lowest)]).exit_code == 0
    failing = CliRunner().invoke(main, ["quality", "--min", str(lowest + 1)])
    assert failing.exit_code == 1
    assert "score below" in failing.output


def test_command_refuses_unknown_ids_and_bad_reports(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["quality", "no-such-record"])
    assert result.exit_code == 1
    assert "no dataset 'no-such-record'" in result.output
    bad = tmp_path / "links.json"
    bad.write_text("[oops")
    result = CliRunner().invoke(main, ["quality", "--links", str(bad)])
    assert result.exit_code == 1
    assert "not JSON" in result.output
    assert "Traceback" not in result.output


def test_command_uses_the_link_report(registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    urls = registry_urls(registry)
    path.write_text(report_json([LinkResult(url, 200, True, url, used_in=where) for url, where in urls.items()]))
    result = CliRunner().invoke(main, ["quality", "nrm-dtn-quarterly", "--links", str(path), "--format", "json"])
    score = json.loads(result.output)["datasets"]["nrm-dtn-quarterly"]
    assert score["dimensions"]["accessibility"] >= 50  # its access URLs answered
    assert "access_url_answers" not in score["not_earned"]
    assert json.loads(result.output)["link_report"] == str(path)


# the build: quality.json, the page's badge and box, the DCAT measurements


@pytest.fixture
def built(built_outputs: Path) -> Path:
    """The shared build (conftest.built_outputs), read-only."""
    return built_outputs


def test_build_writes_the_report(built: Path, registry: Registry) -> None:
    report = json.loads((built / "quality.json").read_text("utf-8"))
    scores = score_registry(registry)
    assert {key: d["total"] for key, d in report["datasets"].items()} == {k: s.total for k, s in scores.items()}


def test_dataset_page_has_badge_and_folded_box(built: Path, registry: Registry) -> None:
    page = (built / "dataset" / "nrm-dtn-quarterly" / "index.html").read_text("utf-8")
    score = score_registry(registry, ids=["nrm-dtn-quarterly"])["nrm-dtn-quarterly"]
    assert f"{score.rating}, {score.total} of 405 points" in page
    assert '<details class="note registry-mqa-box" id="metadata-quality">' in page
    assert "<code>download_url</code>" in page  # what to add, naming the record field


def test_page_without_scores_shows_neither(registry: Registry) -> None:
    body, _ = DatasetPages(registry).render(registry.datasets["nrm-dtn-quarterly"])
    assert "metadata-quality" not in body
    body, _ = DatasetPages(registry, page_data(score_registry(registry))).render(registry.datasets["nrm-dtn-quarterly"])
    assert 'id="metadata-quality"' in body


def test_dcat_carries_a_measurement_per_dimension(built: Path, registry: Registry) -> None:
    graph = Graph().parse(built / "dataset" / "nrm-dtn-quarterly.ttl", format="turtle")
    dqv = "http://www.w3.org/ns/dqv#"
    uri = registry.dataset_uri("nrm-dtn-quarterly")
    score = score_registry(registry, ids=["nrm-dtn-quarterly"])["nrm-dtn-quarterly"]
    values = {}
    for node in graph.objects(URIRef(uri), URIRef(dqv + "hasQualityMeasurement")):
        metric = graph.value(node, URIRef(dqv + "isMeasurementOf"))
        assert graph.value(metric, URIRef("http://www.w3.org/2004/02/skos/core#definition")) is not None
        values[str(metric).rsplit("/", 1)[-1]] = int(graph.value(node, URIRef(dqv + "value")))  # type: ignore[arg-type]
    assert values == score.dimensions


# the floor: a shipped record's score never drops below what it earns today


FLOOR = DATA / "quality-floor.json"


def test_no_shipped_record_scores_below_its_floor(registry: Registry) -> None:
    """tests/data/quality-floor.json holds each record's score when it was last raised on purpose;
    a change that lowers one fails here. Raise a floor (or add a new record's) by editing the file."""
    floor = json.loads(FLOOR.read_text("utf-8"))
    scores = score_registry(registry)
    assert set(floor) == set(scores), "add new records to tests/data/quality-floor.json, remove deleted ones"
    below = {key: (scores[key].total, floor[key]) for key in floor if scores[key].total < floor[key]}
    assert not below, f"scores below their floor (now, floor): {below}"


def test_a_records_rights_and_byte_size_earn_the_contextuality_points(registry: Registry) -> None:
    """From the record through the real DCAT writer: `rights` (dct:rights) and `byte_size` (dcat:byteSize) on a
    distribution earn the MQA's rights and file-size indicators; without them, both are missing (10 points)."""
    from catalogue.dcat.mapping import DcatMapper
    from catalogue.quality.score import Facts, score_facts

    dataset = registry.datasets["nrm-dtn-quarterly"]
    bare = dataset.model_copy(
        update={
            "distributions": [d.model_copy(update={"rights": None, "byte_size": None}) for d in dataset.distributions]
        }
    )
    first, *rest = bare.distributions
    full = bare.model_copy(
        update={"distributions": [first.model_copy(update={"rights": "Crown copyright", "byte_size": 52_000}), *rest]}
    )
    mapper, uri = DcatMapper(registry), registry.dataset_uri(dataset.id)

    def statuses(record: Any) -> tuple[dict[str, str], int]:
        score = score_facts(Facts.from_terms(mapper.dataset(record).triples), uri, dcat_ap_compliant=True)
        return {r.indicator.key: r.status for r in score.results}, score.dimension("contextuality")

    (with_them, context_full), (without, context_bare) = statuses(full), statuses(bare)
    assert (with_them["rights"], with_them["byte_size"]) == ("earned", "earned")
    assert (without["rights"], without["byte_size"]) == ("missing", "missing")
    assert context_full - context_bare == 10
    rights = next(i for i in INDICATORS if i.key == "rights")
    assert "`rights`" in rights.advice  # the advice names the field that earns it
