"""Admin: the “Ý kiến Nhân dân” moderation screen and comment exports."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.org.api import StaffRole, has_role

from . import views

STAFF = (StaffRole.Role.MANAGER, StaffRole.Role.ADMIN)


@hooks.register("register_admin_urls")
def register_consultation_urls():
    return [
        path("y-kien-nhan-dan/", views.moderation_index, name="consultations_moderation"),
        path(
            "y-kien-nhan-dan/xuat/<int:page_id>.<str:fmt>",
            views.comments_export,
            name="consultations_export",
        ),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, *STAFF)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return StaffMenuItem(
        _("Ý kiến Nhân dân"), reverse("consultations_moderation"), icon_name="comment", order=160
    )
