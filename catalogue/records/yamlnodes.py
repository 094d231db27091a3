"""Read one YAML file into plain Python values while keeping every node's position.

Why not `yaml.safe_load`: it silently keeps the last of two duplicate keys, turns `NO` into False and
`1.10` into 1.1 (YAML 1.1), expands alias bombs, and forgets line numbers. Here every scalar stays the
text the producer typed (the typed model parses it), duplicate keys and aliases are refused, and the
composed node tree is kept so an error can name the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

MAX_BYTES = 1024 * 1024
# The deepest record needs six levels; Python's own limit (about 1,000 frames) must never be the one met.
MAX_DEPTH = 50


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    field: str
    type: str
    message: str


class YamlProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


# libyaml's composer where available (about ten times faster); it resolves an alias to the node it
# names without copying, so an alias bomb composes in linear time and `to_python` refuses it.
_BASE = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # no implicit typing: we type values
_DEFAULT_TAGS = {
    yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
}


class _Loader(_BASE):  # type: ignore[misc,valid-type]
    """The base loader without its resolver's work: with no implicit resolvers and no path resolvers
    (none are ever added to it), BaseResolver gives every untagged node its kind's default tag, yet it
    was called for each of a record's thousand nodes and took a fifth of composing it."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


_LOADER = _Loader


def compose(data: bytes) -> yaml.Node | None:
    """Return the node tree of `data`, or raise YamlProblem saying what is wrong and where."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(
            Problem(1, 1, "", "too-large", f"file is {len(data):,} bytes; a record may be at most {MAX_BYTES:,} bytes")
        )
    if b"\x00" in data:
        raise YamlProblem(Problem(1, 1, "", "not-text", "file holds binary data (NUL bytes); records are UTF-8 text"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            Problem(line, 1, "", "not-utf8", f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8")
        ) from None
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        raise YamlProblem(_syntax_problem(exc, text)) from None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        raise YamlProblem(Problem(1, 1, "", "yaml-syntax", f"not readable as YAML: {exc}")) from None
    except RecursionError:  # the pure-Python composer, where libyaml is missing
        raise YamlProblem(Problem(1, 1, "", "too-deep", _too_deep())) from None


# Where the parser says what was left open, the cause is where it opened, not where the parser noticed
# (often a line or more later): the message names that place and what to close.
_OPENED = {
    "while parsing a flow sequence": "the list opened with '[' here is not closed; expected ',' or ']'",
    "while parsing a flow mapping": "the mapping opened with '{' here is not closed; expected ',' or '}'",
    "while scanning a quoted scalar": "the quoted text that starts here has no closing quote",
    "while scanning a simple key": "this line has no ':' after its key; write 'key: value'",
}
_AT_PROBLEM = {
    "mapping values are not allowed": "a ': ' inside a value; put the whole value in quotes",
    "did not find expected key": "unexpected text; check the indentation, and put a value that holds quotes in quotes",
    "did not find expected '-' indicator": "a list item must start with '- ' at this indentation",
    "cannot start any token": "this character cannot start a value; put the value in quotes",
}


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> Problem:
    """Return a syntax error at the line that caused it, saying what to do and quoting that line."""
    context = (exc.context or "").strip()
    problem = (exc.problem or "").strip()
    mark = exc.problem_mark or exc.context_mark
    if context in _OPENED and exc.context_mark is not None:
        mark = exc.context_mark  # an unclosed [ { or quote: the line that opened it
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    special = _special_problem(mark, problem, text)
    if special is not None:
        return Problem(line, column, "", *special)
    explanation = _OPENED.get(context) if mark is exc.context_mark else None
    explanation = explanation or next((said for key, said in _AT_PROBLEM.items() if key in problem), None)
    if explanation is None:
        explanation = (problem or context or "invalid YAML") + (f" ({context})" if context and problem else "")
    return Problem(line, column, "", "yaml-syntax", f"YAML syntax error: {explanation}{_quoted_line(mark, text)}")


def _special_problem(mark: yaml.Mark | None, problem: str, text: str) -> tuple[str, str] | None:
    """The (kind, message) of a syntax error with a message of its own: a tab, too deep, an anchor."""
    if (mark is not None and text[mark.index : mark.index + 1] == "\t") or "'\\t'" in problem:
        return "yaml-syntax", "a tab character cannot indent YAML; indent with spaces"
    if "maximum nesting depth" in problem:  # libyaml's own limit (1,000 levels)
        return "too-deep", _too_deep()
    if "found duplicate anchor" in problem:
        return "yaml-syntax", "YAML anchors are not allowed in records"
    return None


def _quoted_line(mark: yaml.Mark | None, text: str) -> str:
    """ "; the line reads: '...'" for the line at `mark` (cut at 80 characters), or nothing."""
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines):
        return ""
    shown = lines[mark.line].strip()
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return f"; the line reads: {shown!r}" if shown else ""


def _too_deep() -> str:
    return f"values are nested more than {MAX_DEPTH} levels deep; a record needs a few levels at most"


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _Irregular(Exception):
    """A node tree `_plain` leaves to `to_python`'s careful walk (an alias, a duplicate, a non-text key ...)."""


def _plain(node: yaml.Node, seen: set[int] | None, depth: int) -> Any:
    """`to_python` of a regular tree, without tracking field paths (a third of its time): raises
    _Irregular at anything that would be a problem, for `to_python` to say what and where. `seen` None:
    the text holds no anchor, so no node can be met twice and none is remembered. Scalars, most of the
    nodes, are read in place, without a call each."""
    if depth > MAX_DEPTH:
        raise _Irregular
    if seen is not None:
        if id(node) in seen:
            raise _Irregular
        seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return None if not node.style and node.value in _NULLS else node.value
    scalar = yaml.ScalarNode
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        pairs: list[tuple[Any, Any]] = node.value
        for key_node, value_node in pairs:
            if key_node.__class__ is not scalar:
                raise _Irregular
            if value_node.__class__ is scalar:
                if seen is not None:
                    if id(value_node) in seen:
                        raise _Irregular
                    seen.add(id(value_node))
                value = value_node.value
                result[key_node.value] = None if not value_node.style and value in _NULLS else value
            else:
                result[key_node.value] = _plain(value_node, seen, depth + 1)
        if len(result) != len(pairs):
            raise _Irregular  # a duplicate key
        return result
    if isinstance(node, yaml.SequenceNode):
        items: list[Any] = node.value
        if seen is None:
            return [
                (None if not item.style and item.value in _NULLS else item.value)
                if item.__class__ is scalar
                else _plain(item, None, depth + 1)
                for item in items
            ]
        return [_plain(item, seen, depth + 1) for item in items]
    raise _Irregular


def to_python(
    node: yaml.Node,
    problems: list[Problem],
    path: str = "",
    seen: set[int] | None = None,
    depth: int = 0,
    *,
    anchors: bool = True,
) -> Any:
    """Return `node` as dicts, lists and strings (None for an empty or `null` plain scalar).

    Duplicate keys and non-text keys are appended to `problems`; the first value of a duplicate is kept
    only so the rest of the file can still be checked. A node met twice is an alias: refused at once,
    before anything is expanded. `anchors=False` promises the text holds no '&' (so no anchor, and no
    alias can compose): nodes are then not remembered.
    """
    if seen is None:
        try:
            return _plain(node, set() if anchors else None, depth)
        except (_Irregular, RecursionError):
            pass  # walked again below, saying what and where
    seen = set() if seen is None else seen
    if id(node) in seen:
        raise YamlProblem(
            _at(
                node,
                path,
                "yaml-alias",
                "YAML anchors and aliases (&name, *name) are not allowed in records; write the value out in full",
            )
        )
    seen.add(id(node))
    if depth > MAX_DEPTH:
        raise YamlProblem(_at(node, "", "too-deep", _too_deep()))
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(_at(key_node, path, "bad-key", "a key must be plain text"))
                continue
            key = key_node.value
            child = f"{path}.{key}" if path else key
            if key in result:
                problems.append(_at(key_node, child, "duplicate-key", "key appears twice in the same mapping"))
                continue
            result[key] = to_python(value_node, problems, child, seen, depth + 1)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [to_python(item, problems, f"{path}[{i}]", seen, depth + 1) for i, item in enumerate(node.value)]
    if not getattr(node, "style", None) and node.value in (
        "",
        "~",
        "null",
        "Null",
        "NULL",
    ):  # plain style: None or "" (libyaml)
        return None
    return node.value


def node_at(node: yaml.Node, loc: tuple[str | int, ...], *, key: bool = False) -> tuple[yaml.Node, bool]:
    """Return the deepest node `loc` reaches, and whether it reached the end of `loc`.

    For a mapping key that `loc` names last, the key's own node is returned (an unknown field is best
    shown at its key).
    """
    for i, step in enumerate(loc):
        child = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == step:
                    last = i == len(loc) - 1
                    child = key_node if last and (key or not _is_container(value_node)) else value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            child = node.value[step]
        if child is None:
            return node, False
        node = child
    return node, True


def _is_container(node: yaml.Node) -> bool:
    return isinstance(node, (yaml.MappingNode, yaml.SequenceNode))


def _at(node: yaml.Node, field: str, kind: str, message: str) -> Problem:
    return Problem(node.start_mark.line + 1, node.start_mark.column + 1, field, kind, message)


def dotted(loc: tuple[str | int, ...]) -> str:
    """Return a field path as a producer writes it: `caveats[0].sources[1]`."""
    text = ""
    for step in loc:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def position(node: yaml.Node, loc: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
    """Return the 1-based (line, column) of the value at `loc` (of its key, with `key`), or of its
    nearest ancestor that exists."""
    found, _ = node_at(node, loc, key=key)
    return found.start_mark.line + 1, found.start_mark.column + 1
