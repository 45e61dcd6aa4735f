"""Writes: receiving a citizen's comment and moderating comments."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lms.core import ratelimit

from .models import ConsultationComment, ConsultationPage

RATE_LIMIT_COUNT = 5
RATE_LIMIT_SECONDS = 60 * 60


class CommentRefused(Exception):
    """The comment cannot be accepted; the message is shown to the citizen."""


def ip_hash(ip: str | None) -> str:
    """A keyed hash: lets us rate-limit and spot abuse without storing addresses."""
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, (ip or "").encode("utf-8"), hashlib.sha256).hexdigest()


def _rate_key(hashed: str) -> str:
    return f"consultations:comments:{hashed}"


def comment_rate_limited(*, hashed_ip: str) -> bool:
    return ratelimit.is_limited(
        _rate_key(hashed_ip), limit=RATE_LIMIT_COUNT, window=RATE_LIMIT_SECONDS
    )


def _rate_count(hashed_ip: str) -> None:
    ratelimit.count(_rate_key(hashed_ip), window=RATE_LIMIT_SECONDS)


def comment_submit(
    *,
    page: ConsultationPage,
    name: str,
    body: str,
    locality: str = "",
    locality_unit=None,
    contact: str = "",
    hashed_ip: str = "",
) -> ConsultationComment:
    """Store a pending comment. The caller has checked the window, the honeypot and the timer."""
    comment = ConsultationComment.objects.create(
        page=page,
        name=name,
        locality=locality,
        locality_unit=locality_unit,
        contact=contact,
        body=body,
        ip_hash=hashed_ip,
    )
    _rate_count(hashed_ip)
    return comment


@transaction.atomic
def comments_moderate(*, comment_ids, status: str, user, allowed) -> int:
    """Set the status of the given comments among `allowed` (the user's scope); return the count."""
    if status not in ConsultationComment.Status.values:
        raise ValueError(status)
    return allowed.filter(pk__in=list(comment_ids)).update(
        status=status, moderated_by=user, moderated_at=timezone.now()
    )
