"""Make a synthetic registry of N datasets from the shipped records, for benchmarks and paging tests.

Each synthetic record is a real record's content under a new id (`synthetic-00042`), with its
relations dropped; stamps are written with distinct modified times so paging order is testable.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def make_registry(target: Path, count: int, *, keep_shipped: bool = False, mixed: bool = False) -> Path:
    """Write a registry with the shipped catalogue and agents and `count` synthetic datasets
    (and the shipped datasets too, if `keep_shipped`). Each is a copy of nrm-dtn-annual, one of the
    richest records, or, if `mixed`, of every shipped record in turn."""
    from catalogue.records.loader import load_registry
    from catalogue.records.registry import content_hash

    shutil.copytree(ROOT / "metadata", target)
    shipped = sorted((ROOT / "metadata" / "datasets").glob("*.yaml"))
    for path in (target / "datasets").glob("*.yaml"):
        if not keep_shipped:
            path.unlink()
    sources = shipped if mixed else [ROOT / "metadata" / "datasets" / "nrm-dtn-annual.yaml"]
    templates = [yaml.safe_load(path.read_text()) for path in sources]
    for template in templates:
        template.pop("related", None)
    for i in range(count):
        template = templates[i % len(templates)]
        record = dict(template, id=f"synthetic-{i:05d}", title=f"{template['title']} (synthetic copy {i})")
        (target / "datasets" / f"synthetic-{i:05d}.yaml").write_text(yaml.safe_dump(record, sort_keys=False))
    registry = load_registry(target, check_stamps=False)
    stamps = {
        key: {
            "created": f"2024-01-01T00:00:00.{i:06d}",
            "modified": f"2024-06-{1 + i % 28:02d}T00:00:00.{i:06d}",
            "hash": content_hash(dataset),
        }
        for i, (key, dataset) in enumerate(registry.datasets.items())
    }
    (target / "stamps.json").write_text(json.dumps(stamps, indent=1))
    return target
