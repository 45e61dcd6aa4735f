"""Courses react to facts other apps announce."""

from django.dispatch import receiver

from assessments.api import attempt_graded

from .services import courses_complete_after_quiz


@receiver(attempt_graded, dispatch_uid="courses_complete_after_final_quiz")
def _final_quiz_graded(sender, *, quiz_id, person_id, passed, **kwargs):
    # Citizens (no person) and failed attempts cannot complete a course.
    if person_id is not None and passed:
        courses_complete_after_quiz(quiz_id=quiz_id, person_id=person_id)
