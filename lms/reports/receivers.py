"""Reports listen to training: any change to assignments marks their counts for a refresh."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lms.training.api import Assignment, assignments_changed

from .counts import mark


@receiver(post_save, sender=Assignment, dispatch_uid="reports_assignment_saved")
@receiver(post_delete, sender=Assignment, dispatch_uid="reports_assignment_deleted")
def _assignment_written(sender, instance: Assignment, **kwargs) -> None:
    mark(unit_years=[(instance.unit_id, instance.year)])


@receiver(assignments_changed, dispatch_uid="reports_assignments_changed")
def _assignments_changed(sender, unit_years, **kwargs) -> None:
    mark(unit_years=unit_years)
