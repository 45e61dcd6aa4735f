"""Reads for the staff screens and the API. Every function scopes through lms.org.scoping."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from lms.core.text import fold

from .models import Person, PositionAssignment, StaffRole, TargetGroup, Unit
from .scoping import is_system_admin, scope_roots, visible_people, visible_positions, visible_units

ADMIN_ONLY = (StaffRole.Role.ADMIN,)


class _CountDistinct(Func):
    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def _people_in_subtree_count(day: dt.date) -> Subquery:
    """People holding a position on `day` in the outer unit or below (one SQL subquery)."""
    positions = (
        PositionAssignment.objects.active_on(day)
        .filter(unit__path__startswith=OuterRef("path"))
        .order_by()
        .annotate(n=_CountDistinct(F("person_id")))
        .values("n")[:1]
    )
    return Subquery(positions, output_field=IntegerField())


def units_for_tree(*, user, day: dt.date | None = None) -> QuerySet[Unit]:
    """The user's units in tree order with kind and the number of people currently in each subtree."""
    day = day or timezone.localdate()
    return (
        visible_units(user=user)
        .select_related("kind")
        .annotate(people_count=_people_in_subtree_count(day))
        .order_by("path")
    )


def units_search(queryset: QuerySet[Unit], query: str) -> QuerySet[Unit]:
    """Accent-insensitive search on unit name and code."""
    for term in fold(query).split():
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def units_manageable(*, user) -> QuerySet[Unit]:
    """Units whose structure the user may change (administrators only, within their scope)."""
    return visible_units(user=user, roles=ADMIN_ONLY)


def people_list(
    *,
    user,
    unit: Unit | None = None,
    target_group: TargetGroup | None = None,
    is_active: bool | None = None,
    query: str = "",
    day: dt.date | None = None,
) -> QuerySet[Person]:
    """People the user may see, filtered, sorted by Vietnamese given-name collation.

    `unit` and `target_group` look at current positions; current positions are prefetched
    (with unit and target group) so listings run a fixed number of queries.
    """
    day = day or timezone.localdate()
    people = visible_people(user=user)
    if unit is not None or target_group is not None:
        positions = PositionAssignment.objects.active_on(day)
        if unit is not None:
            positions = positions.filter(unit__path__startswith=unit.path)
        if target_group is not None:
            positions = positions.filter(target_group=target_group)
        people = people.filter(pk__in=positions.values("person_id"))
    if is_active is not None:
        people = people.filter(is_active=is_active)
    if query:
        people = people.search(query)
    return people.select_related("user").prefetch_related(current_positions_prefetch(day=day))


def current_positions_prefetch(*, day: dt.date | None = None) -> Prefetch:
    day = day or timezone.localdate()
    return Prefetch(
        "positions",
        queryset=PositionAssignment.objects.active_on(day)
        .select_related("unit", "target_group")
        .order_by("start_date", "id"),
        to_attr="current_positions",
    )


def person_detail(*, user, person_id: int) -> Person | None:
    """One visible person with all their positions (newest first), or None when out of scope."""
    return (
        visible_people(user=user)
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=PositionAssignment.objects.select_related("unit", "target_group").order_by(
                    "-start_date", "-id"
                ),
                to_attr="all_positions",
            )
        )
        .filter(pk=person_id)
        .first()
    )


def positions_list(*, user) -> QuerySet[PositionAssignment]:
    return visible_positions(user=user).select_related("person", "unit", "target_group")


def staff_roles_visible(*, user) -> QuerySet[StaffRole]:
    """Roles an administrator may see and revoke: those inside their own admin scope."""
    qs = StaffRole.objects.select_related("user", "unit")
    if is_system_admin(user):
        return qs
    roots = scope_roots(user, ADMIN_ONLY) or []
    if not roots:
        return qs.none()
    condition = Q()
    for root in roots:
        condition |= Q(unit__path__startswith=root.path)
    return qs.filter(condition)
