"""What other apps may use from org. Keep this surface small."""

from .models import Person, PositionAssignment, StaffRole, TargetGroup, Unit, UnitKind
from .scoping import (
    can_manage_person,
    can_manage_unit,
    has_role,
    is_system_admin,
    unit_scope_q,
    visible_people,
    visible_positions,
    visible_units,
)
from .services import (
    position_assign,
    position_end,
    unit_merge,
    unit_name_on,
    unit_names_on,
    unit_rename,
)
from .signals import positions_changed

__all__ = [
    "Person",
    "PositionAssignment",
    "StaffRole",
    "TargetGroup",
    "Unit",
    "UnitKind",
    "can_manage_person",
    "can_manage_unit",
    "has_role",
    "is_system_admin",
    "position_assign",
    "position_end",
    "positions_changed",
    "unit_merge",
    "unit_name_on",
    "unit_names_on",
    "unit_rename",
    "unit_scope_q",
    "visible_people",
    "visible_positions",
    "visible_units",
]
