"""Celery tasks: thin wrappers taking ids; the work is in services."""

from celery import shared_task
from django.db import transaction


@shared_task(name="contests.close_due_rounds")
def close_due_rounds() -> int:
    """Beat, every minute: queue the closing of each round past its close (once per round)."""
    from .services import rounds_due

    ids = rounds_due()
    for round_id in ids:
        transaction.on_commit(lambda round_id=round_id: round_finalise_task.delay(round_id))
    return len(ids)


@shared_task(name="contests.round_finalise", acks_late=True)
def round_finalise_task(round_id: int) -> bool:
    from .services import round_finalise

    return round_finalise(round_id=round_id)
