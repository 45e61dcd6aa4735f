"""Issue certificates when a course is completed online or an assignment is marked completed."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.signals import course_completed
from lms.training.api import Assignment

from .services import certificate_issue


@receiver(course_completed, dispatch_uid="certificates_on_course_completed")
def on_course_completed(sender, person_id, course_id, completed_at, **kwargs):
    certificate_issue(person_id=person_id, course_id=course_id, completed_at=completed_at)


@receiver(post_save, sender=Assignment, dispatch_uid="certificates_on_assignment_completed")
def on_assignment_completed(sender, instance, created, update_fields=None, **kwargs):
    if instance.status != Assignment.Status.COMPLETED or instance.completed_at is None:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    person_id, requirement_id, completed_at = (
        instance.person_id,
        instance.requirement_id,
        instance.completed_at,
    )

    def issue():
        from lms.training.api import Assignment as _Assignment

        course_id = (
            _Assignment._meta.get_field("requirement")
            .related_model.objects.filter(pk=requirement_id)
            .values_list("course_id", flat=True)
            .first()
        )
        if course_id:
            certificate_issue(person_id=person_id, course_id=course_id, completed_at=completed_at)

    transaction.on_commit(issue)
