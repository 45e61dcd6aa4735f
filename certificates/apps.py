from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    label = "certificates"
    verbose_name = _("Giấy chứng nhận")

    def ready(self):
        from courses.dashboard import dashboard_section_register

        from . import receivers  # noqa: F401
        from .dashboard import certificates_dashboard_section

        dashboard_section_register(
            key="certificates", provider=certificates_dashboard_section, order=50
        )
