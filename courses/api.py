"""What other apps (training, certificates, reports, cms) may use from courses. Keep it small."""

from .demo import load_demo_courses
from .legal import citation_label, legal_library_register, legal_library_url
from .models import CoursePage, Enrolment, LessonPage, LessonProgress
from .selectors import courses_for_person, enrolment_for
from .services import (
    course_copy_next_year,
    course_extra_requirements_met,
    enrolment_complete_if_done,
    enrolment_start,
)
from .signals import course_completed

__all__ = [
    "CoursePage",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "citation_label",
    "course_completed",
    "course_copy_next_year",
    "course_extra_requirements_met",
    "courses_for_person",
    "enrolment_complete_if_done",
    "enrolment_for",
    "enrolment_start",
    "legal_library_register",
    "legal_library_url",
    "load_demo_courses",
]
