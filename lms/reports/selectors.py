"""Completion figures for Measure 1: trained / required per unit and year, against 100%.

Everything is computed live from `Assignment` rows with single SQL aggregates: a completion shows
on the next page load (no cache, no nightly job), and the number of queries does not depend on the
number of units or people. Roll-up groups assignments by the materialised-path prefix of the
unit at the child depth, so a commune includes its hamlets and boards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from lms.core.text import collation_key
from lms.org.api import TargetGroup, Unit
from lms.training.api import Assignment

STATUS = Assignment.Status
OPEN = [STATUS.NOT_STARTED, STATUS.IN_PROGRESS]
TARGET_PERCENT = 100
# Below this share of the target a unit is flagged as far behind (not only coloured).
WARNING_PERCENT = 70

LABEL_MET = _("Đạt chỉ tiêu")
LABEL_NEAR = _("Chưa đạt")
LABEL_FAR = _("Còn thấp")
LABEL_NONE = _("Chưa có yêu cầu")
LABEL_DIRECT = _("Trực tiếp tại đơn vị")
LABEL_NO_GROUP = _("Do quản lý giao (không theo vị trí)")


@dataclass
class Figures:
    """Counts for one unit (rolled up), target group, course or the total."""

    required: int = 0
    completed: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    exempt: int = 0

    @property
    def counting(self) -> int:
        return self.required - self.exempt

    @property
    def missing(self) -> int:
        return self.counting - self.completed

    @property
    def percent(self) -> float | None:
        """completed / (required − exempt) × 100, one decimal; None when nothing is required."""
        if self.counting <= 0:
            return None
        return round(100 * self.completed / self.counting, 1)

    @property
    def level(self) -> str:
        """“met” / “near” / “far” / “none”: drives both the colour and the text label."""
        pct = self.percent
        if pct is None:
            return "none"
        if pct >= TARGET_PERCENT:
            return "met"
        return "near" if pct >= WARNING_PERCENT else "far"

    @property
    def level_label(self) -> str:
        return str(
            {"met": LABEL_MET, "near": LABEL_NEAR, "far": LABEL_FAR, "none": LABEL_NONE}[self.level]
        )

    def add(self, other: Figures) -> None:
        for name in ("required", "completed", "in_progress", "not_started", "overdue", "exempt"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            "required": self.required,
            "completed": self.completed,
            "in_progress": self.in_progress,
            "not_started": self.not_started,
            "overdue": self.overdue,
            "exempt": self.exempt,
            "percent": self.percent,
        }


@dataclass
class UnitRow:
    unit_id: int | None
    code: str
    name: str
    is_leaf: bool
    figures: Figures
    path: str = ""
    direct: bool = False  # obligations held at the parent unit itself, not in a sub-unit


@dataclass
class GroupRow:
    key: int | None
    name: str
    figures: Figures


@dataclass
class MonthPoint:
    month: dt.date
    completed: int
    cumulative: int
    percent: float | None


@dataclass
class UnitReport:
    unit: Unit
    year: int
    today: dt.date
    rows: list[UnitRow]
    total: Figures
    by_group: list[GroupRow] = field(default_factory=list)
    by_course: list[GroupRow] = field(default_factory=list)
    trend: list[MonthPoint] = field(default_factory=list)


def _aggregates(today: dt.date) -> dict:
    return {
        "required": Count("id"),
        "completed": Count("id", filter=Q(status=STATUS.COMPLETED)),
        "in_progress": Count("id", filter=Q(status=STATUS.IN_PROGRESS)),
        "not_started": Count("id", filter=Q(status=STATUS.NOT_STARTED)),
        "overdue": Count("id", filter=Q(status__in=OPEN, due_date__lt=today)),
        "exempt": Count("id", filter=Q(status=STATUS.EXEMPT)),
    }


def _figures(row: dict) -> Figures:
    return Figures(
        required=row["required"],
        completed=row["completed"],
        in_progress=row["in_progress"],
        not_started=row["not_started"],
        overdue=row["overdue"],
        exempt=row["exempt"],
    )


def assignments_for_report(*, unit: Unit, year: int) -> QuerySet:
    """The obligations a unit's report counts: active rows of the year in the unit's subtree."""
    return Assignment.objects.for_year(year).for_unit_tree(unit).filter(active=True)


def report_units(*, unit: Unit, year: int) -> list[Unit]:
    """Direct sub-units of `unit` that existed at some time in `year` (old units stay in old years)."""
    return list(
        Unit.objects.overlapping_year(year)
        .filter(path__startswith=unit.path, depth=unit.depth + 1)
        .order_by("path")
    )


def _child_prefix(unit: Unit):
    return Substr("unit__path", 1, Unit.steplen * (unit.depth + 1))


def unit_report_rows(
    *, unit: Unit, year: int, today: dt.date | None = None
) -> tuple[list[UnitRow], Figures]:
    """One row per sub-unit (rolled up), plus obligations held at `unit` itself; and the total.

    Two queries whatever the size of the tree: the sub-units (two levels) and the aggregate.
    """
    today = today or timezone.localdate()
    grouped = (
        assignments_for_report(unit=unit, year=year)
        .annotate(prefix=_child_prefix(unit))
        .values("prefix")
        .annotate(**_aggregates(today))
        .order_by()
    )
    return _assemble_rows(
        unit=unit, year=year, by_prefix={row["prefix"]: _figures(row) for row in grouped}
    )


def _assemble_rows(
    *, unit: Unit, year: int, by_prefix: dict[str, Figures]
) -> tuple[list[UnitRow], Figures]:
    """Rows for the year's sub-units from figures keyed by path prefix (one query: the units)."""
    by_prefix = dict(by_prefix)
    # Sub-units and their own sub-units in one query: the second level only tells leaves apart.
    two_levels = list(
        Unit.objects.overlapping_year(year)
        .filter(path__startswith=unit.path, depth__in=[unit.depth + 1, unit.depth + 2])
        .order_by("path")
    )
    children = [u for u in two_levels if u.depth == unit.depth + 1]
    child_len = Unit.steplen * (unit.depth + 1)
    parents_with_children = {u.path[:child_len] for u in two_levels if u.depth == unit.depth + 2}
    rows: list[UnitRow] = []
    total = Figures()
    direct = by_prefix.pop(unit.path, None)
    if direct is not None:
        rows.append(
            UnitRow(
                unit_id=unit.pk,
                code=unit.code,
                name=f"{unit.name} — {LABEL_DIRECT}",
                is_leaf=True,
                figures=direct,
                path=unit.path,
                direct=True,
            )
        )
        total.add(direct)
    for child in children:
        figures = by_prefix.pop(child.path, Figures())
        rows.append(
            UnitRow(
                unit_id=child.pk,
                code=child.code,
                name=child.name,
                is_leaf=child.path not in parents_with_children,
                figures=figures,
                path=child.path,
            )
        )
        total.add(figures)
    # Obligations in a sub-unit outside the year's tree (data entered against an ended unit)
    # still count in the total so the total always equals the subtree's figures.
    for figures in by_prefix.values():
        total.add(figures)
    return rows, total


def unit_report_by_group(*, unit: Unit, year: int, today: dt.date | None = None) -> list[GroupRow]:
    """Figures per target group of the position an obligation came from (one query)."""
    today = today or timezone.localdate()
    grouped = (
        assignments_for_report(unit=unit, year=year)
        .values(
            "position__target_group_id",
            "position__target_group__name",
            "position__target_group__sort_order",
        )
        .annotate(**_aggregates(today))
        .order_by("position__target_group__sort_order", "position__target_group__name")
    )
    rows, no_group = [], None
    for row in grouped:
        key = row["position__target_group_id"]
        if key is None:
            no_group = GroupRow(key=None, name=str(LABEL_NO_GROUP), figures=_figures(row))
        else:
            rows.append(
                GroupRow(key=key, name=row["position__target_group__name"], figures=_figures(row))
            )
    if no_group is not None:
        rows.append(no_group)
    return rows


def unit_report_by_course(*, unit: Unit, year: int, today: dt.date | None = None) -> list[GroupRow]:
    """Figures per course (one query)."""
    today = today or timezone.localdate()
    grouped = (
        assignments_for_report(unit=unit, year=year)
        .values("requirement__course_id", "requirement__course__title")
        .annotate(**_aggregates(today))
        .order_by("requirement__course__title")
    )
    return [
        GroupRow(
            key=row["requirement__course_id"],
            name=row["requirement__course__title"],
            figures=_figures(row),
        )
        for row in grouped
    ]


def unit_report_trend(*, unit: Unit, year: int, total: Figures) -> list[MonthPoint]:
    """Completions per month of the year and the cumulative % against the year's target."""
    grouped = (
        assignments_for_report(unit=unit, year=year)
        .filter(status=STATUS.COMPLETED)
        .annotate(month=TruncMonth("completed_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_month: dict[tuple[int, int], int] = {}
    for row in grouped:
        month = row["month"]
        key = (month.year, month.month)
        per_month[key] = per_month.get(key, 0) + row["n"]
    # Completions recorded before the year (early starters) count from January.
    early = sum(n for (y, _m), n in per_month.items() if y < year)
    points: list[MonthPoint] = []
    cumulative = early
    for month in range(1, 13):
        completed = per_month.get((year, month), 0) + (early if month == 1 else 0)
        cumulative += per_month.get((year, month), 0)
        pct = round(100 * cumulative / total.counting, 1) if total.counting > 0 else None
        points.append(
            MonthPoint(
                month=dt.date(year, month, 1),
                completed=completed,
                cumulative=cumulative,
                percent=pct,
            )
        )
    return points


def unit_report(*, unit: Unit, year: int, today: dt.date | None = None) -> UnitReport:
    """The whole dashboard for one unit and year: five queries, independent of size.

    One pass over the year's rows grouped by (sub-unit prefix, target group, course) gives the
    unit rows, the target-group and the course tables; a second pass gives the monthly trend;
    the others read the sub-units, target-group names and course titles.
    """
    today = today or timezone.localdate()
    # Narrow integer keys keep PostgreSQL on a small in-memory hash aggregate; names come after.
    grouped = (
        assignments_for_report(unit=unit, year=year)
        .annotate(prefix=_child_prefix(unit))
        .values("prefix", "position__target_group_id", "requirement__course_id")
        .annotate(**_aggregates(today))
        .order_by()
    )
    by_prefix: dict[str, Figures] = {}
    group_figures: dict[int | None, Figures] = {}
    course_figures: dict[int, Figures] = {}
    for row in grouped:
        figures = _figures(row)
        by_prefix.setdefault(row["prefix"], Figures()).add(figures)
        group_figures.setdefault(row["position__target_group_id"], Figures()).add(figures)
        course_figures.setdefault(row["requirement__course_id"], Figures()).add(figures)
    groups: dict[int | None, tuple[tuple, str, Figures]] = {}
    for group in TargetGroup.objects.filter(pk__in=[k for k in group_figures if k is not None]):
        groups[group.pk] = ((0, group.sort_order, group.name), group.name, group_figures[group.pk])
    if None in group_figures:
        groups[None] = ((1, 0, ""), str(LABEL_NO_GROUP), group_figures[None])
    courses: dict[int, tuple[str, Figures]] = {
        course_id: (title, course_figures[course_id])
        for course_id, title in Page.objects.filter(pk__in=list(course_figures)).values_list(
            "pk", "title"
        )
    }
    rows, total = _assemble_rows(unit=unit, year=year, by_prefix=by_prefix)
    by_group = [
        GroupRow(key=key, name=name, figures=f)
        for key, (_order, name, f) in sorted(groups.items(), key=lambda item: item[1][0])
    ]
    by_course = [
        GroupRow(key=key, name=title, figures=f)
        for key, (title, f) in sorted(courses.items(), key=lambda item: collation_key(item[1][0]))
    ]
    return UnitReport(
        unit=unit,
        year=year,
        today=today,
        rows=rows,
        total=total,
        by_group=by_group,
        by_course=by_course,
        trend=unit_report_trend(unit=unit, year=year, total=total),
    )


@dataclass
class MatrixReport:
    """Units as rows × target groups as column groups: the official export's layout."""

    unit: Unit
    year: int
    groups: list[TargetGroup]
    rows: list[tuple[UnitRow, dict[int | None, Figures]]]
    group_totals: dict[int | None, Figures]
    total: Figures
    has_no_group: bool


def unit_report_matrix(*, unit: Unit, year: int, today: dt.date | None = None) -> MatrixReport:
    """Sub-units × target groups (four queries, independent of size)."""
    today = today or timezone.localdate()
    rows, total = unit_report_rows(unit=unit, year=year, today=today)
    grouped = (
        assignments_for_report(unit=unit, year=year)
        .annotate(prefix=_child_prefix(unit))
        .values("prefix", "position__target_group_id")
        .annotate(**_aggregates(today))
        .order_by()
    )
    cells: dict[str, dict[int | None, Figures]] = {}
    group_totals: dict[int | None, Figures] = {}
    for row in grouped:
        figures = _figures(row)
        key = row["position__target_group_id"]
        cells.setdefault(row["prefix"], {})[key] = figures
        group_totals.setdefault(key, Figures()).add(figures)
    groups = list(TargetGroup.objects.filter(pk__in=[k for k in group_totals if k is not None]))
    matrix_rows = [(row, cells.get(row.path, {})) for row in rows]
    return MatrixReport(
        unit=unit,
        year=year,
        groups=groups,
        rows=matrix_rows,
        group_totals=group_totals,
        total=total,
        has_no_group=None in group_totals,
    )


@dataclass
class MissingRow:
    person_id: int
    full_name: str
    position: str
    unit_name: str
    course: str
    due_date: dt.date
    status: str
    status_label: str
    overdue: bool


def missing_assignments(*, unit: Unit, year: int) -> QuerySet:
    """Open obligations (not completed, not exempt) in the subtree, by Vietnamese given name."""
    return (
        assignments_for_report(unit=unit, year=year)
        .filter(status__in=OPEN)
        .select_related("person", "unit", "position__target_group", "requirement__course")
        .order_by("person__sort_key", "person_id", "due_date", "id")
    )


def missing_rows(assignments, *, today: dt.date | None = None) -> list[MissingRow]:
    """Display rows for (a page of) `missing_assignments`; no further queries."""
    today = today or timezone.localdate()
    rows = []
    for a in assignments:
        overdue = a.due_date < today
        status = STATUS.OVERDUE if overdue else STATUS(a.status)
        position = ""
        if a.position_id:
            position = a.position.title or a.position.target_group.name
        rows.append(
            MissingRow(
                person_id=a.person_id,
                full_name=a.person.full_name,
                position=position,
                unit_name=a.unit.name,
                course=a.requirement.course.title,
                due_date=a.due_date,
                status=str(status.value),
                status_label=str(status.label),
                overdue=overdue,
            )
        )
    return rows


def missing_people(*, unit: Unit, year: int, today: dt.date | None = None) -> list[MissingRow]:
    """Named people still missing (not completed, not exempt) in the unit's subtree (one query)."""
    return missing_rows(missing_assignments(unit=unit, year=year), today=today)
