"""Organisation endpoints of the project API. Scoped exactly like the staff screens."""

import datetime as dt

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, FilterSchema, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from .models import StaffRole, TargetGroup
from .scoping import has_role, visible_units
from .selectors import people_list, person_detail, units_for_tree

router = Router(tags=["Tổ chức"])

MSG_STAFF_ONLY = gettext_noop("Chỉ cán bộ quản lý hoặc quản trị viên được dùng API này.")


def _require_staff(request) -> None:
    if not has_role(request.user, StaffRole.Role.MANAGER, StaffRole.Role.ADMIN):
        raise HttpError(403, _(MSG_STAFF_ONLY))


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str = Field(..., alias="kind.code")
    kind_name: str = Field(..., alias="kind.name")
    parent_id: int | None
    depth: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    people_count: int

    @staticmethod
    def resolve_parent_id(obj) -> int | None:
        return getattr(obj, "parent_id_from_path", None)

    @staticmethod
    def resolve_people_count(obj) -> int:
        return obj.people_count or 0


class PositionOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    unit_code: str = Field(..., alias="unit.code")
    target_group: str = Field(..., alias="target_group.code")
    target_group_name: str = Field(..., alias="target_group.name")
    title: str
    start_date: dt.date
    end_date: dt.date | None


class PersonOut(Schema):
    id: int
    full_name: str
    phone: str | None
    email: str | None
    staff_code: str | None
    is_active: bool
    current_positions: list[PositionOut]


class PersonDetailOut(PersonOut):
    birth_date: dt.date | None
    gender: str
    positions: list[PositionOut]

    @staticmethod
    def resolve_positions(obj) -> list:
        return obj.all_positions

    @staticmethod
    def resolve_current_positions(obj) -> list:
        today = timezone.localdate()
        return [p for p in obj.all_positions if p.is_active_on(today)]


class PeopleFilter(FilterSchema):
    unit: int | None = Field(None, description="Mã số (id) đơn vị; gồm cả đơn vị trực thuộc")
    target_group: str | None = Field(None, description="Mã nhóm đối tượng")
    is_active: bool | None = None
    q: str | None = Field(
        None, description="Tìm theo tên, số điện thoại, email (không dấu cũng được)"
    )


@router.get("/units", response=list[UnitOut], summary="Cây đơn vị trong phạm vi")
def list_units(request, active: bool | None = None):
    """Units in the caller's scope in tree order (parent before child), with current head counts."""
    _require_staff(request)
    units = units_for_tree(user=request.user)
    if active is not None:
        units = units.filter(valid_to__isnull=active)
    units = list(units)
    by_path = {unit.path: unit.pk for unit in units}
    for unit in units:
        # None for the caller's top units (their parent is outside the scope or absent).
        unit.parent_id_from_path = by_path.get(unit.path[: -unit.steplen])
    return units


@router.get("/people", response=list[PersonOut], summary="Danh sách người học")
@paginate(PageNumberPagination, page_size=50)
def list_people(request, filters: Query[PeopleFilter]):
    """People in the caller's scope, sorted by given name (Vietnamese collation)."""
    _require_staff(request)
    unit = None
    if filters.unit is not None:
        unit = visible_units(user=request.user).filter(pk=filters.unit).first()
        if unit is None:
            raise Http404
    group = None
    if filters.target_group:
        group = get_object_or_404(TargetGroup, code=filters.target_group)
    return people_list(
        user=request.user,
        unit=unit,
        target_group=group,
        is_active=filters.is_active,
        query=filters.q or "",
    ).order_by("sort_key", "id")


@router.get("/people/{person_id}", response=PersonDetailOut, summary="Một người và các vị trí")
def get_person(request, person_id: int):
    _require_staff(request)
    person = person_detail(user=request.user, person_id=person_id)
    if person is None:
        raise Http404
    return person
