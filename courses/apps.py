from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("Khóa học")

    def ready(self) -> None:
        from assessments.api import citizen_quiz_rule_register

        from . import receivers  # noqa: F401  (final quiz graded → course completion)
        from .selectors import quiz_in_open_course

        citizen_quiz_rule_register(quiz_in_open_course)
