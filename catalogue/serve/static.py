"""`catalogue build --static`: a build a plain static host can serve (an object store, a pages service).

`catalogue serve` computes some answers per request: the Action API, the DCAT pages (`?page=`,
`?modified_since=`), content negotiation on `/catalog` and `/dataset/<id>`, and `/api/compare`. A static host
has no server logic and ignores query strings, so this step, run last, turns what it can into files at
paths such a host serves with the right media type by extension, removes what it must not publish, and says
on the pages that would need the rest that this copy cannot do it:

- the CKAN API's `package_list` at `api/3/action/package_list.json` (and, without the extension, at
  `api/3/action/package_list` and `api/action/package_list`, the URLs ckanapi's `get_only` client asks for),
  and each `package_show` at `api/3/action/package_show/<name>.json`: the bytes `catalogue serve` answers,
  its `help` link built from the base URI. Static CKAN mirrors lay the API out the same way, one file per
  action and id, since `?id=` cannot pick a file;
- the whole catalogue under `download/` too (where the server serves it), beside `catalog.<ext>`, which a
  static host serves whole instead of paged;
- the server's private files (`dcat/`, `ckan/index/`, `nginx/`) and what the build keeps for the next build
  (its manifests, the generated pages' parts) are left out: a static host publishes every file it is given;
- the dataset pages' `package_show?id=` link points at the file instead;
- a notice of what this copy cannot do (search, filters, paging, content negotiation, POST, /api/compare) on
  the harvesters' guide (the API's help page), the comparison page, and an index page under the API path.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import orjson

from catalogue.ckan.api import ActionApi
from catalogue.dcat.files import FORMATS
from catalogue.layout import PRIVATE_PREFIXES, BuildLayout, link_or_copy
from catalogue.records.registry import Registry

API = Path("api/3/action")
LIST_FILES = (API / "package_list.json", API / "package_list", Path("api/action/package_list"))
SHOW_DIR = API / "package_show"
NOTICE_ID = "static-host"
# the built pages that would need the server, each with what it would need it for
PAGES_NEEDING_THE_SERVER = {
    Path("guides/harvesters/index.html"): "The API and DCAT pages described on this page are partly available here.",
    Path("compare/index.html"): (
        "Comparing two selections needs the server's <code>/api/compare</code>, so this page cannot answer "
        "here; run <code>catalogue compare A B</code> on your own copy of the registry instead."
    ),
}
_SHOW_LINK = re.compile(r'href="((?:\.\./)*)api/3/action/package_show\?id=([a-z0-9-]+)"')
_END_OF_TITLE = "</h1>"


class StaticProblem(RuntimeError):
    """The static output could not be written as the build's pages were expected to be; says what to fix."""


def static_step(registry: Registry, work: Path) -> None:
    """The last build step of `catalogue build --static` (see the module's docstring)."""
    base = registry.catalogue.base_uri
    _write_api_files(work, base)
    _write_downloads(work)
    _add_notices(work)
    _link_files_from_dataset_pages(work)
    for prefix in PRIVATE_PREFIXES:
        shutil.rmtree(work / prefix.strip("/"), ignore_errors=True)
    _remove_manifests(work)
    (work / ".nojekyll").write_bytes(b"")  # GitHub Pages: publish the files as they are, without Jekyll


def _remove_manifests(work: Path) -> None:
    """Leave out what the build keeps for the next build to reuse (site/reuse.py, site/fragments.py,
    dcat/reuse.py): a static build is never one (`build --static` passes none), and a static host would
    publish them (`.nojekyll` makes GitHub Pages publish dotfiles too). The build's marker stays, so that the
    folder can be built into again."""
    for path in BuildLayout(work).reuse_files:
        path.unlink(missing_ok=True)


def _write_api_files(work: Path, base: str) -> None:
    """Write the answers `catalogue serve` would give, through the same ActionApi, at file paths."""
    scheme, _, host = base.partition("://")
    api = ActionApi(work)
    status, listing = api.respond("package_list", b"", b"", scheme, host.encode())
    if status != 200:
        raise StaticProblem(f"package_list answered {status}: {listing[:200]!r}")
    for relative in LIST_FILES:
        (work / relative).parent.mkdir(parents=True, exist_ok=True)
        (work / relative).write_bytes(listing)
    (work / SHOW_DIR).mkdir(parents=True)
    for name in orjson.loads(listing)["result"]:
        status, body = api.respond("package_show", f"id={name}".encode(), b"", scheme, host.encode())
        if status != 200:
            raise StaticProblem(f"package_show for {name} answered {status}: {body[:200]!r}")
        (work / SHOW_DIR / f"{name}.json").write_bytes(body)
    for folder in (work / API, work / SHOW_DIR):
        depth = len(folder.relative_to(work).parts)
        (folder / "index.html").write_text(_api_page(depth), encoding="utf-8")


def _write_downloads(work: Path) -> None:
    """`download/catalog.<ext>`, where the server serves the whole catalogue: a hard link where the file
    system allows (no second copy on disk), else a copy."""
    layout = BuildLayout(work)
    (work / "download").mkdir(exist_ok=True)
    for extension in FORMATS:
        link_or_copy(layout.catalog(extension), work / "download" / layout.catalog(extension).name)


def _notice(depth: int, first: str) -> str:
    """The box saying what this static copy cannot do, with links relative to a page `depth` folders down."""
    up = "../" * depth
    return (
        f'<div class="admonition warning" id="{NOTICE_ID}"><p class="admonition-title">A static copy</p>'
        f"<p>{first} This copy of the registry is served as plain files, with no server behind them. "
        f'It has the site, the feeds (<a href="{up}changes.atom">changes.atom</a>, '
        f'<a href="{up}releases.ics">releases.ics</a>), the DCAT files '
        f'(<a href="{up}catalog.ttl">catalog.ttl</a>, <code>.jsonld</code>, <code>.rdf</code>, each holding every '
        f"dataset, and <code>dataset/&lt;id&gt;.ttl</code>, <code>.jsonld</code>, <code>.rdf</code>), the CKAN dumps "
        f'(<a href="{up}ckan/datasets.jsonl">ckan/datasets.jsonl</a>) and two API actions as files: '
        f'<a href="{up}api/3/action/package_list.json">api/3/action/package_list.json</a> and '
        f"<code>api/3/action/package_show/&lt;name&gt;.json</code>.</p>"
        "<p>It cannot: search (<code>package_search</code>), filter (<code>fq</code>, "
        "<code>modified_since</code>), page the catalogue (<code>?page=</code>), negotiate content "
        "(ask for <code>/catalog</code> or <code>/dataset/&lt;id&gt;</code> by <code>Accept</code>: use the "
        "extension instead), answer a query string (<code>package_show?id=</code>) or a POST, any other action, "
        "or compare two selections (<code>/api/compare</code>). For those, run <code>catalogue serve</code>, or "
        "publish into a CKAN with <code>catalogue publish</code>.</p></div>"
    )


def _add_notices(work: Path) -> None:
    for page, first in PAGES_NEEDING_THE_SERVER.items():
        path = work / page
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            raise StaticProblem(f"the site has no {page}; update PAGES_NEEDING_THE_SERVER in {__file__}") from None
        if _END_OF_TITLE not in text:
            raise StaticProblem(f"{page} has no <h1> to put the static host notice under; update {__file__}")
        notice = _notice(len(page.parts) - 1, first)
        _rewrite(path, text.replace(_END_OF_TITLE, _END_OF_TITLE + notice, 1))


def _link_files_from_dataset_pages(work: Path) -> None:
    """Point each dataset page's package_show link (`?id=`, which a static host cannot answer) at its file."""
    for page in (work / "dataset").glob("*/index.html"):
        text = page.read_text("utf-8")
        changed = _SHOW_LINK.sub(lambda m: f'href="{m[1]}{SHOW_DIR.as_posix()}/{m[2]}.json"', text)
        if changed != text:
            _rewrite(page, changed)


def _rewrite(path: Path, text: str) -> None:
    """Replace a page with a new file rather than writing into it: a page hard-linked from another build
    (incremental builds reuse unchanged pages so) must not change there too."""
    fresh = path.with_name(f".{path.name}.static")
    fresh.write_text(text, encoding="utf-8")
    os.replace(fresh, path)


def _api_page(depth: int) -> str:
    """The page a browser gets at the API's path (and at `package_show?id=...`, which lands on the folder)."""
    title = "The CKAN API on a static copy"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head><body><main><h1>{html.escape(title)}</h1>"
        + _notice(depth, "Only files are served here.")
        + f'<p><a href="{"../" * depth}guides/harvesters/">The harvesters\' guide</a> describes the whole API.</p>'
        "</main></body></html>\n"
    )
