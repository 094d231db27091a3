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
