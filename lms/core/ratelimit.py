"""Fixed-window counters in the shared cache (Redis in production), for public forms and pages.

Keys are built by the caller (scope + a client identifier); windows are aligned to the clock so
that a counter expires by itself. ``add()`` starts a window; ``incr()`` is atomic in Redis and in
the database cache.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def _bucket_key(key: str, window: int) -> str:
    return f"rl:{key}:{int(time.time() // window)}"


def _increment(key: str, window: int) -> int:
    if cache.add(key, 1, timeout=window + 5):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window + 5)
        return 1


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one hit; True once ``key`` has gone over ``limit`` hits in the current window."""
    return _increment(_bucket_key(key, window), window) > limit


def is_limited(key: str, *, limit: int, window: int) -> bool:
    """True when ``key`` already has ``limit`` counted hits in the current window (counts nothing)."""
    return (cache.get(_bucket_key(key, window)) or 0) >= limit


def count(key: str, *, window: int) -> None:
    """Count one hit without checking (for limits counted only on success, after ``is_limited``)."""
    _increment(_bucket_key(key, window), window)
