"""A least-recently-used cache bounded by the bytes it holds, for the server's rendered answers.

A count-bounded cache is not bounded in memory when answers vary in size: 2,048 catalogue pages of a
few hundred kilobytes each took a server from 65 to 910 MB. Here the budget is in bytes (answers and
keys), and an answer larger than a sixteenth of it is not kept (it would push out hundreds of small ones).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class BoundedCache(Generic[V]):
    """Values by key, least recently used first out, at most `budget` bytes as measured by `put`'s caller."""

    def __init__(self, budget: int) -> None:
        self.budget, self.used = budget, 0
        self.items: OrderedDict[Hashable, tuple[int, V]] = OrderedDict()  # key -> (size, value)

    def get(self, key: Hashable) -> V | None:
        found = self.items.get(key)
        if found is None:
            return None
        self.items.move_to_end(key)
        return found[1]

    def put(self, key: Hashable, value: V, size: int) -> None:
        """Keep `value`, counted as `size` bytes plus the size of `key`'s text."""
        size += len(repr(key))
        if size > self.budget // 16 or key in self.items:
            return
        self.items[key] = (size, value)
        self.used += size
        while self.used > self.budget:
            _, (old_size, _) = self.items.popitem(last=False)
            self.used -= old_size
