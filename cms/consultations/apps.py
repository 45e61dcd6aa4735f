from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "cms.consultations"
    label = "consultations"
    verbose_name = _("Lấy ý kiến Nhân dân")
    default_auto_field = "django.db.models.BigAutoField"
