"""The server's caches are bounded in bytes, whatever the requests (issue: 2,100 distinct
`modified_since` values took the server from 65 to 910 MB)."""

from __future__ import annotations

from catalogue.cache import BoundedCache


def test_the_budget_holds_whatever_is_put() -> None:
    cache: BoundedCache[bytes] = BoundedCache(10_000)
    for i in range(5_000):
        cache.put(f"page-{i}", b"x" * (i % 600), i % 600)
        assert cache.used <= cache.budget
    assert cache.used == sum(size for size, _ in cache.items.values())


def test_least_recently_used_goes_first() -> None:
    cache: BoundedCache[bytes] = BoundedCache(1_600)
    for key in ("a", "b", "c"):
        cache.put(key, b"x" * 50, 50)
    assert cache.get("a") == b"x" * 50  # a is now the most recent of the three
    evicted = []
    for key in range(100):
        before = set(cache.items)
        cache.put(key, b"y" * 50, 50)
        evicted += [old for old in ("a", "b", "c") if old in before and old not in cache.items]
    assert evicted == ["b", "c", "a"]


def test_an_answer_over_a_sixteenth_of_the_budget_is_not_kept() -> None:
    cache: BoundedCache[bytes] = BoundedCache(16_000)
    cache.put("small", b"s", 1)
    cache.put("huge", b"h" * 2_000, 2_000)
    assert cache.get("huge") is None
    assert cache.get("small") == b"s"
