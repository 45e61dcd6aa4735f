from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "lms.training"
    label = "training"
    verbose_name = _("Kế hoạch và kết quả bồi dưỡng")

    def ready(self) -> None:
        from courses.dashboard import dashboard_section_register

        from . import receivers  # noqa: F401  (connects to org and courses signals)
        from .dashboard import training_dashboard_section

        dashboard_section_register(key="training", provider=training_dashboard_section, order=10)
