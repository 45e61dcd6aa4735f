"""Writes of the public site: receiving a citizen's question."""

from __future__ import annotations

from lms.core import ratelimit

from .models import QAIndexPage, QATopic, SubmittedQuestion

RATE_LIMIT_COUNT = 3
RATE_LIMIT_SECONDS = 60 * 60


def _rate_key(hashed_ip: str) -> str:
    return f"public:questions:{hashed_ip}"


def question_rate_limited(*, hashed_ip: str) -> bool:
    return ratelimit.is_limited(
        _rate_key(hashed_ip), limit=RATE_LIMIT_COUNT, window=RATE_LIMIT_SECONDS
    )


def _rate_count(hashed_ip: str) -> None:
    ratelimit.count(_rate_key(hashed_ip), window=RATE_LIMIT_SECONDS)


def question_submit(
    *,
    index: QAIndexPage,
    name: str,
    locality: str,
    body: str,
    contact: str = "",
    topic: QATopic | None = None,
    hashed_ip: str = "",
) -> SubmittedQuestion:
    """Store a pending question. The caller has checked the honeypot, the timer and the limit."""
    question = SubmittedQuestion.objects.create(
        index=index,
        name=name,
        locality=locality,
        contact=contact,
        topic=topic,
        body=body,
        ip_hash=hashed_ip,
    )
    _rate_count(hashed_ip)
    return question
