"""Celery tasks: thin wrappers over services (ids in, idempotent)."""

from celery import shared_task

from . import services


@shared_task(name="assessments.tasks.attempts_close_expired")
def attempts_close_expired() -> int:
    """Beat, every minute: submit attempts past deadline + grace with the answers they saved."""
    return services.attempts_close_expired()


@shared_task(name="assessments.tasks.attempt_submit")
def attempt_submit(attempt_id: int) -> bool:
    return services.attempt_submit(attempt_id=attempt_id, auto=True)
