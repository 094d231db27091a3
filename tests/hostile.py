"""Hostile records, generated from the record model: every text field of a record holds text that would
run a script, break out of an element or attribute, end a CDATA section, be read as a template, a
`javascript:` link or a Mermaid edge, or split a line, if any output let it through unescaped.

The fields are found by walking the pydantic models of `catalogue/records/model.py`, so a field added
to the model is covered without touching the tests. A string field is "text" when the model accepts
the hostile text for it; fields the model constrains (slugs, vocabulary terms, dates, web addresses,
email addresses) keep a valid value: web addresses and email addresses get hostile ones that still
validate, the rest keep the value of the record the hostile one is derived from, or a valid one.

Each text field's value starts with a marker naming it (`zq17x`), so a test can say which field went
wrong, and search for it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

# Each part would do harm somewhere if it were not escaped there.
PAYLOAD = (
    "</title><script>window.__pwned=1</script>"  # HTML text, <title>, a script element
    '"><img src=x onerror=window.__pwned=2>'  # out of a double-quoted attribute
    "' onmouseover='window.__pwned=3' "  # out of a single-quoted attribute
    "]]> {{7*7}} "  # the end of a CDATA section; a template expression
    "[link](javascript:window.__pwned=4) javascript:window.__pwned=5"  # a Markdown link and a bare scheme
    ' "]-->A; click A call alert()'  # a Mermaid label closed and an edge and a click handler added
    "\r\nline 2\u2028line 3"  # CR/LF and U+2028 (ends a line in JavaScript source)
    "\n```mermaid\ngraph TD; zqfence-->B\n```"  # a chart, if record Markdown ever made fenced blocks into charts
)
PWNED_CHECK = "window.__pwned"


def hostile_text(marker: str) -> str:
    return f"{marker} {PAYLOAD}"


def hostile_url(marker: str, base: object) -> str:
    """A web address the model accepts (on the host of the one it replaces) that still tries to leave
    an attribute."""
    host = "/".join(base.split("/")[:3]) if isinstance(base, str) and base.startswith("http") else "https://www.gov.uk"
    return f"{host}/{marker}/?q='onmouseover='window.__pwned=6'&javascript:x=1"


def hostile_email(marker: str) -> str:
    return f"{marker}'onmouseover='window.__pwned=7@homeoffice.gov.uk"


@dataclass
class HostileFields:
    """Makes hostile records and remembers each text field it filled: marker -> (field path, value)."""

    # valid values for slug fields the base record leaves empty (cross-references: source keys, ids)
    slugs: Mapping[str, str] = field(default_factory=dict)
    # field paths (model name.field) that keep the base record's value whatever their type
    keep: frozenset[str] = frozenset()
    filled: dict[str, tuple[str, str]] = field(default_factory=dict)

    def record(self, model: type[BaseModel], base: Mapping[str, Any] | None, path: str = "") -> dict[str, Any]:
        """Every field of `model`, the optional ones too, as hostile as the model allows."""
        out: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            value = (base or {}).get(name)
            where = f"{path}.{name}" if path else name
            if f"{model.__name__}.{name}" in self.keep:
                out[name] = value
                continue
            optional = not info.is_required()
            out[name] = self._value(info.annotation, list(info.metadata), value, where, name, optional)
        return out

    def _value(
        self, annotation: Any, metadata: list[Any], base: Any, path: str, name: str, optional: bool = False
    ) -> Any:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is Annotated:
            return self._value(args[0], [*metadata, *args[1:]], base, path, name, optional)
        if origin in (typing.Union, types.UnionType):
            choices = [a for a in args if a is not type(None)]
            assert len(choices) == 1, f"{path}: a union of {choices} (teach tests/hostile.py about it)"
            return self._value(choices[0], metadata, base, path, name, optional)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.record(annotation, base if isinstance(base, Mapping) else None, path)
        if origin is list:
            items = list(base) if base else [None]
            return [self._value(args[0], [], item, f"{path}.{i}", name) for i, item in enumerate(items)]
        if origin is dict:
            items = dict(base) if base else {self.slugs.get(name, "hostile"): None}
            return {key: self._value(args[1], [], item, f"{path}.{key}", name) for key, item in items.items()}
        if annotation is str:
            return self._string(metadata, base, path, name, optional)
        if annotation is bool:
            return bool(base)
        if annotation in (int, float):
            return base if base is not None else 1
        raise AssertionError(f"{path}: no hostile value for a {annotation!r} (teach tests/hostile.py about it)")

    def _string(self, metadata: list[Any], base: Any, path: str, name: str, optional: bool) -> str | None:
        adapter: TypeAdapter[Any] = TypeAdapter(Annotated[(str, *metadata)] if metadata else str)

        def accepted(value: str) -> bool:
            try:
                adapter.validate_python(value)
            except ValidationError:
                return False
            return True

        marker = f"zq{len(self.filled)}x"
        text = hostile_text(marker)
        if accepted(text):
            self.filled[marker] = (path, text)
            return text
        for candidate in (hostile_url(marker, base), hostile_email(marker)):
            if accepted(candidate):
                self.filled[marker] = (path, candidate)
                return candidate
        if base is not None:
            return str(base)
        if optional:
            return None  # an optional constrained field (a date, a code) the base leaves out stays out
        for candidate in (self.slugs.get(name, ""), "2020-01-01", "P3M", "text/csv", *_vocabulary_terms()):
            if candidate and accepted(candidate):
                return candidate
        raise AssertionError(f"{path}: no valid value found (give tests/hostile.py a slug for {name!r})")


def _vocabulary_terms() -> list[str]:
    """Every term of every controlled vocabulary: a vocabulary field accepts one of them."""
    from catalogue.records import vocabularies

    return [term for value in vars(vocabularies).values() if isinstance(value, dict) for term in value]


HOSTILE_DATASET = "hostile"
HOSTILE_AGENT = "hostile-agent"
BASE_DATASET = "nrm-dtn-quarterly"  # the shipped record that says the most


def write_hostile_registry(source: Path, target: Path) -> HostileFields:
    """Copy the registry in `source` to `target` with a hostile catalogue description, a hostile agent
    (`hostile-agent`) and a hostile dataset (`hostile`, published by it), derived from the shipped records;
    stamp it. Return what was filled."""
    import shutil

    import yaml

    from catalogue.records.loader import load_registry
    from catalogue.records.model import Agent, CatalogueInfo, Dataset
    from catalogue.records.stamps import write_stamps

    registry = load_registry(source, check_stamps=False)
    base = registry.datasets[BASE_DATASET]
    other = next(d for d in registry.datasets if d != BASE_DATASET)
    fields = HostileFields(
        slugs={"sources": next(iter(base.sources)), "described_from": next(iter(base.sources)), "id": other},
        # the catalogue's own addresses are the deployment's, not text from a record
        keep=frozenset({"CatalogueInfo.base_uri", "CatalogueInfo.homepage"}),
    )
    catalogue = fields.record(CatalogueInfo, registry.catalogue.model_dump(mode="json"), "catalogue")
    agent = fields.record(Agent, registry.agents[base.publisher].model_dump(mode="json"), "agent")
    agent["id"] = HOSTILE_AGENT
    dataset = fields.record(Dataset, base.model_dump(mode="json"), "dataset")
    dataset |= {"id": HOSTILE_DATASET, "publisher": HOSTILE_AGENT, "creator": [base.publisher]}
    dataset["releases"]["next_release"] = "2031-01-30"  # a full date: the release calendar lists it

    shutil.copytree(source, target)

    def dump(data: dict[str, Any], path: Path) -> None:
        # JSON-compatible YAML: every control character and U+2028 written as an escape
        path.write_text(yaml.safe_dump(data, allow_unicode=False, sort_keys=False, width=10**6), encoding="utf-8")

    dump(catalogue, target / "catalogue.yaml")
    dump(agent, target / "agents" / f"{HOSTILE_AGENT}.yaml")
    dump(dataset, target / "datasets" / f"{HOSTILE_DATASET}.yaml")
    write_stamps(load_registry(target, check_stamps=False))
    return fields
