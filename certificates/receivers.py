"""Issue certificates when a course is completed online or an assignment is marked completed,
and catch up on earlier completions when a course gets its certificate setting."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.signals import course_completed
from lms.training.api import Assignment

from .models import CourseCertificateSetting
from .services import certificate_issue, certificates_issue_for_completed_enqueue


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


@receiver(post_save, sender=CourseCertificateSetting, dispatch_uid="certificates_on_setting_saved")
def on_setting_saved(sender, instance, raw=False, **kwargs):
    """A course that gets (or re-activates) its certificate setting catches up in the background:
    everyone who already completed it gets a certificate, in batches."""
    if instance.is_active and not raw:
        certificates_issue_for_completed_enqueue(course_id=instance.course_id)
