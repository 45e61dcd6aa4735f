from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisseminationConfig(AppConfig):
    name = "lms.dissemination"
    label = "dissemination"
    verbose_name = _("Phổ biến, giáo dục pháp luật")
    default_auto_field = "django.db.models.BigAutoField"
