"""What to say when a value is not one of the known ones: the closest known value, not all of them.

Why: a misspelt frequency, agent, theme, dataset id or source key is the commonest mistake a producer
makes, and a message listing every id in the registry (nearly a thousand characters at 33 records)
hides the one that was meant. So a message names the closest value ("did you mean 'quarterly'?"),
lists every value only when there are few, and otherwise says where the values are defined.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection

# At most this many values are listed in a message; more are only pointed to.
FEW = 12
# difflib's ratio a suggestion must reach: 'quartely'/'quarterly' is 0.94, 'nobody'/'ons' is 0.44.
_CUTOFF = 0.6


def closest(value: str, known: Collection[str]) -> str | None:
    """Return the known value most like `value` (ignoring case), or None if none is close."""
    by_folded = {item.casefold(): item for item in sorted(known)}
    found = difflib.get_close_matches(value.casefold(), list(by_folded), n=1, cutoff=_CUTOFF)
    return by_folded[found[0]] if found else None


def what_is_valid(value: str, known: Collection[str], where: str = "") -> str:
    """Return the second half of a message about an unknown `value`: the suggestion, or the valid values.

    `where` says where the values are defined, for when there are too many to list.
    """
    suggestion = closest(value, known)
    if suggestion is not None:
        return f"did you mean {suggestion!r}?"
    if not known:
        return f"none is defined yet{f' ({where})' if where else ''}"
    if len(known) <= FEW:
        return f"expected one of: {', '.join(known)}"
    return f"expected one of the {len(known)} defined {where}" if where else f"expected one of {len(known)} values"


def unknown_message(what: str, value: str, known: Collection[str], where: str = "") -> str:
    """Return "'x' is not a known <what>; <suggestion or valid values>"."""
    return f"{value!r} is not a known {what}; {what_is_valid(value, known, where)}"
