"""A fixed-window request limit per client IP for the public verification page."""

from __future__ import annotations

from django.conf import settings

from lms.core.http import client_ip
from lms.core.ratelimit import hit

DEFAULT_LIMIT = (30, 300)  # requests per window (seconds)


def hit_is_limited(request, *, scope: str) -> bool:
    """Count this request; True once the client has gone over the limit in the current window."""
    limit, window = getattr(settings, "CERTIFICATES_VERIFY_RATE_LIMIT", DEFAULT_LIMIT)
    key = f"certificates:{scope}:{client_ip(request) or 'unknown'}"
    return hit(key, limit=limit, window=window)
