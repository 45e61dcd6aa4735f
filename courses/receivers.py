"""Courses react to facts other apps announce."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from assessments.api import attempt_graded

from .services import courses_complete_after_quiz, enrolment_start

# A visitor pressed “Đăng ký học” before having an account: the course id waits here.
PENDING_ENROLMENT_SESSION_KEY = "courses_pending_enrolment"


@receiver(attempt_graded, dispatch_uid="courses_complete_after_final_quiz")
def _final_quiz_graded(sender, *, quiz_id, person_id, passed, **kwargs):
    # Citizens (no person) and failed attempts cannot complete a course.
    if person_id is not None and passed:
        courses_complete_after_quiz(quiz_id=quiz_id, person_id=person_id)


@receiver(user_logged_in, dispatch_uid="courses_enrol_pending_after_login")
def _enrol_pending_after_login(sender, request, user, **kwargs):
    """Signing up or logging in after “Đăng ký học” finishes the enrolment the visitor asked for."""
    session = getattr(request, "session", None)
    course_id = session.pop(PENDING_ENROLMENT_SESSION_KEY, None) if session is not None else None
    if not course_id:
        return
    from .selectors import person_for_user, visible_courses

    person = person_for_user(user)
    course = visible_courses(user=user).filter(pk=course_id).first()
    if person is not None and course is not None:
        enrolment_start(person=person, course=course)
