"""Training listens to facts announced below it: positions changed, a course was completed."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from assessments.api import attempt_graded
from courses.models import Enrolment
from courses.signals import course_completed
from lms.org.api import positions_changed

from .attendance import attendance_quiz_passed
from .models import Assignment
from .services import assignments_complete_for_course, assignments_sync_enqueue
from .signals import assignments_changed


@receiver(positions_changed, dispatch_uid="training_positions_changed_sync")
def _positions_changed(sender, person_ids, **kwargs) -> None:
    # Queued on commit: the sync sees the positions as committed (a merge sends mid-transaction).
    assignments_sync_enqueue(person_ids=person_ids)


@receiver(course_completed, dispatch_uid="training_course_completed")
def _course_completed(sender, person_id, course_id, completed_at, **kwargs) -> None:
    assignments_complete_for_course(
        person_id=person_id,
        course_id=course_id,
        completed_at=completed_at,
        via=Assignment.Via.ONLINE,
    )


@receiver(attempt_graded, dispatch_uid="training_session_quiz_graded")
def _session_quiz_graded(sender, *, quiz_id, person_id, passed, **kwargs) -> None:
    # Passing a session's post-session quiz completes what was waiting for it (attendees only).
    if person_id is not None and passed:
        attendance_quiz_passed(person_id=person_id, quiz_id=quiz_id)


@receiver(post_save, sender=Enrolment, dispatch_uid="training_enrolment_progress")
def _enrolment_saved(sender, instance: Enrolment, **kwargs) -> None:
    # A learner who has started the course is "in progress" on this year's open assignments.
    if instance.status != Enrolment.Status.IN_PROGRESS:
        return
    started = list(
        Assignment.objects.filter(
            person_id=instance.person_id,
            requirement__course_id=instance.course_id,
            year=timezone.localdate().year,
            active=True,
            status=Assignment.Status.NOT_STARTED,
        ).values_list("pk", "unit_id", "year")
    )
    if not started:
        return
    Assignment.objects.filter(
        pk__in=[pk for pk, _unit, _year in started], status=Assignment.Status.NOT_STARTED
    ).update(status=Assignment.Status.IN_PROGRESS, updated_at=timezone.now())
    # A bulk update sends no post_save: tell the reports which counts changed.
    assignments_changed.send(
        sender=Assignment, unit_years=sorted({(unit, year) for _pk, unit, year in started})
    )
