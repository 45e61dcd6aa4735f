"""Wagtail admin for the organisation: units, people, positions, roles (owned by the admin work)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import wagtail_hooks_imports  # noqa: F401  (import screens register their own hooks)
from .viewsets import POLICIES, OrgViewSetGroup

for _model, _policy in POLICIES.items():
    register_permission_policy(_model, _policy)


@hooks.register("register_admin_viewset")
def register_org_viewsets():
    return OrgViewSetGroup()
