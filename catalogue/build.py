"""Write every output of a registry into one folder, atomically.

Each output is a step `(registry, folder) -> None`; the build runs them in a temporary folder beside
the target and swaps it into place only when every step succeeded, so a failed build leaves the
previous output untouched.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson

from catalogue import parallel
from catalogue.layout import BuildLayout, record_cache
from catalogue.records.registry import Registry

Step = Callable[[Registry, Path], None]


def write_registry_json(registry: Registry, out: Path, previous: Path | None = None, *, manifest: bool = False) -> None:
    """Write the validated registry as one JSON document (the model, for tools and tests).

    orjson, not json: `json.dumps(indent=2)` runs Python's own encoder, half a minute at 10,000 records.
    Dumping the models was most of the rest (9 s): a dataset whose key (dcat/reuse.py) the build
    `previous` holds has its entry copied from that build's registry.json. The document is the bytes
    orjson writes for the whole: the datasets are spliced in where orjson writes an empty object, each
    entry indented as orjson indents it at that depth (no string holds a raw line break). `manifest`
    writes where each entry lies, for the next build (the build's own step does)."""
    from catalogue.dcat.reuse import dataset_keys, kept_spans, write_manifest

    layout, output = BuildLayout(out), "registry.json"
    keys = dataset_keys(registry, output)
    old = BuildLayout(previous) if previous is not None else None
    kept = kept_spans(old.registry_manifest, old.registry_json, output, keys) if old else {}
    data = {
        "catalogue": registry.catalogue.model_dump(mode="json"),
        "agents": {key: agent.model_dump(mode="json") for key, agent in registry.agents.items()},
        "datasets": {},
        "stamps": {key: vars(stamp) for key, stamp in registry.stamps.items()},
    }
    option = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
    head, tail = orjson.dumps(data, option=option).split(b'\n  "datasets": {}', 1)
    parts, spans = [head, b'\n  "datasets": {'], {}
    position = len(head) + len(parts[1])
    for number, key in enumerate(sorted(registry.datasets)):
        name = b"\n    " + orjson.dumps(key) + b": "
        entry = kept.get(key, b"")
        if not (entry.startswith(b"{") and entry.endswith(b"}")):
            entry = orjson.dumps(registry.datasets[key].model_dump(mode="json"), option=option)
            entry = entry.replace(b"\n", b"\n    ")
        parts += [b"," if number else b"", name, entry]
        position += (1 if number else 0) + len(name)
        if key in keys:
            spans[key] = [keys[key], position, position + len(entry)]
        position += len(entry)
    parts.append(b"\n  }" if registry.datasets else b"}")
    layout.registry_json.write_bytes(b"".join([*parts, tail]))
    if manifest:
        size = position + len(parts[-1]) + len(tail)
        write_manifest(layout.registry_manifest, output, {"size": size, "spans": spans})


def _generated_pages() -> dict[str, str]:
    """Site pages made from code other than the site's: the DCAT mapping page's dataset table."""
    from catalogue.dcat.docs import with_mapping_table
    from catalogue.site.build import MKDOCS_YML

    page = (MKDOCS_YML.parent / "site" / "dcat-mapping.md").read_text(encoding="utf-8")
    return {"dcat-mapping.md": with_mapping_table(page)}


class _Quality:
    """Each record's metadata quality score, computed once per registry and shared by the steps that
    show it (the site's pages, the DCAT measurements, quality.json). Builds score without network
    checks (those indicators say "not checked"), so a build depends on the records alone; the link
    checker's report is for `catalogue quality`. Scores of records unchanged since `previous` are
    taken from it (quality/reuse.py)."""

    def __init__(self, previous: Path | None = None) -> None:
        self.previous = previous
        self.registry: Registry | None = None
        self.reuse: Any = None

    def of(self, registry: Registry) -> dict[str, Any]:
        from catalogue.quality.reuse import QualityReuse

        if registry is not self.registry:
            self.registry, self.reuse = registry, QualityReuse(registry, self.previous)
        scores: dict[str, Any] = self.reuse.scores
        return scores


def default_steps(*, preview: bool = False, previous: Path | None = None) -> list[tuple[str, Step]]:
    """Return the build's steps in order, each with the name progress shows.

    `preview` makes the site's pages load the live-reload script (for `catalogue serve --watch`).
    `previous` is the build being replaced: what it holds that nothing changed is reused (the site's
    dataset pages, site/reuse.py), with the bytes a build from nothing would write.
    """
    from catalogue.ckan.files import write_ckan
    from catalogue.dcat.files import write_dcat
    from catalogue.feeds.writer import write_feeds
    from catalogue.quality.links import NOT_CHECKED
    from catalogue.quality.registry import measurements, page_data, report
    from catalogue.site.build import SiteBuild, write_site

    scores = _Quality(previous)

    def site(registry: Registry, out: Path) -> None:
        quality = page_data(scores.of(registry))
        site_build = SiteBuild(
            registry, preview=preview, extra_pages=_generated_pages(), quality=quality, previous=previous
        )
        write_site(site_build, out)

    def dcat(registry: Registry, out: Path) -> None:
        write_dcat(registry, out, measurements=measurements(scores.of(registry)), previous=previous)

    def quality_json(registry: Registry, out: Path) -> None:
        # orjson writes what json.dumps(indent=2, ensure_ascii=False) does, ten times faster (0.6 s at 10,000)
        data = orjson.dumps(report(scores.of(registry), NOT_CHECKED), option=orjson.OPT_INDENT_2)
        BuildLayout(out).quality_json.write_bytes(data)
        scores.reuse.write_manifest(out)  # here, not when scoring: the site step empties the folder after that

    return [
        ("site", site),  # first: mkdocs empties the folder it builds into
        ("registry.json", lambda registry, out: write_registry_json(registry, out, previous, manifest=True)),
        ("metadata quality", quality_json),
        ("DCAT feeds", dcat),
        ("CKAN dumps and search index", lambda registry, out: write_ckan(registry, out, previous)),
        ("change feed and release calendar", write_feeds),
    ]


class BuildRefused(ValueError):
    """The output folder is not the build's to replace; the message says why and what to do."""


MARKER_TEXT = "Written by `catalogue build`, which replaces this whole folder at every build.\n"


def refuse_unsafe_output(out: Path, registry_root: Path) -> None:
    """Refuse an output folder the build would destroy something in: the records, a folder holding
    them, or any folder with files the build did not write (`--out .` once deleted the project)."""
    if out == registry_root or out in registry_root.parents:
        raise BuildRefused(f"{out} holds the records ({registry_root}); build into a folder of its own, e.g. build/")
    if registry_root in out.parents:
        raise BuildRefused(f"{out} is inside the records folder {registry_root}; build outside it, e.g. build/")
    if not out.exists():
        return
    if not out.is_dir():
        raise BuildRefused(f"{out} is a file, not a folder; choose another --out")
    layout = BuildLayout(out)
    if layout.marker.is_file() or layout.registry_json.is_file():  # a build's, or one from before the marker
        return
    if any(out.iterdir()):
        raise BuildRefused(
            f"{out} holds files `catalogue build` did not write, and a build replaces the whole folder; "
            "choose an empty or new folder, e.g. --out build"
        )


def records_cache(out: Path, metadata: Path) -> Path | None:
    """Where a build into `out` keeps the validated records (records/cached.py, beside `out`); None when
    the build will refuse `out`, so that a refused build writes nothing at all."""
    try:
        refuse_unsafe_output(out.resolve(), metadata.resolve())
    except BuildRefused:
        return None
    return record_cache(out.resolve())


def _clear_killed_builds(out: Path) -> None:
    """Remove the work folders of earlier builds into `out` whose process is gone (killed mid-build)."""
    for folder in out.parent.glob(f".{out.name}.*"):
        marker = BuildLayout(folder).marker
        try:
            pid = int(marker.read_text("utf-8").split("\n", 1)[0])
        except (OSError, ValueError):
            continue  # not a build's work folder (or a build from before the marker): not ours to remove
        if not _alive(pid):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _swap_into_place(work: Path, out: Path) -> None:
    """Put the finished build `work` at `out`. An existing `out` is exchanged with `work` in one
    atomic step (Linux renameat2 RENAME_EXCHANGE), so there is no moment without a build at `out`
    (a kill between two renames once lost the only good build); `work` then holds the old build,
    which the caller removes. Elsewhere, or on a file system without the exchange, two renames."""
    if not out.exists():
        work.rename(out)
        return
    if _exchange(work, out):
        return
    old = out.with_name(f".{out.name}.old")
    if old.exists():
        shutil.rmtree(old)
    out.rename(old)
    work.rename(out)
    shutil.rmtree(old)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False where the system cannot (then nothing has moved)."""
    renameat2 = getattr(_LIBC, "renameat2", None) if _LIBC is not None else None
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return bool(done == 0)


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_LIBC = _libc()


def build(
    registry: Registry,
    out: Path,
    steps: Iterable[tuple[str, Step]] | None = None,
    progress: Callable[[str], None] = lambda _: None,
    *,
    preview: bool = False,
    incremental: bool = True,
    previous: Path | None = None,
) -> None:
    """Build every output into `out`, replacing it only if all steps succeed.

    `preview` adds the live-reload script to the site's pages (for `catalogue serve --watch`; it is
    an option of the default steps, so it does nothing when `steps` are given). The default steps
    reuse what the build at `out` (or `previous`, another build folder) holds that did not change
    (`incremental=False` renders everything).
    """
    out = out.resolve()
    refuse_unsafe_output(out, Path(registry.root).resolve())
    out.parent.mkdir(parents=True, exist_ok=True)
    _clear_killed_builds(out)
    if previous is None and out.is_dir():
        previous = out  # refuse_unsafe_output made sure it is a build (or empty)
    previous = previous.resolve() if incremental and previous is not None else None
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    BuildLayout(work).marker.write_text(f"{os.getpid()}\n{MARKER_TEXT}", encoding="utf-8")
    try:
        # The records (and whatever else exists now) are kept out of the cyclic collector's passes while the
        # steps run: it otherwise walks every one of them again and again as the build makes objects (a
        # sixth of a one-record rebuild at 1,000 records), and the forked workers would copy the pages it
        # touched.
        with parallel.frozen():
            for name, step in steps if steps is not None else default_steps(preview=preview, previous=previous):
                progress(name)
                step(registry, work)
        work.chmod(0o755)
        _swap_into_place(work, out)
    finally:
        if work.exists():
            shutil.rmtree(work)
