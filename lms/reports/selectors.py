"""Completion figures for Measure 1: trained / required per unit and year, against 100%.

The figures are read from pre-aggregated `CompletionCount` rows (decision 0008), kept equal to
the assignments by `counts.py`: refreshed right after every commit that changes assignments and
reconciled every minute, so a completion shows within a minute without anyone running a job.
Every unit has `tree` rows covering its whole subtree, so a unit's report reads only its
children's rows (a commune includes its hamlets and boards) and the number of queries does not
depend on the number of units or people. The named people still missing are read live.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from lms.core.text import collation_key
from lms.org.api import TargetGroup, Unit
from lms.training.api import Assignment

from .models import CompletionCount

STATUS = Assignment.Status
OPEN = [STATUS.NOT_STARTED, STATUS.IN_PROGRESS]
GROUP = CompletionCount.Breakdown.GROUP
COURSE = CompletionCount.Breakdown.COURSE
MONTH = CompletionCount.Breakdown.MONTH
TARGET_PERCENT = 100
# Below this share of the target a unit is flagged as far behind (not only coloured).
WARNING_PERCENT = 70

LABEL_MET = _("Đạt chỉ tiêu")
LABEL_NEAR = _("Chưa đạt")
LABEL_FAR = _("Còn thấp")
LABEL_NONE = _("Chưa có yêu cầu")
LABEL_DIRECT = _("Trực tiếp tại đơn vị")
LABEL_NO_GROUP = _("Do quản lý giao (không theo vị trí)")


def target_level(percent: float | None) -> str:
    """A percentage against the 100% target: “met” / “near” / “far”, or “none” without a base."""
    if percent is None:
        return "none"
    if percent >= TARGET_PERCENT:
        return "met"
    return "near" if percent >= WARNING_PERCENT else "far"


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
        return target_level(self.percent)

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


def _sums(today: dt.date) -> dict:
    """Figures summed over `CompletionCount` rows; “overdue” is decided here, against today."""
    return {
        "required": Sum("n"),
        "completed": Sum("n", filter=Q(status=STATUS.COMPLETED)),
        "in_progress": Sum("n", filter=Q(status=STATUS.IN_PROGRESS)),
        "not_started": Sum("n", filter=Q(status=STATUS.NOT_STARTED)),
        "overdue": Sum("n", filter=Q(status__in=OPEN, due_date__lt=today)),
        "exempt": Sum("n", filter=Q(status=STATUS.EXEMPT)),
    }


def _figures(row: dict) -> Figures:
    return Figures(
        required=row["required"] or 0,
        completed=row["completed"] or 0,
        in_progress=row["in_progress"] or 0,
        not_started=row["not_started"] or 0,
        overdue=row["overdue"] or 0,
        exempt=row["exempt"] or 0,
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


def _counts(*, year: int) -> QuerySet:
    return CompletionCount.objects.filter(year=year).order_by()


def _sub_units(*, unit: Unit, year: int) -> tuple[list[dict], list[int]]:
    """Sub-units of the year's tree (two levels: the second only tells leaves apart), and the
    ids of all sub-units, ended ones included, whose counts still belong to the total (one query).
    """
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    fields = ("pk", "path", "depth", "code", "name", "valid_from", "valid_to")
    levels = (
        Unit.objects.filter(path__startswith=unit.path, depth__in=[unit.depth + 1, unit.depth + 2])
        .order_by("path")
        .values_list(*fields)
    )
    child_ids, in_year = [], []
    for values in levels:  # tuples, not dicts: the city has ~1,100 of them
        if values[2] == unit.depth + 1:
            child_ids.append(values[0])
        if (values[5] is None or values[5] < end) and (values[6] is None or values[6] > start):
            in_year.append(dict(zip(fields, values, strict=True)) if values[2] == unit.depth + 1
                           else {"path": values[1], "depth": values[2]})  # fmt: skip
    return in_year, child_ids


def _by_child_q(unit: Unit, child_ids: list[int]) -> Q:
    """Group rows of `unit`'s report: each child's subtree, plus what `unit` holds itself."""
    return Q(breakdown=GROUP, scope=CompletionCount.Scope.TREE, unit_id__in=child_ids) | Q(
        breakdown=GROUP, scope=CompletionCount.Scope.OWN, unit_id=unit.pk
    )


def unit_report_rows(
    *, unit: Unit, year: int, today: dt.date | None = None
) -> tuple[list[UnitRow], Figures]:
    """One row per sub-unit (rolled up), plus obligations held at `unit` itself; and the total.

    Two queries whatever the size of the tree: the sub-units (two levels) and the counts.
    """
    today = today or timezone.localdate()
    levels, child_ids = _sub_units(unit=unit, year=year)
    grouped = (
        _counts(year=year)
        .filter(_by_child_q(unit, child_ids))
        .values("unit_id")
        .annotate(**_sums(today))
    )
    return _assemble_rows(
        unit=unit, levels=levels, by_unit={row["unit_id"]: _figures(row) for row in grouped}
    )


def _assemble_rows(
    *, unit: Unit, levels: list[dict], by_unit: dict[int, Figures]
) -> tuple[list[UnitRow], Figures]:
    """Rows for the year's sub-units from figures keyed by unit id (no query)."""
    by_unit = dict(by_unit)
    children = [u for u in levels if u["depth"] == unit.depth + 1]
    child_len = Unit.steplen * (unit.depth + 1)
    parents_with_children = {u["path"][:child_len] for u in levels if u["depth"] == unit.depth + 2}
    rows: list[UnitRow] = []
    total = Figures()
    direct = by_unit.pop(unit.pk, None)
    if direct is not None and direct.required:
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
        figures = by_unit.pop(child["pk"], Figures())
        rows.append(
            UnitRow(
                unit_id=child["pk"],
                code=child["code"],
                name=child["name"],
                is_leaf=child["path"] not in parents_with_children,
                figures=figures,
                path=child["path"],
            )
        )
        total.add(figures)
    # Obligations in a sub-unit outside the year's tree (data entered against an ended unit)
    # still count in the total so the total always equals the subtree's figures.
    for figures in by_unit.values():
        total.add(figures)
    return rows, total


def _group_rows(group_figures: dict[int, Figures]) -> list[GroupRow]:
    """Target-group rows in the groups' order, “no group” (key 0) last (one query: the names)."""
    groups: dict[int | None, tuple[tuple, str, Figures]] = {}
    for group in TargetGroup.objects.filter(pk__in=[k for k in group_figures if k]):
        groups[group.pk] = ((0, group.sort_order, group.name), group.name, group_figures[group.pk])
    for key, figures in group_figures.items():
        if key not in groups:  # no group, or a group deleted since
            groups.setdefault(None, ((1, 0, ""), str(LABEL_NO_GROUP), Figures()))[2].add(figures)
    return [
        GroupRow(key=key, name=name, figures=f)
        for key, (_order, name, f) in sorted(groups.items(), key=lambda item: item[1][0])
    ]


def _course_rows(course_figures: dict[int, Figures]) -> list[GroupRow]:
    """Course rows in Vietnamese title order (one query: the titles)."""
    titles = dict(Page.objects.filter(pk__in=list(course_figures)).values_list("pk", "title"))
    return sorted(
        (
            GroupRow(key=key, name=titles[key], figures=f)
            for key, f in course_figures.items()
            if key in titles
        ),
        key=lambda row: collation_key(row.name),
    )


def unit_report_by_group(*, unit: Unit, year: int, today: dt.date | None = None) -> list[GroupRow]:
    """Figures per target group of the position an obligation came from (two queries)."""
    today = today or timezone.localdate()
    grouped = (
        _counts(year=year)
        .filter(breakdown=GROUP, scope=CompletionCount.Scope.TREE, unit_id=unit.pk)
        .values("key")
        .annotate(**_sums(today))
    )
    return _group_rows({row["key"]: _figures(row) for row in grouped})


def unit_report_by_course(*, unit: Unit, year: int, today: dt.date | None = None) -> list[GroupRow]:
    """Figures per course (two queries)."""
    today = today or timezone.localdate()
    grouped = (
        _counts(year=year)
        .filter(breakdown=COURSE, scope=CompletionCount.Scope.TREE, unit_id=unit.pk)
        .values("key")
        .annotate(**_sums(today))
    )
    return _course_rows({row["key"]: _figures(row) for row in grouped})


def _trend_points(*, year: int, per_month: dict[tuple[int, int], int], total: Figures):
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


def unit_report_trend(*, unit: Unit, year: int, total: Figures) -> list[MonthPoint]:
    """Completions per month of the year and the cumulative % against the year's target."""
    grouped = (
        _counts(year=year)
        .filter(breakdown=MONTH, scope=CompletionCount.Scope.TREE, unit_id=unit.pk)
        .values("month")
        .annotate(completed=Sum("n"))
    )
    per_month = {(row["month"].year, row["month"].month): row["completed"] for row in grouped}
    return _trend_points(year=year, per_month=per_month, total=total)


def unit_report(*, unit: Unit, year: int, today: dt.date | None = None) -> UnitReport:
    """The whole dashboard for one unit and year: four queries, independent of size.

    One query reads the pre-aggregated counts (decision 0008): the group rows of each
    sub-unit's subtree and of the unit itself (unit rows and the target-group table), and the
    unit's own course and month rows; the others read the sub-units, target-group names and
    course titles.
    """
    today = today or timezone.localdate()
    levels, child_ids = _sub_units(unit=unit, year=year)
    mine = Q(scope=CompletionCount.Scope.TREE, unit_id=unit.pk, breakdown__in=[COURSE, MONTH])
    grouped = (
        _counts(year=year)
        .filter(_by_child_q(unit, child_ids) | mine)
        .values("unit_id", "breakdown", "key", "month")
        .annotate(**_sums(today))
    )
    by_unit: dict[int, Figures] = {}
    group_figures: dict[int, Figures] = {}
    course_figures: dict[int, Figures] = {}
    per_month: dict[tuple[int, int], int] = {}
    for row in grouped:
        figures = _figures(row)
        if row["breakdown"] == GROUP:
            by_unit.setdefault(row["unit_id"], Figures()).add(figures)
            group_figures.setdefault(row["key"], Figures()).add(figures)
        elif row["breakdown"] == COURSE:
            course_figures.setdefault(row["key"], Figures()).add(figures)
        else:
            month = row["month"]
            per_month[(month.year, month.month)] = figures.completed
    rows, total = _assemble_rows(unit=unit, levels=levels, by_unit=by_unit)
    return UnitReport(
        unit=unit,
        year=year,
        today=today,
        rows=rows,
        total=total,
        by_group=_group_rows(group_figures),
        by_course=_course_rows(course_figures),
        trend=_trend_points(year=year, per_month=per_month, total=total),
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
    """Sub-units × target groups (three queries, independent of size)."""
    today = today or timezone.localdate()
    levels, child_ids = _sub_units(unit=unit, year=year)
    grouped = (
        _counts(year=year)
        .filter(_by_child_q(unit, child_ids))
        .values("unit_id", "key")
        .annotate(**_sums(today))
    )
    by_unit: dict[int, Figures] = {}
    cells: dict[int, dict[int | None, Figures]] = {}
    group_totals: dict[int | None, Figures] = {}
    for row in grouped:
        figures = _figures(row)
        key = row["key"] or None
        by_unit.setdefault(row["unit_id"], Figures()).add(figures)
        cells.setdefault(row["unit_id"], {}).setdefault(key, Figures()).add(figures)
        group_totals.setdefault(key, Figures()).add(figures)
    rows, total = _assemble_rows(unit=unit, levels=levels, by_unit=by_unit)
    groups = list(TargetGroup.objects.filter(pk__in=[k for k in group_totals if k is not None]))
    matrix_rows = [(row, cells.get(row.unit_id, {})) for row in rows]
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
