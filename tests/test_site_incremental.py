"""The site step's incremental build (catalogue/site/reuse.py) after the first edit of a day: the edit moves
the catalogue's last-change date, which the footer of every page but the dataset pages shows. Dataset pages
show their own record's date (footer.py), so the unchanged ones are still reused, and the incremental site
is byte for byte the one a full build writes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from material.plugins.search import plugin as search_plugin
from mkdocs.structure.pages import Page

from catalogue.layout import BuildLayout
from catalogue.records.loader import load_registry
from catalogue.records.stamps import write_stamps
from catalogue.site import reuse
from catalogue.site.build import SiteBuild, write_site
from catalogue.site.fragments import Fragments
from catalogue.site.render import RecordMarkdown

_BUILT = "2026-06-15"


def _site_files(folder: Path) -> dict[str, bytes]:
    """Every file of a site build, the page manifest without its files' times (they are the build's own)."""
    found: dict[str, bytes] = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path == BuildLayout(folder).page_manifest:
            data = json.dumps({key: value[:2] for key, value in json.loads(data)["pages"].items()}).encode()
        found[str(path.relative_to(folder))] = data
    return found


def test_the_first_edit_of_a_day_renders_only_the_pages_it_changes(
    registry_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []  # the pages whose HTML the search plugin parses
    parse = search_plugin.SearchIndex.add_entry_from_context

    def spy(index: search_plugin.SearchIndex, page: Page) -> None:
        parsed.append(page.url)
        parse(index, page)

    monkeypatch.setattr(search_plugin.SearchIndex, "add_entry_from_context", spy)
    converted: list[str] = []  # the record text Markdown converts (render.RecordMarkdown)
    convert = RecordMarkdown._convert

    def spy_convert(markdown: RecordMarkdown, text: str) -> str:
        converted.append(text)
        return convert(markdown, text)

    monkeypatch.setattr(RecordMarkdown, "_convert", spy_convert)
    parts: list[tuple[int, int]] = []  # each build's (reused, rendered) parts of the generated pages
    close = Fragments.close

    def spy_close(fragments: Fragments) -> None:
        parts.append((fragments.reused, fragments.rendered))
        close(fragments)

    monkeypatch.setattr(Fragments, "close", spy_close)
    # every record last changed long ago, so the edit below moves the catalogue's date to today
    stamps_path = registry_copy / "stamps.json"
    stamps = json.loads(stamps_path.read_text("utf-8"))
    for stamp in stamps.values():
        stamp["created"] = stamp["modified"] = "2020-01-02T00:00:00"
    stamps_path.write_text(json.dumps(stamps, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    registry = load_registry(registry_copy)
    assert registry.catalogue_modified()[:10] == "2020-01-02"
    first = tmp_path / "first"
    write_site(SiteBuild(registry, built=_BUILT), first)

    changed = next(iter(registry.datasets))
    related = {other for _, other, _ in registry.relations_of(changed)}
    unrelated = next(key for key in registry.datasets if key != changed and key not in related)
    path = registry_copy / "datasets" / f"{changed}.yaml"
    path.write_text(re.sub(r"(?m)^title: .*$", "title: Edited title", path.read_text("utf-8")), encoding="utf-8")
    write_stamps(load_registry(registry_copy, check_stamps=False))
    registry = load_registry(registry_copy)
    today = registry.modified(changed)[:10]
    assert registry.catalogue_modified()[:10] == today != "2020-01-02"

    second, full = tmp_path / "second", tmp_path / "full"
    parsed.clear()
    converted_first = len(converted)
    converted.clear()
    write_site(SiteBuild(registry, built=_BUILT, previous=first), second)
    parsed_again, converted_again = list(parsed), len(converted)
    write_site(SiteBuild(registry, built=_BUILT), full)
    got, expected = _site_files(second), _site_files(full)
    assert sorted(got) == sorted(expected)
    different = [name for name in expected if got[name] != expected[name]]
    assert not different, f"{len(different)} files differ from a full build, e.g. {different[:5]}"

    def page(build: Path, dataset_id: str) -> Path:
        return BuildLayout(build).dataset_page_dir(dataset_id) / "index.html"

    # mkdocs' pages: only those that show what changed are parsed for the search index again
    assert "guides/producers/" in parsed
    assert "guides/producers/" not in parsed_again
    assert "" in parsed_again  # the home page's own prose shows the new date
    # the list of datasets shows the new title in its table, which is not in its search view (search_reuse.py)
    assert "dataset/" not in parsed_again
    assert len(parsed_again) < len(parsed) / 2, parsed_again
    # record text: the first build's conversions are taken from its manifest, not made again
    assert converted_first > 100
    assert converted_again < converted_first / 10, (converted_again, converted_first)
    # the generated pages' per-record parts (fragments.py): the unchanged records' taken from the first build
    (_, first_rendered), (reused, rendered), (full_reused, _) = parts
    assert first_rendered > 100
    assert full_reused == 0
    assert reused > 10 * rendered > 0, parts
    assert os.stat(page(first, unrelated)).st_ino == os.stat(page(second, unrelated)).st_ino, "not reused"
    assert os.stat(page(first, changed)).st_ino != os.stat(page(second, changed)).st_ino
    # each page says the truth: the catalogue's date on the home page, the record's own on its page
    home = (second / "index.html").read_text("utf-8")
    assert re.search(rf"records last changed on\s*<time datetime=\"{today}\">", home)
    old_page = page(second, unrelated).read_text("utf-8")
    assert re.search(r"this record last changed on\s*<time datetime=\"2020-01-02\">", old_page)
    assert today not in old_page
    assert re.search(rf"this record last changed on\s*<time datetime=\"{today}\">", page(second, changed).read_text())


def test_the_page_key_covers_every_module_the_site_is_made_by() -> None:
    """A dataset page's key hashes the site's code (reuse.CODE_PATHS), not the whole package: every module the
    site step loads, in a fresh process, must be in it, or a change to that module would leave stale pages."""
    script = (
        "import sys; import catalogue.site.build, catalogue.site.plugin, catalogue.site.hook; "
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.split('.')[0] == 'catalogue'))"
    )
    root = Path(reuse.__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True)
    loaded = {str(Path(name).resolve().relative_to(root)) for name in done.stdout.split()}
    assert "catalogue/site/dataset.py" in loaded
    assert "catalogue/records/model.py" in loaded
    uncovered = [name for name in loaded if not any(name == p or name.startswith(f"{p}/") for p in reuse.CODE_PATHS)]
    assert not uncovered, f"the site loads code its page key does not hash: {uncovered}"


def test_the_page_key_covers_the_theme_but_not_the_written_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Editing a guide's text keeps every dataset page's and every part's key (it reaches them only through
    the navigation, which the page keys hold besides); editing the theme's templates changes them."""
    import shutil

    import yaml

    root = Path(reuse.__file__).resolve().parents[2]
    config = yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    assert config["theme"]["custom_dir"] in reuse.CODE_PATHS
    copy = tmp_path / "tree"
    for name in (*reuse.CODE_PATHS, "site"):
        source, target = root / name, copy / name
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    monkeypatch.setattr(reuse, "_ROOT", copy)
    before = reuse._code_hash()
    guide = copy / "site" / "guides" / "scaling.md"
    guide.write_text(guide.read_text("utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert reuse._code_hash() == before
    theme = copy / config["theme"]["custom_dir"] / "main.html"
    theme.write_text(theme.read_text("utf-8") + "\n", encoding="utf-8")
    assert reuse._code_hash() != before


def test_the_theme_is_compiled_once_for_this_process_and_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdocs makes its Jinja environment anew at every build: the live preview (one process) compiled every
    theme template at every rebuild, and every `catalogue build` compiled them all again
    (render.CompiledTemplates keeps them in memory and in Jinja's own file cache)."""
    import jinja2

    from catalogue.site import render
    from tests.conftest import small_registry

    metadata = small_registry(tmp_path / "metadata")
    write_stamps(load_registry(metadata, check_stamps=False))
    registry = load_registry(metadata)
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def spy(env: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return compile_template(env, source, name, *args, **kwargs)

    (tmp_path / "jinja").mkdir()

    def fresh_process() -> None:  # what a new process starts with: nothing in memory, the files on disk
        cache = render.CompiledTemplates(render.template_fingerprint)
        cache.files = jinja2.FileSystemBytecodeCache(str(tmp_path / "jinja"))
        monkeypatch.setattr(render, "THEME_TEMPLATES", cache)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    fresh_process()

    def theme_templates_compiled(out: str) -> set[str]:
        compiled.clear()
        write_site(SiteBuild(registry, built=_BUILT), tmp_path / out)
        return {name for name in compiled if name and name.endswith(".html")}

    first = theme_templates_compiled("first")
    assert {"main.html", "base.html"} <= first
    again = theme_templates_compiled("second")
    assert not {"main.html", "base.html"} & again
    assert len(again) < len(first) / 4, again  # material compiles its language partials anew
    fresh_process()
    assert not {"main.html", "base.html"} & theme_templates_compiled("third")


def test_a_file_cache_jinja_refuses_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Jinja refuses a cache folder another user could write (compiled code read from it would run): then
    templates are compiled in this process only, as if there were no file cache."""
    import jinja2

    from catalogue.site import render

    def unsafe(pattern: str) -> None:
        raise RuntimeError("Cannot determine safe temp directory.")

    monkeypatch.setattr(render, "FileSystemBytecodeCache", unsafe)
    cache = render.CompiledTemplates(render.template_fingerprint)
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ 1 + 1 }}"}), bytecode_cache=cache)
    assert env.get_template("t.html").render() == "2"
    assert cache.files is None
    assert len(cache.compiled) == 1


def test_compiled_templates_are_read_back_only_when_made_by_this_code_and_safe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jinja checks a compiled template's source only; the code also depends on the environment's settings,
    extensions and Jinja's version (the fingerprint in the file names), and a file is code that runs: one
    anybody else could write is not read."""
    import jinja2

    from catalogue.site import render

    folder = tmp_path / "jinja"
    folder.mkdir()
    in_folder = lambda pattern: jinja2.FileSystemBytecodeCache(str(folder), pattern)  # noqa: E731
    monkeypatch.setattr(render, "FileSystemBytecodeCache", in_folder)
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def spy(env: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return compile_template(env, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)

    def render_in_a_new_process(fingerprint: str) -> str:
        cache = render.CompiledTemplates(lambda: fingerprint)
        env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ 6 * 7 }}"}), bytecode_cache=cache)
        return env.get_template("t.html").render()

    assert render_in_a_new_process("made-by-a") == "42"
    assert compiled == ["t.html"]
    assert render_in_a_new_process("made-by-a") == "42"
    assert compiled == ["t.html"], "read back"
    assert render_in_a_new_process("made-by-b") == "42"
    assert compiled == ["t.html", "t.html"], "code compiled by other code was read"
    for path in folder.iterdir():
        path.chmod(0o666)
    compiled.clear()
    assert render_in_a_new_process("made-by-a") == "42"
    assert compiled == ["t.html"], "a file others may write was read"


def test_front_matter_of_any_shape_makes_a_stable_page_key() -> None:
    """A page's front matter is in every dataset page's key (the navigation shows some of it)."""
    from datetime import date

    from catalogue.site.plugin import _canonical

    meta = {date(2024, 1, 1): "a date as a key", 3: {"b", "a", "c"}, "status": "new"}
    once = json.dumps(_canonical(meta), sort_keys=True, default=str)
    assert once == json.dumps(_canonical(dict(reversed(meta.items()))), sort_keys=True, default=str)
    assert '"3": ["a", "b", "c"]' in once
