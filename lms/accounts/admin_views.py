"""A manager gives a learner a temporary password (shown once, must be changed at next login)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.org.api import Person, StaffRole, has_role, is_system_admin, visible_people

from .services import password_reset_by_staff

MSG_STAFF_TARGET = _(
    "Tài khoản này có vai trò quản trị; chỉ quản trị viên toàn hệ thống được đặt lại mật khẩu."
)


def may_reset_password(*, actor, person: Person) -> bool:
    """Managers and administrators, for people in their subtree; never upwards in privilege."""
    if not has_role(actor, StaffRole.Role.MANAGER, StaffRole.Role.ADMIN):
        return False
    target = person.user
    if target is not None and target.pk != actor.pk:
        if target.is_superuser and not actor.is_superuser:
            return False
        if target.staff_roles.exists() and not is_system_admin(actor):
            return False
    return True


class PasswordResetByStaffView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/reset_password.html"
    page_title = _("Cấp / đặt lại mật khẩu")
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        if not has_role(request.user, StaffRole.Role.MANAGER, StaffRole.Role.ADMIN):
            raise PermissionDenied
        self.person = (
            visible_people(user=request.user)
            .select_related("user")
            .filter(pk=kwargs["person_id"])
            .first()
        )
        if self.person is None:
            raise Http404
        self.allowed = may_reset_password(actor=request.user, person=self.person)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.person.full_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("org_people:index"), "label": _("Người học")},
            {"url": "", "label": self.person.full_name},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            person=self.person,
            allowed=self.allowed,
            refused_message=MSG_STAFF_TARGET,
            action_url=reverse("accounts_admin:reset_password", args=[self.person.pk]),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not self.allowed:
            raise PermissionDenied
        result = password_reset_by_staff(person=self.person, actor=request.user)
        response = self.render_to_response(self.get_context_data(result=result))
        # The temporary password appears in this response only: keep it out of every cache.
        add_never_cache_headers(response)
        return response
