"""Wagtail admin hooks for the quiz statistics screens (imported by wagtail_hooks)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import statistics_views


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return statistics_views.can_view_statistics(request.user)


@hooks.register("register_admin_urls")
def register_statistics_urls():
    return [path("", include(statistics_views.urlpatterns))]


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return StatisticsMenuItem(
        _("Thống kê bài kiểm tra"),
        reverse("assessments_statistics"),
        name="assessments-statistics",
        icon_name="table",
        order=302,
    )
