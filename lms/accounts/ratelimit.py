"""A fixed-window limit per client IP for the public sign-up form, kept in the shared cache."""

from __future__ import annotations

from django.conf import settings

from lms.core.http import client_ip
from lms.core.ratelimit import hit

# Sign-up attempts per IP per window (seconds). A commune hall on one Wi-Fi signs up many
# citizens on Law Day, so the limit stops scripts, not a queue of people.
DEFAULT_SIGNUP_LIMIT = (20, 600)


def signup_hit_is_limited(request) -> bool:
    """Count this attempt; True once the client has gone over the limit in the current window."""
    limit, window = getattr(settings, "ACCOUNTS_SIGNUP_RATE_LIMIT", DEFAULT_SIGNUP_LIMIT)
    return hit(f"accounts:signup:{client_ip(request) or 'unknown'}", limit=limit, window=window)
