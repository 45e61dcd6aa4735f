"""Wagtail admin hooks for the import screens (units, people)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import import_views


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return any(import_views.can_import(request.user, kind) for kind in import_views.KINDS)


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("", include(import_views.urlpatterns))]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Nhập dữ liệu"),
        reverse("org_imports_index"),
        name="org-imports",
        icon_name="upload",
        order=900,
    )
