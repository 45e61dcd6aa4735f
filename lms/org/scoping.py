"""Who may see what: a unit manager sees only their unit subtree, everywhere.

Every staff view, export and API endpoint filters through these functions.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Person, PositionAssignment, StaffRole, Unit

MANAGING_ROLES = (StaffRole.Role.MANAGER, StaffRole.Role.ADMIN)
_CACHE_ATTR = "_lms_staff_roles"


def roles_of(user) -> list[StaffRole]:
    """The user's staff roles, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(StaffRole.objects.filter(user=user).select_related("unit"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def has_role(user, *roles: str) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(r.role in roles for r in roles_of(user))


def is_system_admin(user) -> bool:
    """Superusers and administrators without a unit scope see everything."""
    if getattr(user, "is_superuser", False):
        return True
    return any(r.role == StaffRole.Role.ADMIN and r.unit_id is None for r in roles_of(user))


def scope_roots(user, roles: tuple[str, ...] = MANAGING_ROLES) -> list[Unit] | None:
    """Top units of the user's scope for these roles; None means unrestricted."""
    if is_system_admin(user):
        return None
    return [r.unit for r in roles_of(user) if r.role in roles and r.unit_id is not None]


def visible_units(*, user, roles: tuple[str, ...] = MANAGING_ROLES) -> QuerySet[Unit]:
    roots = scope_roots(user, roles)
    if roots is None:
        return Unit.objects.all()
    return Unit.objects.subtree_of(roots)


def unit_scope_q(user, field: str = "unit", roles: tuple[str, ...] = MANAGING_ROLES) -> Q | None:
    """A Q restricting `field` (a FK to Unit) to the user's subtree; None when unrestricted."""
    roots = scope_roots(user, roles)
    if roots is None:
        return None
    if not roots:
        return Q(pk__in=[])
    condition = Q()
    for root in roots:
        condition |= Q(**{f"{field}__path__startswith": root.path})
    return condition


def visible_people(*, user) -> QuerySet[Person]:
    """People with at least one position (current or past) in the user's subtree."""
    condition = unit_scope_q(user, "positions__unit")
    if condition is None:
        return Person.objects.all()
    ids = Person.objects.filter(condition).values("pk")
    return Person.objects.filter(pk__in=ids)


def visible_positions(*, user) -> QuerySet[PositionAssignment]:
    condition = unit_scope_q(user, "unit")
    qs = PositionAssignment.objects.all()
    return qs if condition is None else qs.filter(condition)


def can_manage_unit(*, user, unit: Unit) -> bool:
    roots = scope_roots(user)
    if roots is None:
        return True
    return any(unit.path.startswith(root.path) for root in roots)


def can_manage_person(*, user, person: Person) -> bool:
    return visible_people(user=user).filter(pk=person.pk).exists()
