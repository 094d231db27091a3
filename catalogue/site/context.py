"""What one site build is given: the registry, whether it is a live preview, and pages other packages made.

`catalogue build` makes one `SiteBuild` and hands it to `write_site`; nothing about a build is kept in
module globals. (How it reaches the mkdocs hook, which mkdocs loads itself, is `plugin.SitePlugin.attach`.)
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalogue.records.registry import Registry


@dataclass(frozen=True)
class SiteBuild:
    """The inputs of one site build.

    registry:    the validated records every generated page is made from.
    preview:     pages load the live-reload script (`catalogue serve --watch`).
    extra_pages: Markdown pages by path under the docs folder (e.g. "dcat-mapping.md"), computed by
                 other packages; one replaces a page of the same path in site/.
    quality:     each dataset's metadata quality score as plain data (catalogue/quality's `page_data`,
                 which the build computes: the site may not import it), for the badge and the
                 "how to improve this record" box on dataset pages; pages without one show neither.
    built:       the build date (YYYY-MM-DD), the "accessed" date of each dataset page's citation.
    previous:    an earlier build's folder, whose dataset pages are reused where nothing they show
                 changed (reuse.py); None renders every page.
    """

    registry: Registry
    preview: bool = False
    extra_pages: Mapping[str, str] = field(default_factory=dict)
    quality: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    built: str = field(default_factory=lambda: datetime.date.today().isoformat())
    previous: Path | None = None
