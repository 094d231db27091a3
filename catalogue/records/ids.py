"""The CKAN ids of the registry's objects, stable in every clone and build (standard library only: the DCAT reader
uses them inside a CKAN's own virtualenv, where pydantic is not installed; Registry's uuid methods are these)."""

from __future__ import annotations

import uuid

# Fixed namespace for CKAN ids: uuid5(NAMESPACE, "dataset:<id>") is the same in every clone and build.
UUID_NAMESPACE = uuid.UUID("6f1f8c2e-6a52-5d7c-9f0e-3b1a3c1d7e55")


def resource_uuid(dataset_id: str, position: int) -> str:
    """Return the id of the distribution at `position` of a dataset (its resource id, and its DCAT IRI's last part)."""
    return str(uuid.uuid5(UUID_NAMESPACE, f"resource:{dataset_id}:{position}"))
