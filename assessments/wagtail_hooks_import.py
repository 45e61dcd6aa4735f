"""Wagtail admin hooks for the question import/export screens (imported by wagtail_hooks)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import import_views


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return import_views.can_import(request.user)


@hooks.register("register_admin_urls")
def register_question_import_urls():
    return [path("", include(import_views.urlpatterns))]


@hooks.register("register_admin_menu_item")
def register_question_import_menu_item():
    return ImportMenuItem(
        _("Nhập, xuất câu hỏi"),
        reverse("assessments_import"),
        name="assessments-import",
        icon_name="upload",
        order=301,
    )
