"""Wagtail admin for training: the “Bồi dưỡng” menu group."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .permissions import POLICIES
from .viewsets import TrainingViewSetGroup

for _model, _policy in POLICIES.items():
    register_permission_policy(_model, _policy)


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return TrainingViewSetGroup()
