"""The one way the site turns records into HTML: Jinja2 templates (templates/), autoescaped, from one Environment.

Every generated page and HTML block is a template, so what a record says reaches HTML through one
escaping path (markupsafe's, which autoescape applies): page bodies, the <title> mkdocs' own templates
print (`front_matter_title`), JSON-LD (`tojson`) and search entries (`escape`). Record fields that are
Markdown go through `md`/`md_inline`, which escape first, then convert.

Generated Markdown pages (templates/pages/, templates/asks/) carry their tables and lists as HTML
blocks (`{% filter html_block %}`): an HTML block stands in the page's Markdown as a token on a line
of its own, and the site hook puts it back once Markdown has run (`HtmlBlocks.put_back`). Markdown
then never parses the block (a table of 10,000 rows took seconds). Tokens hold a random part, so no
record text can forge one.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]
from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, FileSystemLoader, pass_context
from jinja2.bccache import Bucket
from jinja2.runtime import Context
from markupsafe import Markup, escape

from catalogue.records.model import Period
from catalogue.records.registry import installed, source_hash
from catalogue.site.fragments import FragmentTag, by_record, index_of

TEMPLATES = Path(__file__).parent / "templates"
_HEADING = re.compile(r"<h[1-6]\b[^>]*>.*?</h[1-6]>", re.S | re.I)
_UNSAFE_LINK = re.compile(r"\]\(\s*(?!https?://|mailto:|/|#)")

__all__ = ["HtmlBlocks", "Toc", "environment", "escape", "figure_value", "period_text", "render"]


def oneline(text: str) -> str:
    """Text on one line, runs of whitespace made one space."""
    return " ".join(text.split())


def safe_markdown_source(text: str) -> str:
    """Return record text safe to give Markdown: no HTML (& and < escaped, so Markdown passes none
    through; quotes are plain text in Markdown and stay as written), links only to http(s), mailto, or
    inside the site."""
    return _UNSAFE_LINK.sub("](#unsafe-link-", html.escape(text, quote=False))


class RecordMarkdown:
    """Record text, which is Markdown, as HTML: escaped first, then one reused converter with the
    extensions prose needs. Creating a converter costs more than converting a note, so there is one
    a process (`record_markdown`).

    A site build converts the same text many times (a caveat shows on its dataset page, the asks pages and
    the data-gaps register), and a rebuild converts again every text of the pages that list every record:
    at 1,000 records, 41,000 conversions and two thirds of the generated pages' time. A conversion depends
    on the text alone (and this code and Markdown's version, `VERSION`), so during a build (`remembering`) each
    result is kept and used again, and the build's manifest (reuse.py) hands them to the next build."""

    EXTENSIONS = ("tables", "sane_lists")
    VERSION = f"markdown {markdown.__version__} {EXTENSIONS} 1"
    _ONE_PARAGRAPH = re.compile(r"\A<p>(.*)</p>\Z", re.S)

    def __init__(self) -> None:
        self.converter = markdown.Markdown(extensions=list(self.EXTENSIONS))
        self.known: dict[str, str] = {}  # text -> HTML: the previous build's
        self.made: dict[str, str] | None = None  # text -> HTML: this build's, while it remembers

    @contextmanager
    def remembering(self, known: dict[str, str]) -> Iterator[None]:
        """Keep every conversion meanwhile (`made`), using `known` (a previous build's) where it has the
        text; let them go afterwards."""
        self.known, self.made = known, {}
        try:
            yield
        finally:
            self.known, self.made = {}, None

    def block(self, text: str) -> Markup:
        made = self.made
        if made is None:
            return Markup(self._convert(text))
        found = made.get(text)
        if found is None:
            found = made[text] = self.known.get(text) or self._convert(text)
        return Markup(found)

    def _convert(self, text: str) -> str:
        self.converter.reset()
        return str(self.converter.convert(safe_markdown_source(text)))

    def inline(self, text: str) -> Markup:
        """Record Markdown inside a paragraph or cell: one paragraph loses its <p>."""
        rendered = self.block(text)
        match = self._ONE_PARAGRAPH.match(rendered)
        return Markup(match.group(1)) if match and "<p>" not in match.group(1) else rendered


@functools.cache
def record_markdown() -> RecordMarkdown:
    return RecordMarkdown()


def period_text(period: Period) -> str:
    if period.start and period.end:
        return f"{period.start} to {period.end}"
    if period.start:
        return f"from {period.start}"
    if period.end:
        return f"up to {period.end}"
    return "all periods"


def figure_value(value: float) -> str:
    """A headline figure as published: thousands separated, no decimals when it is whole."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def front_matter_title(title: str) -> Markup:
    """The page title as a YAML scalar for front matter, its text already escaped: mkdocs' theme
    prints `page.meta.title` into <title> unescaped. A JSON string is a valid YAML scalar."""
    return Markup(json.dumps(str(escape(oneline(title)))))


class Toc:
    """A page's headings as mkdocs toc tokens (h1 > h2 > h3), collected as templates render them
    (macros.heading)."""

    def __init__(self) -> None:
        self.tokens: list[dict[str, Any]] = []

    def add(self, level: int, name: str, anchor: str) -> str:
        token = {"level": level, "id": anchor, "name": str(escape(name)), "children": []}
        parent = self.tokens
        while parent and parent[-1]["level"] < level:
            parent = parent[-1]["children"]
        parent.append(token)
        return ""


class HtmlBlocks:
    """The HTML blocks of one site build's generated pages, by token (see the module docstring), and
    the headings they hold, by page (`toc`): Markdown's toc extension never sees those, so the site hook
    adds them to the page's table of contents."""

    def __init__(self) -> None:
        self.blocks: dict[str, str] = {}
        self.tocs: dict[str, Toc] = {}
        self.nonce = secrets.token_hex(8)
        self._token = re.compile(rf"(?:<p>)?(RHB\d+X{self.nonce})(?:</p>)?")

    def add(self, block: str) -> str:
        """Keep `block` (HTML from a template); return the Markdown that stands for it."""
        token = f"RHB{len(self.blocks)}X{self.nonce}"
        self.blocks[token] = str(block)
        return f"\n{token}\n"

    def toc(self, path: str) -> Toc:
        """The headings the blocks of the page at `path` (under the docs folder) hold."""
        return self.tocs.setdefault(path, Toc())

    def put_back(self, page_html: str) -> str:
        """Return a page's HTML with each block token replaced by its block."""
        if "RHB" not in page_html:
            return page_html
        return self._token.sub(lambda match: self.blocks[match.group(1)], page_html)

    def headings_only(self, page_html: str) -> str | None:
        """Return a page's HTML with each block token replaced by the headings its block holds, or None
        if the page has no blocks: what the search index takes from a generated page (see search_reuse.py)."""
        if "RHB" not in page_html or not self._token.search(page_html):
            return None
        return self._token.sub(lambda match: "\n".join(_HEADING.findall(self.blocks[match.group(1)])), page_html)


def source_links(dataset: Any, keys: list[str]) -> Markup:
    """Links to a record's sources by key, separated by semicolons. Python, not a template macro: pages that
    list every record call it hundreds of thousands of times at 10,000 records, and a Jinja macro call (or
    `Markup.format`, which formats in pure Python) costs ten times as much. `escape` is autoescape's."""
    sources = dataset.sources
    return Markup("; ".join(f'<a href="{escape(sources[key].url)}">{escape(sources[key].title)}</a>' for key in keys))


@pass_context
def _html_block(context: Context, block: str) -> str:
    blocks: HtmlBlocks = context["blocks"]
    return blocks.add(block)


class CompiledTemplates(BytecodeCache):
    """Templates compiled once: kept for the process (mkdocs makes its Jinja environment anew at every build,
    and a live preview compiled the theme's 66 templates at every rebuild) and in Jinja's own file cache,
    for the next `catalogue build` (a third of a second of the shipped registry's 1.7 s build).

    Compiled code read back from a file runs, and it depends on more than the template's source, which is
    all Jinja checks: on the environment's settings (autoescaping is compiled in), its extensions
    ({% cached %}) and Jinja's version. So the files' names hold `fingerprint()` (those versions and our
    code), and code compiled by other code is never read; the folder is Jinja's (in the temporary
    directory, named by the user id, refused by Jinja unless it is this user's alone, mode 0700); and a file
    is read only if this user owns it and no one else may write it (the folder could be removed and made
    again by someone else while a preview runs). Where Jinja refuses the folder, or a file cannot be read or
    written, templates are compiled as before."""

    def __init__(self, fingerprint: Callable[[], str]) -> None:
        self.compiled: dict[str, bytes] = {}
        self._fingerprint = fingerprint

    @functools.cached_property
    def files(self) -> FileSystemBytecodeCache | None:
        """Jinja's file cache, once a process; None where Jinja refuses its folder."""
        try:
            return FileSystemBytecodeCache(pattern=f"__catalogue_{self._fingerprint()[:32]}_%s.cache")
        except (RuntimeError, OSError):  # RuntimeError: Jinja found the folder unsafe
            return None

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
            return
        files = self.files
        if files is not None:
            _load_own_file(os.path.join(files.directory, files.pattern % (bucket.key,)), bucket)
            if bucket.code is not None:
                self.compiled[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()
        files = self.files
        if files is not None:
            with suppress(OSError):  # a full or read-only disk: compiled again next time
                files.dump_bytecode(bucket)


def _load_own_file(path: str, bucket: Bucket) -> None:
    """Load `bucket` from `path` if this user owns the file and no one else may write to it."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return
    with os.fdopen(handle, "rb") as file:
        status = os.fstat(file.fileno())
        if status.st_uid != os.getuid() or status.st_mode & 0o022:
            return
        try:
            bucket.load_bytecode(file)
        except Exception:  # a damaged file (its checksum is pickled): compiled again
            bucket.reset()


@functools.cache
def template_fingerprint() -> str:
    """What compiled templates depend on besides their source: Python's and every library's version (Jinja's,
    mkdocs' whose theme environment's settings are its code) and the site package's source (the site
    environment's settings and extensions)."""
    site_package = Path(__file__).parent
    return hashlib.sha256(json.dumps([installed(), source_hash(site_package, ["."])]).encode()).hexdigest()


THEME_TEMPLATES = CompiledTemplates(template_fingerprint)  # hook.on_env gives it to mkdocs' environment
SITE_TEMPLATES = CompiledTemplates(template_fingerprint)


@functools.cache
def environment() -> Environment:
    """The site's one Jinja2 environment: autoescaped, with the filters record text needs."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[FragmentTag],  # {% cached %}: fragments.py
        bytecode_cache=SITE_TEMPLATES,
    )
    env.filters["by_record"] = by_record
    env.globals["index_of"] = index_of
    env.filters["md"] = lambda text: record_markdown().block(text)
    env.filters["md_inline"] = lambda text: record_markdown().inline(text)
    env.filters["figure"] = figure_value
    env.filters["period"] = period_text
    env.filters["oneline"] = oneline
    env.filters["front_matter_title"] = front_matter_title
    env.filters["html_block"] = _html_block
    env.globals["source_links"] = source_links
    # JSON-LD: `tojson` escapes <, >, & and ' for a <script> element; keep key order and non-ASCII text
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False}
    return env


def render(template: str, **context: Any) -> str:
    """Render one of templates/ with `context`."""
    return environment().get_template(template).render(**context)
