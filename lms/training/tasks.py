"""Celery tasks: thin wrappers taking ids and calling services. All idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="training.sync_people")
def sync_people(person_ids: list[int]) -> dict[str, int]:
    from .services import assignments_sync_for_people

    result = assignments_sync_for_people(person_ids=person_ids)
    return {
        "created": len(result.created),
        "updated": len(result.updated),
        "deactivated": len(result.deactivated),
        "moved": len(result.moved),
    }


@shared_task(name="training.sync_plan")
def sync_plan(plan_id: int) -> dict[str, int]:
    from .models import TrainingPlan
    from .services import plan_people_ids

    plan = TrainingPlan.objects.filter(pk=plan_id).select_related("scope_unit").first()
    if plan is None:
        return {}
    return sync_people(plan_people_ids(plan=plan))


@shared_task(name="training.notify_assignments_created")
def notify_assignments_created(assignment_ids: list[int]) -> int:
    from .reminders import notify_assignments_created as notify

    return notify(assignment_ids=assignment_ids)


@shared_task(name="training.send_due_reminders")
def send_due_reminders() -> dict[str, int]:
    from .reminders import reminders_send_due

    return reminders_send_due()


@shared_task(name="training.send_manager_digests")
def send_manager_digests() -> int:
    from .reminders import digests_send_weekly

    return digests_send_weekly()


__all__ = [
    "notify_assignments_created",
    "send_due_reminders",
    "send_manager_digests",
    "sync_people",
    "sync_plan",
]
