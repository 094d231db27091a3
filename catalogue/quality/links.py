"""What the link checker's last report says of each URL, for the indicators that need an HTTP answer.

Scoring never fetches anything: `catalogue linkcheck` does (bounded, retried, reported), and its JSON
report is read here. The report is a file on disk that anyone could have edited, so it is read
defensively: a size limit, a list of objects with a string `url` and a boolean `ok`, anything else
skipped, and one plain error (not a traceback) when the file is not such a report at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MAX_REPORT_BYTES = 64 * 1024 * 1024


class ReportError(ValueError):
    """The link report cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class LinkStatus:
    """URL -> answered (True) or broken (False); a URL not in `checked` was not checked."""

    checked: Mapping[str, bool] = field(default_factory=dict)
    source: str = ""  # where the answers came from, for the report ("" when there was no report)

    def answered(self, url: str) -> bool | None:
        return self.checked.get(url)


NOT_CHECKED = LinkStatus()


def read_link_report(path: Path) -> LinkStatus:
    """Read `catalogue linkcheck`'s JSON report at `path`; raise ReportError if it is not one."""
    try:
        size = path.stat().st_size
        if size > MAX_REPORT_BYTES:
            raise ReportError(f"{path}: {size:,} bytes is more than a link report can be ({MAX_REPORT_BYTES:,})")
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise ReportError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: not JSON ({exc}); run `catalogue linkcheck --report {path}` again") from None
    if not isinstance(data, list):
        raise ReportError(f"{path}: not a link report (expected a JSON list, as `catalogue linkcheck` writes)")
    checked: dict[str, bool] = {}
    for entry in data:
        if isinstance(entry, dict) and isinstance(entry.get("url"), str) and isinstance(entry.get("ok"), bool):
            checked[entry["url"]] = entry["ok"]
    return LinkStatus(checked, str(path))


def link_status(path: Path | None) -> LinkStatus:
    """The report at `path` if there is one there, else "not checked" for every URL."""
    if path is None or not path.exists():
        return NOT_CHECKED
    return read_link_report(path)
