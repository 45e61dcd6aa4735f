"""Course pages (Wagtail) and learner progress."""

from .pages import (
    CourseIndexPage,
    CourseLegalBasis,
    CoursePage,
    LessonPage,
    ModulePage,
)
from .progress import Enrolment, LessonProgress

__all__ = [
    "CourseIndexPage",
    "CourseLegalBasis",
    "CoursePage",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "ModulePage",
]
