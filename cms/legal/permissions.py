"""Who may import and publish legal documents.

Decision: only system administrators (superusers, or the admin role without a unit scope). The
text of a law is shared by every unit, so neither unit-scoped admins, managers nor trainers change
it; trainers cite it from lessons and questions.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lms.org.api import is_system_admin

DENIED = _("Chỉ quản trị viên hệ thống được nhập, sửa hoặc xuất bản văn bản pháp luật.")


def can_manage_legal_documents(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and is_system_admin(user))
