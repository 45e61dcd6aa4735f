"""A fixed-window request limit per client IP, kept in the shared cache (Redis in production)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_LIMIT = (30, 300)  # requests per window (seconds)


def client_ip(request) -> str:
    """REMOTE_ADDR; the reverse proxy is expected to set it to the real client (see deployment)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit_is_limited(request, *, scope: str) -> bool:
    """Count this request; True once the client has gone over the limit in the current window."""
    limit, window = getattr(settings, "CERTIFICATES_VERIFY_RATE_LIMIT", DEFAULT_LIMIT)
    bucket = int(time.time() // window)
    key = f"certificates:rl:{scope}:{client_ip(request)}:{bucket}"
    if cache.add(key, 1, timeout=window + 5):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > limit
