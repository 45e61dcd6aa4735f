"""Wagtail admin for the dissemination activity log (menu “Phổ biến pháp luật”)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import DisseminationActivity
from .permissions import ACTIVITY_POLICY
from .viewsets import ActivityViewSet

register_permission_policy(DisseminationActivity, ACTIVITY_POLICY)


@hooks.register("register_admin_viewset")
def register_dissemination_viewset():
    return ActivityViewSet()
