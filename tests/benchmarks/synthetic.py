"""Make a synthetic registry of N datasets from the shipped records, for benchmarks and paging tests.

Each synthetic record is a real record's content under a new id (`synthetic-00042`), with its
relations dropped; stamps are written with distinct modified times so paging order is testable.

Fast enough for 50,000 records: each template is dumped to YAML once and each copy substitutes its id and
title, and a copy's stamp hash is its template's validated model with the id and title changed, instead of
dumping and validating every copy (six minutes at 10,000 records that way).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
_ID, _TITLE = "SYNTHETIC_ID", "SYNTHETIC_TITLE"


def make_registry(target: Path, count: int, *, keep_shipped: bool = False, mixed: bool = False) -> Path:
    """Write a registry with the shipped catalogue and agents and `count` synthetic datasets
    (and the shipped datasets too, if `keep_shipped`). Each is a copy of nrm-dtn-annual, one of the
    richest records, or, if `mixed`, of every shipped record in turn."""
    from catalogue.records.loader import load_registry
    from catalogue.records.registry import content_hash

    shutil.copytree(ROOT / "metadata", target)
    datasets = target / "datasets"
    shipped = sorted((ROOT / "metadata" / "datasets").glob("*.yaml"))
    for path in datasets.glob("*.yaml"):
        if not keep_shipped:
            path.unlink()
    sources = shipped if mixed else [ROOT / "metadata" / "datasets" / "nrm-dtn-annual.yaml"]
    templates: list[tuple[str, str]] = []  # (title, YAML with the id and title as tokens)
    for path in sources:
        template = yaml.safe_load(path.read_text())
        template.pop("related", None)
        text = yaml.safe_dump(dict(template, id=_ID, title=_TITLE), sort_keys=False)
        if text.count(_ID) != 1 or text.count(_TITLE) != 1:
            sys.exit(f"{path} itself holds {_ID} or {_TITLE}; change the tokens")
        templates.append((template["title"], text))

    def copy(i: int) -> tuple[str, str]:
        title, text = templates[i % len(templates)]
        key, copy_title = f"synthetic-{i:05d}", f"{title} (synthetic copy {i})"
        (datasets / f"{key}.yaml").write_text(text.replace(_ID, key).replace(_TITLE, json.dumps(copy_title)))
        return key, copy_title

    # one validated model per template (its first copy), loaded from a registry holding only those
    firsts = target.parent / f".{target.name}.templates"
    shutil.copytree(ROOT / "metadata", firsts, ignore=shutil.ignore_patterns("datasets"))
    (firsts / "datasets").mkdir()
    for i in range(min(count, len(templates))):
        title, text = templates[i]
        (firsts / "datasets" / f"synthetic-{i:05d}.yaml").write_text(text.replace(_ID, f"synthetic-{i:05d}"))
    models = load_registry(firsts, check_stamps=False).datasets
    shutil.rmtree(firsts)
    hashes = {}
    for i in range(count):
        key, title = copy(i)
        model = models[f"synthetic-{i % len(templates):05d}"]
        hashes[key] = content_hash(model.model_copy(update={"id": key, "title": title}))
    shipped_stamps = json.loads((ROOT / "metadata" / "stamps.json").read_text())
    stamps = {
        path.stem: {
            "created": f"2024-01-01T00:00:00.{i:06d}",
            "modified": f"2024-06-{1 + i % 28:02d}T00:00:00.{i:06d}",
            "hash": hashes[path.stem] if path.stem in hashes else shipped_stamps[path.stem]["hash"],
        }
        for i, path in enumerate(sorted(datasets.iterdir()))
    }
    (target / "stamps.json").write_text(json.dumps(stamps, indent=1))
    return target


def change_one(metadata: Path) -> str:
    """Give the first synthetic record a new title and stamp it, as a producer would; return its id.
    The one edit every incremental benchmark makes, so their figures measure the same change."""
    from catalogue.records.loader import load_registry
    from catalogue.records.stamps import write_stamps

    path = sorted((metadata / "datasets").glob("*.yaml"))[0]
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^title: .*$", f"title: Changed at {time.time():.0f}", text, count=1), "utf-8")
    write_stamps(load_registry(metadata, check_stamps=False))
    return path.stem
