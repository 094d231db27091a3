"""The Solr query grammar package_search parses q and fq with (catalogue/ckan/solr_query.py): one row
per query, the exact tree it gives, or the exact error it raises."""

from __future__ import annotations

import pytest

from catalogue.ckan.solr_query import And, MatchAll, Node, Not, Or, Phrase, QuerySyntaxError, Range, Term, parse_query


def t(text: str, field: str | None = None) -> Term:
    return Term(field, text)


def r(
    field: str, lower: str | None, upper: str | None, include_lower: bool = True, include_upper: bool = True
) -> Range:
    return Range(field, lower, upper, include_lower, include_upper)


TREES: list[tuple[str, Node]] = [
    # match everything
    ("", MatchAll()),
    ("   ", MatchAll()),
    ("*:*", MatchAll()),
    ("(*:*)", MatchAll()),
    # terms and phrases, bare and fielded
    ("referral", t("referral")),
    ("title:referral", t("referral", "title")),
    ('"end of year summary"', Phrase(None, "end of year summary")),
    ('title:"end of year"', Phrase("title", "end of year")),
    ('"say \\"hi\\""', Phrase(None, 'say "hi"')),
    ("a\\:b", t("a:b")),
    ("organization:home-office", t("home-office", "organization")),
    ("é", t("é")),
    # side by side clauses all must match (q.op AND)
    ("a b", And((t("a"), t("b")))),
    ("tags:NRM res_format:HTML", And((t("NRM", "tags"), t("HTML", "res_format")))),
    ("a b c", And((t("a"), t("b"), t("c")))),
    # boolean operators and their precedence: AND over OR over side by side
    ("a AND b", And((t("a"), t("b")))),
    ("a && b", And((t("a"), t("b")))),
    ("a OR b", Or((t("a"), t("b")))),
    ("a || b", Or((t("a"), t("b")))),
    ("a OR b OR c", Or((t("a"), t("b"), t("c")))),
    ("a AND b OR c", Or((And((t("a"), t("b"))), t("c")))),
    ("a OR b AND c", Or((t("a"), And((t("b"), t("c")))))),
    ("a OR b c", And((Or((t("a"), t("b"))), t("c")))),
    ("(a OR b) AND c", And((Or((t("a"), t("b"))), t("c")))),
    ("((a))", t("a")),
    ("and or", And((t("and"), t("or")))),  # operators are upper case only
    # negation and the required marker
    ("NOT a", Not(t("a"))),
    ("NOT NOT a", Not(Not(t("a")))),
    ("! a", Not(t("a"))),
    ("-a", Not(t("a"))),
    ("- a", Not(t("a"))),
    ("+a", t("a")),
    ("a -b", And((t("a"), Not(t("b"))))),
    ("a AND NOT b", And((t("a"), Not(t("b"))))),
    ("NOT a OR b", Or((Not(t("a")), t("b")))),
    ("-organization:home-office", Not(t("home-office", "organization"))),
    ("+groups:children", t("children", "groups")),
    ("title:-a", Not(t("a", "title"))),
    ("-(a OR b)", Not(Or((t("a"), t("b"))))),
    (
        "referral AND NOT organization:home-office",
        And((t("referral"), Not(t("home-office", "organization")))),
    ),
    # a field applies inside its brackets
    ("title:(a OR b)", Or((t("a", "title"), t("b", "title")))),
    ("title:(a b)", And((t("a", "title"), t("b", "title")))),
    ('title:(a "b c")', And((t("a", "title"), Phrase("title", "b c")))),
    # ranges: inclusive, exclusive, open ends, quoted bounds, timestamps with colons
    ("metadata_modified:[2024-01-01T00:00:00Z TO *]", r("metadata_modified", "2024-01-01T00:00:00Z", None)),
    ("metadata_modified:[* TO 2025]", r("metadata_modified", None, "2025")),
    ("metadata_modified:[* TO *]", r("metadata_modified", None, None)),
    ("metadata_modified:{2024 TO 2025}", r("metadata_modified", "2024", "2025", False, False)),
    ("x:[2024 TO 2025}", r("x", "2024", "2025", True, False)),
    ("x:{2024 TO 2025]", r("x", "2024", "2025", False, True)),
    ('x:["a b" TO "c"]', r("x", "a b", "c")),
    ("-x:[1 TO 2]", Not(r("x", "1", "2"))),
    # what ckanext-harvest sends: its fq terms joined by spaces
    (
        "organization:a OR organization:b metadata_modified:[2024-06-01T00:00:00Z TO *]",
        And(
            (
                Or((t("a", "organization"), t("b", "organization"))),
                r("metadata_modified", "2024-06-01T00:00:00Z", None),
            )
        ),
    ),
]


@pytest.mark.parametrize(("query", "tree"), TREES, ids=[query or "<empty>" for query, _ in TREES])
def test_query_parses_to_tree(query: str, tree: Node) -> None:
    assert parse_query(query) == tree


ERRORS: list[tuple[str, str]] = [
    # unbalanced parentheses
    ("(", "unexpected end of query at character 2"),
    ("(a", "expected rparen at character 3, found end of query"),
    ("((a)", "expected rparen at character 5, found end of query"),
    ("a)", "unexpected ')' at character 2"),
    ("(a))", "unexpected ')' at character 4"),
    ("()", "unexpected ')' at character 2"),
    ("title:(", "unexpected end of query at character 8"),
    ("title:(a", "expected rparen at character 9, found end of query"),
    # dangling operators
    ("AND", "AND at character 1 has nothing before it"),
    ("OR a", "OR at character 1 has nothing before it"),
    ("&& a", "&& at character 1 has nothing before it"),
    ("a AND", "unexpected end of query at character 6"),
    ("a OR", "unexpected end of query at character 5"),
    ("NOT", "unexpected end of query at character 4"),
    ("a NOT", "unexpected end of query at character 6"),
    ("NOT AND", "AND at character 5 has nothing before it"),
    ("a AND OR b", "OR at character 7 has nothing before it"),
    ("-", "unexpected end of query at character 2"),
    # bad ranges
    ("x:[2024 TO", "expected a range bound at character 11"),
    ("x:[2024 TO 2025", "expected rbracket at character 16, found end of query"),
    ("x:[2024 2025]", "expected TO in range at character 9"),
    ("x:[2024]", "expected TO in range at character 8"),
    ("x:[TO 2025]", "expected TO in range at character 7"),
    ("x:[2024 TO ]", "expected a range bound at character 12"),
    ("x:[a TO b)", "expected rbracket at character 10, found ')'"),
    ("metadata_modified:[2024 TO", "expected a range bound at character 27"),
    ("[2024 TO 2025]", "unexpected '[' at character 1"),
    # quotes, fields and colons
    ('"unclosed', "unterminated quote at character 1"),
    ('a "b', "unterminated quote at character 3"),
    ("title:", "expected a value for 'title' at character 7, found end of query"),
    ("title: ", "expected a value for 'title' at character 8, found end of query"),
    ("title:)", "expected a value for 'title' at character 7, found ')'"),
    (":a", "unexpected ':' at character 1"),
    ("a:b:c", "unexpected ':' at character 4"),
]


@pytest.mark.parametrize(("query", "message"), ERRORS, ids=[query for query, _ in ERRORS])
def test_query_error_says_where(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert str(caught.value) == message


def test_bang_prefix_negates() -> None:
    assert parse_query("!a") == Not(t("a"))
