from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_editor_page_permissions(sender, **kwargs) -> None:
    """After every migrate (once the role groups exist): editors may edit the public sections."""
    from cms.site_setup import editor_page_permissions_ensure

    editor_page_permissions_ensure()


class PublicSiteConfig(AppConfig):
    """The citizens' side of the site: news, Q&A, materials and the site-wide search."""

    name = "cms.public"
    label = "public"
    verbose_name = _("Trang thông tin công khai")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps the search index in step with publishing)

        post_migrate.connect(
            _grant_editor_page_permissions, sender=self, dispatch_uid="public_editor_page_perms"
        )
