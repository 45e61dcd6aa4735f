"""The “Báo cáo” admin menu item and its URLs, shown to unit managers and administrators."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.org.api import StaffRole, has_role

from . import admin_urls


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, StaffRole.Role.MANAGER, StaffRole.Role.ADMIN)


@hooks.register("register_admin_urls")
def register_reports_urls():
    return [path("bao-cao/", include(admin_urls, namespace="reports"))]


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(_("Báo cáo"), reverse("reports:dashboard"), icon_name="table", order=250)
