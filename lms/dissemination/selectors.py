"""Reads for the activity log and the Measure 2 coverage figure.

Coverage is computed with single SQL aggregates grouped by the materialised-path prefix of the
unit at the child depth, so the number of queries does not depend on the number of units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from lms.org.api import Unit, unit_scope_q

from .models import DisseminationActivity


@dataclass
class CoverageRow:
    """Measure 2 figures for one unit and its subtree in one year."""

    unit: Unit
    units_total: int = 0  # units in the subtree that existed during the year
    units_covered: int = 0  # of those, units that recorded at least one activity
    sessions: int = 0
    participants: int = 0

    @property
    def units_missing(self) -> int:
        return self.units_total - self.units_covered

    @property
    def percent(self) -> float | None:
        """Share of units with at least one activity, one decimal; None when no unit existed."""
        if self.units_total <= 0:
            return None
        return round(100 * self.units_covered / self.units_total, 1)


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


def _existing_in_year_q(year: int, prefix: str = "") -> Q:
    start, end = _year_bounds(year)
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lt": end})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": start})
    )


def _grouped(*, root_unit: Unit, year: int, length: int) -> tuple[dict, dict]:
    """Unit counts and activity figures keyed by path prefix of `length` characters."""
    units = (
        Unit.objects.filter(path__startswith=root_unit.path, depth__gte=length // Unit.steplen)
        .filter(_existing_in_year_q(year))
        .annotate(prefix=Substr("path", 1, length))
        .order_by()
        .values("prefix")
        .annotate(total=Count("pk"))
    )
    start, end = _year_bounds(year)
    activities = (
        DisseminationActivity.objects.filter(
            unit__path__startswith=root_unit.path,
            unit__depth__gte=length // Unit.steplen,
            date__gte=start,
            date__lt=end,
        )
        .annotate(prefix=Substr("unit__path", 1, length))
        .order_by()
        .values("prefix")
        .annotate(
            sessions=Count("pk"),
            participants=Sum("participants"),
            covered=Count("unit", distinct=True, filter=_existing_in_year_q(year, "unit__")),
        )
    )
    return (
        {row["prefix"]: row["total"] for row in units},
        {row["prefix"]: row for row in activities},
    )


def _fill(row: CoverageRow, totals: dict, figures: dict, key: str) -> CoverageRow:
    row.units_total = totals.get(key, 0)
    found = figures.get(key)
    if found:
        row.units_covered = found["covered"]
        row.sessions = found["sessions"]
        row.participants = found["participants"] or 0
    return row


def coverage_for(*, root_unit: Unit, year: int) -> list[CoverageRow]:
    """One row per child unit of `root_unit` that existed in `year`, each rolled up over its subtree.

    Three queries whatever the size of the tree: the children, the unit counts and the activity
    figures (both grouped by path prefix at the child depth).
    """
    children = list(
        Unit.objects.filter(path__startswith=root_unit.path, depth=root_unit.depth + 1)
        .filter(_existing_in_year_q(year))
        .select_related("kind")
        .order_by("path")
    )
    if not children:
        return []
    length = (root_unit.depth + 1) * Unit.steplen
    totals, figures = _grouped(root_unit=root_unit, year=year, length=length)
    return [_fill(CoverageRow(unit=child), totals, figures, child.path) for child in children]


def coverage_total(*, root_unit: Unit, year: int) -> CoverageRow:
    """The whole subtree of `root_unit` (itself included) as one row. Two queries."""
    length = root_unit.depth * Unit.steplen
    totals, figures = _grouped(root_unit=root_unit, year=year, length=length)
    return _fill(CoverageRow(unit=root_unit), totals, figures, root_unit.path)


def activities_visible(*, user) -> QuerySet[DisseminationActivity]:
    """Activities of the units the user manages (all of them for system administrators)."""
    return DisseminationActivity.objects.scoped(unit_scope_q(user, "unit"))


def activity_totals(queryset: QuerySet[DisseminationActivity]) -> dict[str, int]:
    """Sessions, participants and distinct units of a (filtered) activity list. One query."""
    figures = queryset.order_by().aggregate(
        sessions=Count("pk"), participants=Sum("participants"), units=Count("unit", distinct=True)
    )
    return {key: value or 0 for key, value in figures.items()}
