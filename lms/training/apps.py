from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "lms.training"
    label = "training"
    verbose_name = _("Kế hoạch và kết quả bồi dưỡng")
