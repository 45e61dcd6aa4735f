from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _superuser_only(request) -> bool:
    """The Django admin is a maintenance tool: superusers only (staff work in Wagtail)."""
    user = request.user
    return user.is_active and user.is_superuser


def _login_elsewhere(request, extra_context=None):
    """The Django admin has no login form of its own: everyone signs in on the one login page."""
    from django.conf import settings
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", "/django-admin/"), settings.LOGIN_URL)


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self) -> None:
        from django.contrib import admin

        # StaffRole rows keep the user's Django groups in step (receivers live in org.roles).
        from lms.org import roles  # noqa: F401

        admin.site.has_permission = _superuser_only
        admin.site.login = _login_elsewhere
