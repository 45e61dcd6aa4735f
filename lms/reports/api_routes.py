"""Report endpoints of the project API: completion figures, people missing, assignments.

Scoped exactly like the “Báo cáo” screens: a unit outside the caller's subtree is 404, callers
without a manager or administrator role get 403. Figures are computed live (a locked year is
served from its snapshot), in a constant number of queries.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from lms.org.api import StaffRole, has_role, visible_units

from . import selectors
from .documents import report_document
from .views import MSG_MANAGERS_ONLY

router = Router(tags=["Báo cáo"])


def _unit(request, unit_id: int):
    if not has_role(request.user, StaffRole.Role.MANAGER, StaffRole.Role.ADMIN):
        raise HttpError(403, str(MSG_MANAGERS_ONLY))
    unit = visible_units(user=request.user).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def _top_unit(request):
    if not has_role(request.user, StaffRole.Role.MANAGER, StaffRole.Role.ADMIN):
        raise HttpError(403, str(MSG_MANAGERS_ONLY))
    unit = visible_units(user=request.user).order_by("depth", "path").first()
    if unit is None:
        raise Http404
    return unit


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


class FiguresOut(Schema):
    required: int
    completed: int
    in_progress: int
    not_started: int
    overdue: int
    exempt: int
    percent: float | None = Field(..., description="Đã hoàn thành / (phải bồi dưỡng − miễn) × 100")


class UnitRowOut(Schema):
    unit_id: int | None
    code: str
    name: str
    is_leaf: bool
    direct: bool = Field(..., description="Nhiệm vụ tại chính đơn vị cha, không thuộc đơn vị con")
    figures: FiguresOut


class GroupRowOut(Schema):
    id: int | None
    name: str
    figures: FiguresOut


class CompletionOut(Schema):
    unit_id: int
    unit_name: str
    year: int
    locked: bool
    as_of: dt.date
    total: FiguresOut
    units: list[UnitRowOut]
    target_groups: list[GroupRowOut]
    courses: list[GroupRowOut]


def _fig(f) -> dict:
    return f.as_dict()


@router.get("/units/{unit_id}/completion", response=CompletionOut, summary="Kết quả bồi dưỡng")
def completion(request, unit_id: int, year: int | None = None):
    """Completion per sub-unit (rolled up), per target group and per course, against 100%."""
    unit = _unit(request, unit_id)
    year = _year(year)
    doc = report_document(unit=unit, year=year, dashboard=True, coverage=False)
    report = doc.report
    return {
        "unit_id": unit.pk,
        "unit_name": report.unit.name,
        "year": year,
        "locked": doc.locked,
        "as_of": report.today,
        "total": _fig(report.total),
        "units": [
            {
                "unit_id": r.unit_id,
                "code": r.code,
                "name": r.name,
                "is_leaf": r.is_leaf,
                "direct": r.direct,
                "figures": _fig(r.figures),
            }  # fmt: skip
            for r in report.rows
        ],
        "target_groups": [
            {"id": g.key, "name": g.name, "figures": _fig(g.figures)} for g in report.by_group
        ],
        "courses": [
            {"id": g.key, "name": g.name, "figures": _fig(g.figures)} for g in report.by_course
        ],
    }


class CoverageLineOut(Schema):
    unit_id: int | None
    code: str
    name: str
    units_total: int = Field(..., description="Số đơn vị tồn tại trong năm (cả đơn vị cấp dưới)")
    units_covered: int = Field(..., description="Số đơn vị đã ghi nhận hoạt động phổ biến")
    percent: float | None = Field(..., description="Đơn vị có hoạt động / số đơn vị × 100")
    sessions: int = Field(..., description="Số hoạt động, buổi phổ biến")
    participants: int = Field(..., description="Lượt người tham dự, tiếp cận")
    contest_entries: int = Field(
        ..., description="Lượt dự thi: người tham dự các hoạt động hình thức thi tìm hiểu pháp luật"
    )


class CoverageOut(Schema):
    unit_id: int
    unit_name: str
    year: int
    locked: bool
    total: CoverageLineOut | None
    units: list[CoverageLineOut]


@router.get("/coverage", response=CoverageOut, summary="Phổ biến pháp luật: đơn vị có hoạt động")
def coverage(request, unit_id: int | None = None, year: int | None = None):
    """Measure 2: share of units (per sub-unit, rolled up) that recorded dissemination activity
    in the year, with reach. Without `unit_id`, the top of the caller's scope. A locked year is
    served from its snapshot (`total` is null for snapshots locked before coverage was stored)."""
    unit = _unit(request, unit_id) if unit_id is not None else _top_unit(request)
    year = _year(year)
    doc = report_document(unit=unit, year=year)
    lines = doc.coverage.rows if doc.coverage else []
    return {
        "unit_id": unit.pk,
        "unit_name": doc.unit.name,
        "year": year,
        "locked": doc.locked,
        "total": doc.coverage.total.as_dict() if doc.coverage and doc.coverage.total else None,
        "units": [line.as_dict() for line in lines],
    }


class MissingOut(Schema):
    person_id: int
    full_name: str = Field(..., alias="person.full_name")
    position: str
    unit_name: str = Field(..., alias="unit.name")
    course: str = Field(..., alias="requirement.course.title")
    due_date: dt.date
    overdue: bool

    @staticmethod
    def resolve_position(obj) -> str:
        if obj.position_id is None:
            return ""
        return obj.position.title or obj.position.target_group.name

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.due_date < timezone.localdate()


@router.get("/units/{unit_id}/missing", response=list[MissingOut], summary="Người còn thiếu")
@paginate(PageNumberPagination, page_size=100)
def missing(request, unit_id: int, year: int | None = None):
    """Open obligations (not completed, not exempt) in the unit's subtree, by given name."""
    unit = _unit(request, unit_id)
    return selectors.missing_assignments(unit=unit, year=_year(year))


class AssignmentOut(Schema):
    id: int
    person_id: int
    full_name: str = Field(..., alias="person.full_name")
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    course: str = Field(..., alias="requirement.course.title")
    year: int
    due_date: dt.date
    status: str = Field(..., description="Trạng thái; “overdue” khi quá hạn mà chưa hoàn thành")
    completed_at: dt.datetime | None
    completed_via: str

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.effective_status


@router.get(
    "/units/{unit_id}/assignments", response=list[AssignmentOut], summary="Nhiệm vụ bồi dưỡng"
)
@paginate(PageNumberPagination, page_size=100)
def assignments(request, unit_id: int, year: int | None = None, status: str | None = None):
    """Active obligations of the year in the unit's subtree; `status` filters the effective status."""
    unit = _unit(request, unit_id)
    qs = (
        selectors.assignments_for_report(unit=unit, year=_year(year))
        .with_effective_status()
        .select_related("person", "unit", "requirement__course")
        .order_by("person__sort_key", "person_id", "due_date", "id")
    )
    if status:
        qs = qs.filter(effective_status=status)
    return qs
