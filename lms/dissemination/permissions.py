"""Who may record and read dissemination activities.

Managers and administrators record and read the activities of their own unit subtree;
system administrators reach every unit. Trainers and learners have no access.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from lms.org.api import StaffRole, can_manage_unit, has_role

from .models import DisseminationActivity
from .selectors import activities_visible

STAFF = (StaffRole.Role.MANAGER, StaffRole.Role.ADMIN)
ACTIONS = ("add", "change", "delete", "view")


def can_record_dissemination(user) -> bool:
    return bool(getattr(user, "is_active", False)) and has_role(user, *STAFF)


def can_manage_activity(*, user, activity: DisseminationActivity) -> bool:
    return can_record_dissemination(user) and can_manage_unit(user=user, unit=activity.unit)


class ActivityPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return action in ACTIONS and can_record_dissemination(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not set(actions) & set(ACTIONS):
            return get_user_model().objects.none()
        condition = Q(is_superuser=True) | Q(staff_roles__role__in=STAFF)
        return get_user_model().objects.filter(condition, is_active=True).distinct()

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return DisseminationActivity.objects.none()
        return activities_visible(user=user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and can_manage_unit(
            user=user, unit=instance.unit
        )


ACTIVITY_POLICY = ActivityPolicy(DisseminationActivity)
