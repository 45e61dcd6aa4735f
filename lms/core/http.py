"""Small request helpers shared by the apps."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for rate limits.

    Behind a reverse proxy, set ``CLIENT_IP_HEADER`` (environment variable, e.g.
    ``HTTP_X_REAL_IP``) to the META key of the header the proxy overwrites with the client's
    address; otherwise REMOTE_ADDR is used. A header the client can set itself is never trusted
    by default, so nobody escapes a rate limit by sending one.
    """
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    return value.split(",")[0].strip() or request.META.get("REMOTE_ADDR") or None
