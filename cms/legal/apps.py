from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "cms.legal"
    label = "legal"
    verbose_name = _("Thư viện pháp luật")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from assessments.api import legal_library_register as assessments_register
        from courses.legal import legal_library_register

        from . import signals  # noqa: F401  (cache invalidation on publish)
        from .selectors import provision_url

        # courses and assessments may not import cms: the library registers itself as their
        # citation resolver.
        legal_library_register(provision_url)
        assessments_register(provision_url)
