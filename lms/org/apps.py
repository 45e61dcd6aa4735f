from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "lms.org"
    label = "org"
    verbose_name = _("Tổ chức và con người")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        def _ensure_groups(sender, apps=None, **kwargs):
            # Run once, after the last app with models has had its permissions created.
            from django.apps import apps as global_apps

            with_models = [c for c in global_apps.get_app_configs() if c.models_module is not None]
            if sender is with_models[-1]:
                from .roles import ensure_role_groups

                ensure_role_groups()

        post_migrate.connect(_ensure_groups, dispatch_uid="org_ensure_role_groups", weak=False)
