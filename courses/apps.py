from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("Khóa học")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (final quiz graded → course completion)
