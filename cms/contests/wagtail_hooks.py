"""Admin: the “Thi tìm hiểu pháp luật” screens (rounds, entries, ranking, export, certificates)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from lms.org.api import StaffRole, has_role

from . import admin_views

STAFF = (StaffRole.Role.MANAGER, StaffRole.Role.ADMIN)


@hooks.register("register_admin_urls")
def register_contest_urls():
    return [
        path("cuoc-thi/", admin_views.rounds_index, name="contests_rounds"),
        path(
            "cuoc-thi/<int:round_id>/bai-thi/", admin_views.entries_index, name="contests_entries"
        ),
        path(
            "cuoc-thi/<int:round_id>/xep-hang/", admin_views.ranking_index, name="contests_ranking"
        ),
        path(
            "cuoc-thi/<int:round_id>/doat-giai.xlsx",
            admin_views.winners_export,
            name="contests_winners_export",
        ),
        path(
            "cuoc-thi/<int:round_id>/cap-giay-chung-nhan/",
            admin_views.certificates_issue,
            name="contests_certificates_issue",
        ),
        path(
            "cuoc-thi/giay-chung-nhan/<int:certificate_id>.pdf",
            admin_views.certificate_download,
            name="contests_certificate_pdf",
        ),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, *STAFF)


@hooks.register("register_admin_menu_item")
def register_contest_menu_item():
    return StaffMenuItem(
        _("Thi tìm hiểu pháp luật"), reverse("contests_rounds"), icon_name="pick", order=165
    )
