"""Parse the Solr query syntax CKAN clients send (q and fq) into a small tree.

A grammar, not string splitting: a tokenizer and a recursive-descent parser for the subset of the
Lucene/Solr standard syntax harvesters and scripts use:

    query   := or_expr+                         clauses side by side must all match (CKAN's q.op AND)
    or_expr := and_expr ( "OR" and_expr )*
    and_expr:= unary ( "AND" unary )*
    unary   := ( "NOT" | "-" | "+" )? primary
    primary := "(" or_expr ")" | FIELD ":" value | "*:*" | TERM | PHRASE
    value   := TERM | PHRASE | RANGE | "(" or_expr ")"   (the field applies inside the brackets)
    RANGE   := ("[" | "{") bound "TO" bound ("]" | "}")  bound: a term, a quoted string or *

Side-by-side clauses bind loosest, so `organization:a OR organization:b metadata_modified:[X TO *]`,
the filter ckanext-harvest sends (its terms joined by spaces), reads as (a OR b) AND modified-since.
The tree is turned into index queries by `search.py`; a string this grammar rejects raises
QuerySyntaxError, which the API answers as CKAN does: 400 "Search Query Error".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPECIAL = set('()[]{}":')

# Limits, so that no query holds the server: every request shares one event loop and a query is
# answered in full before the next. Solr refuses more than 1,024 clauses (maxBooleanClauses) too.
MAX_QUERY_CHARS = 8_000
MAX_CLAUSES = 1_024
MAX_WILDCARD_TERMS = 64  # each is expanded against the term dictionary: measured 1.3 ms apiece
MAX_DEPTH = 64  # nested parentheses and NOTs
# A boost (`title:referral^2`, `"modern slavery"^0.5`) weighs a clause in Solr's ranking; it never changes
# what matches, and we rank by BM25 alone, so it is read and dropped.
_BOOST = re.compile(r"\^[0-9]+(?:\.[0-9]+)?")


class QuerySyntaxError(ValueError):
    """The query cannot be parsed; the message says where."""


@dataclass(frozen=True)
class Term:
    field: str | None
    text: str


@dataclass(frozen=True)
class Phrase:
    field: str | None
    text: str


@dataclass(frozen=True)
class Range:
    field: str
    lower: str | None  # None for *
    upper: str | None
    include_lower: bool
    include_upper: bool


@dataclass(frozen=True)
class MatchAll:
    pass


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Phrase | Range | MatchAll | Not | And | Or


@dataclass(frozen=True)
class _Token:
    kind: str  # WORD, PHRASE, LPAREN, RPAREN, LBRACKET, RBRACKET, COLON, EOF
    text: str
    at: int


_PUNCTUATION = {
    "(": "LPAREN",
    ")": "RPAREN",
    "[": "LBRACKET",
    "{": "LBRACKET",
    "]": "RBRACKET",
    "}": "RBRACKET",
    ":": "COLON",
}


def _tokenize(text: str) -> list[_Token]:
    """Split a query into tokens; inside [ ... ] a ':' belongs to the bound (2024-01-01T00:00:00Z)."""
    tokens: list[_Token] = []
    i = 0
    in_range = False
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char == '"':
            token, i = _phrase(text, i)
            tokens.append(token)
            i = _skip_boost(text, i)
        elif char in _PUNCTUATION:
            tokens.append(_Token(_PUNCTUATION[char], char, i))
            in_range = {"LBRACKET": True, "RBRACKET": False}.get(_PUNCTUATION[char], in_range)
            i += 1
            if char in ")]}":
                i = _skip_boost(text, i)
        else:
            token, i = _word(text, i, in_range)
            tokens.append(token)
    tokens.append(_Token("EOF", "", len(text)))
    return tokens


def _phrase(text: str, start: int) -> tuple[_Token, int]:
    """Read the quoted phrase at `start` (backslash escapes the next character); return it and where it ends."""
    end = start + 1
    value = []
    while end < len(text) and text[end] != '"':
        if text[end] == "\\" and end + 1 < len(text):
            end += 1
        value.append(text[end])
        end += 1
    if end >= len(text):
        raise QuerySyntaxError(f"unterminated quote at character {start + 1}")
    return _Token("PHRASE", "".join(value), start), end + 1


def _word(text: str, start: int, in_range: bool) -> tuple[_Token, int]:
    """Read the bare word at `start`; "*:*" is one token, the match-everything query."""
    i = start
    value = []
    while i < len(text) and not text[i].isspace() and (text[i] not in _SPECIAL or (in_range and text[i] == ":")):
        if text[i] == "\\" and i + 1 < len(text):
            i += 1
        value.append(text[i])
        i += 1
    if "".join(value) == "*" and text[i : i + 2] == ":*":
        return _Token("MATCHALL", "*:*", start), i + 2
    word = "".join(value)
    boost = None if in_range else _BOOST.search(word)
    if boost is not None and boost.end() == len(word) and boost.start() > 0:
        word = word[: boost.start()]
    return _Token("WORD", word, start), i


def _skip_boost(text: str, i: int) -> int:
    """Return where the text goes on after a boost at `i` (`"a b"^2`, `(a OR b)^3`), if there is one."""
    boost = _BOOST.match(text, i)
    return boost.end() if boost is not None else i


class _Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_QUERY_CHARS:
            raise QuerySyntaxError(f"query too long ({len(text):,} characters; at most {MAX_QUERY_CHARS:,})")
        self.tokens = _tokenize(text)
        self.pos = 0
        self.depth = 0
        self.clauses = 0
        self.wildcards = 0

    def nested(self) -> None:
        """Count one more level of nesting (a parenthesis or a NOT); refuse past MAX_DEPTH."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            token = self.peek()
            raise QuerySyntaxError(f"query nested too deep at character {token.at + 1} (at most {MAX_DEPTH} levels)")

    def leaf(self, node: Term | Phrase | Range) -> Term | Phrase | Range:
        """Count one more clause; refuse past MAX_CLAUSES, or past MAX_WILDCARD_TERMS wildcard terms."""
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QuerySyntaxError(f"too many clauses (at most {MAX_CLAUSES:,}, as Solr's maxBooleanClauses)")
        if isinstance(node, Term) and ("*" in node.text or "?" in node.text):
            self.wildcards += 1
            if self.wildcards > MAX_WILDCARD_TERMS:
                raise QuerySyntaxError(f"too many wildcard terms (at most {MAX_WILDCARD_TERMS})")
        return node

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self, kind: str | None = None) -> _Token:
        token = self.tokens[self.pos]
        if kind is not None and token.kind != kind:
            found = repr(token.text) if token.text else "end of query"
            raise QuerySyntaxError(f"expected {kind.lower()} at character {token.at + 1}, found {found}")
        self.pos += 1
        return token

    def parse(self) -> Node:
        if self.peek().kind == "EOF":
            return MatchAll()
        node = self.sequence(None)
        if self.peek().kind != "EOF":
            token = self.peek()
            raise QuerySyntaxError(f"unexpected {token.text!r} at character {token.at + 1}")
        return node

    def sequence(self, field: str | None) -> Node:
        children = [self.or_expr(field)]
        while self.peek().kind not in ("EOF", "RPAREN"):
            children.append(self.or_expr(field))
        return children[0] if len(children) == 1 else And(tuple(children))

    def _is_word(self, text: str) -> bool:
        token = self.peek()
        return token.kind == "WORD" and token.text == text

    def or_expr(self, field: str | None) -> Node:
        children = [self.and_expr(field)]
        while self._is_word("OR") or self._is_word("||"):
            self.take()
            children.append(self.and_expr(field))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self, field: str | None) -> Node:
        children = [self.unary(field)]
        while self._is_word("AND") or self._is_word("&&"):
            self.take()
            children.append(self.unary(field))
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self, field: str | None) -> Node:
        token = self.peek()
        if token.kind == "WORD" and token.text in ("NOT", "!"):
            self.take()
            self.nested()
            node = Not(self.unary(field))
            self.depth -= 1
            return node
        if token.kind == "WORD" and token.text.startswith(("-", "+", "!")) and len(token.text) > 1:
            self.take()
            rest = _Token("WORD", token.text[1:], token.at + 1)
            self.tokens.insert(self.pos, rest)
            inner = self.primary(field)
            return inner if token.text[0] == "+" else Not(inner)
        if token.kind == "WORD" and token.text in ("-", "+"):
            self.take()
            inner = self.primary(field)
            return Not(inner) if token.text == "-" else inner
        return self.primary(field)

    def primary(self, field: str | None) -> Node:
        token = self.peek()
        if token.kind == "LPAREN":
            self.take()
            self.nested()
            node = self.sequence(field)
            self.take("RPAREN")
            self.depth -= 1
            return node
        if token.kind == "MATCHALL":
            self.take()
            return MatchAll()
        if token.kind == "PHRASE":
            self.take()
            return self.leaf(Phrase(field, token.text))
        if token.kind == "LBRACKET" and field is not None:
            return self.leaf(self.range(field))
        if token.kind == "WORD":
            self.take()
            if self.peek().kind == "COLON" and field is None:
                self.take()
                return self.value(token.text)
            if token.text in ("AND", "OR", "&&", "||"):
                raise QuerySyntaxError(f"{token.text} at character {token.at + 1} has nothing before it")
            return self.leaf(Term(field, token.text))
        found = repr(token.text) if token.text else "end of query"
        raise QuerySyntaxError(f"unexpected {found} at character {token.at + 1}")

    def value(self, field: str) -> Node:
        token = self.peek()
        if token.kind == "LBRACKET":
            return self.leaf(self.range(field))
        if token.kind in ("LPAREN", "PHRASE", "WORD"):
            return self.unary(field) if token.kind == "WORD" else self.primary(field)
        found = repr(token.text) if token.text else "end of query"
        raise QuerySyntaxError(f"expected a value for {field!r} at character {token.at + 1}, found {found}")

    def range(self, field: str) -> Range:
        opening = self.take("LBRACKET")
        lower = self._bound()
        if not self._is_word("TO"):
            token = self.peek()
            raise QuerySyntaxError(f"expected TO in range at character {token.at + 1}")
        self.take()
        upper = self._bound()
        closing = self.take("RBRACKET")
        return Range(field, lower, upper, opening.text == "[", closing.text == "]")

    def _bound(self) -> str | None:
        token = self.peek()
        if token.kind not in ("WORD", "PHRASE"):
            raise QuerySyntaxError(f"expected a range bound at character {token.at + 1}")
        self.take()
        return None if token.kind == "WORD" and token.text == "*" else token.text


def parse_query(text: str) -> Node:
    """Return the tree of a Solr query string; an empty string matches everything."""
    return _Parser(text).parse()
