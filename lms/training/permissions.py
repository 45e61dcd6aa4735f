"""Who may do what in the training screens, written once and read by menus, views and checks.

Plans are written by administrators within their unit scope; managers read the plans that
cover their units. Assignments are seen and exempted by managers of their unit subtree only.
Sessions are run by trainers (their own) and administrators.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from lms.org.api import StaffRole, Unit, has_role, is_system_admin, unit_scope_q

from .models import Assignment, AuditEntry, Session, TrainingPlan

MANAGER, ADMIN, TRAINER = StaffRole.Role.MANAGER, StaffRole.Role.ADMIN, StaffRole.Role.TRAINER
STAFF = (MANAGER, ADMIN)

Scope = Callable[[object, Iterable[str]], QuerySet]


class RolePolicy(BasePermissionPolicy):
    """Actions allowed per staff role, plus the instances each user reaches for them.

    An action missing from `roles` is refused to everyone, superusers included.
    """

    def __init__(self, model, *, roles: dict[str, tuple[str, ...]], scope: Scope):
        super().__init__(model)
        self.roles = roles
        self.scope = scope

    def user_has_permission(self, user, action):
        if not getattr(user, "is_active", False) or action not in self.roles:
            return False
        return has_role(user, *self.roles[action])

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        roles = {role for action in actions for role in self.roles.get(action, ())}
        condition = Q(is_superuser=True) | Q(staff_roles__role__in=roles)
        return get_user_model().objects.filter(condition, is_active=True).distinct()

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = [a for a in actions if self.user_has_permission(user, a)]
        if not allowed:
            return self.model._default_manager.none()
        return self.scope(user, allowed)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and self.scope(user, [action]).filter(pk=instance.pk).exists()
        )


def _ancestor_paths(unit: Unit) -> list[str]:
    step = Unit.steplen
    return [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]


def _plan_scope(user, actions) -> QuerySet[TrainingPlan]:
    plans = TrainingPlan.objects.all()
    if is_system_admin(user):
        return plans.filter(**_deletable()).distinct() if set(actions) == {"delete"} else plans
    if set(actions) <= {"view"}:
        # Plans covering the user's units (issued above them) or issued inside their subtree.
        roots = [r.unit for r in _roles(user) if r.role in STAFF and r.unit_id]
        condition = Q(pk__in=[])
        for root in roots:
            condition |= Q(scope_unit__path__startswith=root.path)
            condition |= Q(scope_unit__path__in=_ancestor_paths(root))
        return plans.filter(condition)
    scoped = plans.filter(unit_scope_q(user, "scope_unit", roles=(ADMIN,)))
    return scoped.filter(**_deletable()).distinct() if set(actions) == {"delete"} else scoped


def _deletable() -> dict:
    # A plan that produced obligations is history: close it instead of deleting it.
    return {"status": TrainingPlan.Status.DRAFT, "requirements__assignments__isnull": True}


def _roles(user) -> list[StaffRole]:
    return list(StaffRole.objects.filter(user=user).select_related("unit"))


def _assignment_scope(user, actions) -> QuerySet[Assignment]:
    condition = unit_scope_q(user, "unit")
    qs = Assignment.objects.all()
    return qs if condition is None else qs.filter(condition)


def _session_scope(user, actions) -> QuerySet[Session]:
    qs = Session.objects.all()
    if has_role(user, ADMIN) or is_system_admin(user):
        condition = unit_scope_q(user, "invited_units", roles=(ADMIN,))
        return qs if condition is None else qs.filter(condition).distinct()
    return qs.filter(trainer=user)


def _audit_scope(user, actions) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.all() if is_system_admin(user) else AuditEntry.objects.none()


PLAN_POLICY = RolePolicy(
    TrainingPlan,
    roles={"view": STAFF, "add": (ADMIN,), "change": (ADMIN,), "delete": (ADMIN,)},
    scope=_plan_scope,
)
ASSIGNMENT_POLICY = RolePolicy(
    Assignment,
    # No generic add/change/delete: every write goes through an audited service.
    roles={"view": STAFF, "exempt": STAFF, "complete": STAFF, "assign": STAFF},
    scope=_assignment_scope,
)
SESSION_POLICY = RolePolicy(
    Session,
    roles={
        "view": (TRAINER, ADMIN),
        "add": (TRAINER, ADMIN),
        "change": (TRAINER, ADMIN),
        "attendance": (TRAINER, ADMIN),
    },
    scope=_session_scope,
)
AUDIT_POLICY = RolePolicy(AuditEntry, roles={"view": (ADMIN,)}, scope=_audit_scope)

POLICIES = {
    TrainingPlan: PLAN_POLICY,
    Assignment: ASSIGNMENT_POLICY,
    Session: SESSION_POLICY,
    AuditEntry: AUDIT_POLICY,
}
