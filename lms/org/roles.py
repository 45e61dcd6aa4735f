"""Staff roles map onto Django groups, which carry the Wagtail/Django permissions.

Groups are (re)built idempotently after every migrate, so permissions live in code and data
stays in step across deployments.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import StaffRole

GROUP_NAMES = {
    StaffRole.Role.ADMIN: "Quản trị viên",
    StaffRole.Role.MANAGER: "Quản lý đơn vị",
    StaffRole.Role.TRAINER: "Giảng viên",
}

# app_label -> model names (None = every model of the app) and actions, per role.
_ALL = ("add", "change", "delete", "view")
ROLE_PERMISSIONS: dict[str, list[tuple[str, list[str] | None, tuple[str, ...]]]] = {
    StaffRole.Role.ADMIN: [
        ("org", None, _ALL),
        ("training", None, _ALL),
        ("reports", None, _ALL),
        ("courses", None, _ALL),
        ("assessments", None, _ALL),
        ("certificates", None, _ALL),
        ("cms", None, _ALL),
        ("public", None, _ALL),  # news categories, Q&A topics, citizens' questions (snippets)
        ("wagtailimages", ["image"], ("add", "change", "delete", "choose")),
        ("wagtaildocs", ["document"], ("add", "change", "delete", "choose")),
    ],
    StaffRole.Role.MANAGER: [
        ("org", ["person", "positionassignment"], _ALL),
        ("org", ["unit", "unitkind", "targetgroup"], ("view",)),
        ("training", None, _ALL),
        ("reports", None, ("view",)),
        ("certificates", None, ("view",)),
    ],
    StaffRole.Role.TRAINER: [
        ("courses", None, _ALL),
        ("assessments", None, _ALL),
        ("training", ["session", "attendance"], _ALL),
        ("org", ["unit", "targetgroup"], ("view",)),
        # Editors of the public site: news categories, Q&A topics, reviewing citizens' questions.
        ("public", ["newscategory", "qatopic", "submittedquestion"], _ALL),
        ("wagtailimages", ["image"], ("add", "change", "choose")),
        ("wagtaildocs", ["document"], ("add", "change", "choose")),
    ],
}


def _permissions_for(role: str) -> list[Permission]:
    perms: list[Permission] = [
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    ]
    for app_label, models, actions in ROLE_PERMISSIONS[role]:
        qs = Permission.objects.filter(content_type__app_label=app_label)
        if models is not None:
            qs = qs.filter(content_type__model__in=models)
        perms += [p for p in qs if p.codename.split("_", 1)[0] in actions]
    return perms


@transaction.atomic
def ensure_role_groups() -> dict[str, Group]:
    groups = {}
    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(_permissions_for(role))
        groups[role] = group
    return groups


def sync_user_groups(*, user) -> None:
    """Make the user's role groups match their StaffRole rows."""
    held = set(StaffRole.objects.filter(user=user).values_list("role", flat=True))
    existing = {g.name: g for g in Group.objects.filter(name__in=GROUP_NAMES.values())}
    if len(existing) < len(GROUP_NAMES):
        existing = {GROUP_NAMES[r]: g for r, g in ensure_role_groups().items()}
    for role, name in GROUP_NAMES.items():
        group = existing[name]
        if role in held:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    if hasattr(user, "_lms_staff_roles"):
        del user._lms_staff_roles


@receiver(post_save, sender=StaffRole, dispatch_uid="org_staffrole_saved_sync_groups")
def _staff_role_saved(sender, instance: StaffRole, **kwargs) -> None:
    sync_user_groups(user=instance.user)


@receiver(post_delete, sender=StaffRole, dispatch_uid="org_staffrole_deleted_sync_groups")
def _staff_role_deleted(sender, instance: StaffRole, **kwargs) -> None:
    User = get_user_model()
    # When the user itself is being deleted the cascade removes the memberships anyway.
    user = User.objects.filter(pk=instance.user_id).first()
    if user is not None:
        sync_user_groups(user=user)
