"""The JSON Schema of a dataset record, generated from the model (never written by hand)."""

from __future__ import annotations

from typing import Any

from catalogue.records.model import Dataset

SCHEMA_ID = "https://modern-slavery-registry.example.org/schema/dataset.schema.json"


def dataset_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) a YAML language server can check records against."""
    schema = Dataset.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "Modern slavery statistics registry: dataset record"
    return schema


def with_registry_names(schema: dict[str, Any], agents: list[str], themes: list[str]) -> dict[str, Any]:
    """Return `schema` with the registry's agent and theme ids as the only values of publisher, creator
    and themes, so that an editor flags an unknown one as the producer types (the model only knows
    they are slugs). Empty lists (no registry folder) leave the schema as the model gives it."""
    properties = schema["properties"]
    if agents:
        properties["publisher"]["enum"] = agents
        properties["creator"]["items"]["enum"] = agents
    if themes:
        properties["themes"]["items"]["enum"] = themes
    return schema
