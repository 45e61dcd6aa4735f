from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lms.reports"
    label = "reports"
    verbose_name = _("Báo cáo")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (keeps the completion counts fresh)
