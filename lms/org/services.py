"""Writes for units, people and positions. Keyword-only, typed, transactional."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lms.core.text import normalize_text

from .models import Person, PositionAssignment, StaffRole, TargetGroup, Unit, UnitEvent, UnitKind
from .signals import positions_changed

MSG_MERGE_NEEDS_SOURCES = gettext_noop("Cần chọn ít nhất một đơn vị để sáp nhập.")
MSG_MERGE_INTO_ITSELF = gettext_noop(
    "Không thể sáp nhập một đơn vị vào chính nó hoặc vào đơn vị trực thuộc nó."
)
MSG_UNIT_ENDED = gettext_noop("Đơn vị “{name}” đã hết hiệu lực.")
MSG_MERGE_DATE = gettext_noop("Ngày sáp nhập phải sau ngày hiệu lực của đơn vị “{name}”.")


def unit_create(
    *,
    code: str,
    name: str,
    kind: UnitKind,
    parent: Unit | None = None,
    place_name: str = "",
    valid_from: dt.date | None = None,
    actor=None,
) -> Unit:
    fields = {
        "code": code,
        "name": name,
        "kind": kind,
        "place_name": place_name,
        "valid_from": valid_from,
    }
    unit = parent.add_child(**fields) if parent is not None else Unit.add_root(**fields)
    UnitEvent.objects.create(
        unit=unit,
        kind=UnitEvent.Kind.CREATED,
        date=valid_from or unit.created_at.date(),
        new_name=unit.name,
        actor=actor,
    )
    return unit


@transaction.atomic
def unit_rename(*, unit: Unit, new_name: str, date: dt.date, actor=None, note: str = "") -> Unit:
    """Rename in place; the old name stays in the history for reports about earlier years."""
    new_name = normalize_text(new_name)
    if new_name == unit.name:
        return unit
    UnitEvent.objects.create(
        unit=unit,
        kind=UnitEvent.Kind.RENAMED,
        date=date,
        old_name=unit.name,
        new_name=new_name,
        actor=actor,
        note=note,
    )
    unit.name = new_name
    unit.save(update_fields=["name", "search_text", "updated_at"])
    return unit


def unit_name_on(*, unit: Unit, day: dt.date) -> str:
    """The unit's name as it was on `day` (renames recorded in UnitEvent)."""
    later_renames = unit.events.filter(kind=UnitEvent.Kind.RENAMED, date__gt=day).order_by(
        "date", "id"
    )
    first = later_renames.first()
    return first.old_name if first else unit.name


def unit_names_on(*, units: Iterable[Unit], day: dt.date) -> dict[int, str]:
    """`unit_name_on` for many units in one query: {unit id: name as it was on `day`}."""
    units = {unit.pk: unit for unit in units}
    names = {pk: unit.name for pk, unit in units.items()}
    renames = UnitEvent.objects.filter(
        unit_id__in=list(units), kind=UnitEvent.Kind.RENAMED, date__gt=day
    ).order_by("-date", "-id")
    for unit_id, old_name in renames.values_list("unit_id", "old_name"):
        names[unit_id] = old_name  # the earliest later rename is applied last
    return names


@transaction.atomic
def unit_merge(
    *, sources: Iterable[Unit], successor: Unit, date: dt.date, actor=None, note: str = ""
) -> list[PositionAssignment]:
    """Merge `sources` into `successor` on `date`.

    The source units end on `date` and point to the successor. Their current sub-units are
    re-created under the successor (same code and name) so the tree of earlier years stays as it
    was. Every position held on `date` in a source subtree ends that day and continues in the
    corresponding successor unit, so people and their completion history move across while
    reports for past years still show the old units.
    """
    sources = [Unit.objects.select_for_update().get(pk=u.pk) for u in sources]
    successor = Unit.objects.get(pk=successor.pk)
    if not sources:
        raise ValidationError(_(MSG_MERGE_NEEDS_SOURCES))
    for source in sources:
        if successor.path.startswith(source.path):
            raise ValidationError(_(MSG_MERGE_INTO_ITSELF))
        if source.valid_to is not None and source.valid_to <= date:
            raise ValidationError(_(MSG_UNIT_ENDED).format(name=source.name))
        if source.valid_from is not None and source.valid_from >= date:
            raise ValidationError(_(MSG_MERGE_DATE).format(name=source.name))

    moved: list[PositionAssignment] = []
    for source in sources:
        mapping = _rehome_children(source=source, new_parent=successor, date=date, actor=actor)
        mapping[source.pk] = successor
        moved += _transfer_positions(mapping=mapping, date=date)
        _end_unit(unit=source, successor=successor, date=date, actor=actor, note=note)
    positions_changed.send(sender=Unit, person_ids=sorted({p.person_id for p in moved}))
    return moved


def _rehome_children(*, source: Unit, new_parent: Unit, date: dt.date, actor) -> dict[int, Unit]:
    mapping: dict[int, Unit] = {}
    for child in source.get_children().active_on(date):
        # End the old child first: a code names only one current unit.
        _end_unit(unit=child, successor=None, date=date, actor=actor, note="")
        copy = unit_create(
            code=child.code,
            name=child.name,
            kind=child.kind,
            parent=Unit.objects.get(pk=new_parent.pk),  # fresh copy: treebeard caches numchild
            place_name=child.place_name,
            valid_from=date,
            actor=actor,
        )
        Unit.objects.filter(pk=child.pk).update(successor=copy)
        UnitEvent.objects.filter(unit=child, kind=UnitEvent.Kind.MERGED, date=date).update(
            successor=copy
        )
        mapping[child.pk] = copy
        mapping.update(_rehome_children(source=child, new_parent=copy, date=date, actor=actor))
    return mapping


def _end_unit(*, unit: Unit, successor: Unit | None, date: dt.date, actor, note: str) -> None:
    unit.valid_to = date
    unit.successor = successor
    unit.save(update_fields=["valid_to", "successor", "updated_at"])
    UnitEvent.objects.create(
        unit=unit,
        kind=UnitEvent.Kind.MERGED,
        date=date,
        old_name=unit.name,
        successor=successor,
        actor=actor,
        note=note,
    )


def _transfer_positions(*, mapping: dict[int, Unit], date: dt.date) -> list[PositionAssignment]:
    current = list(PositionAssignment.objects.filter(unit_id__in=mapping.keys()).active_on(date))
    created = []
    for position in current:
        end = position.end_date
        position.end_date = date
        position.note = normalize_text(f"{position.note} {_('Chuyển do sáp nhập đơn vị')}")
        position.save(update_fields=["end_date", "note", "updated_at"])
        created.append(
            PositionAssignment.objects.create(
                person_id=position.person_id,
                unit=mapping[position.unit_id],
                target_group_id=position.target_group_id,
                title=position.title,
                start_date=date,
                end_date=end,
                transferred_from=position,
            )
        )
    return created


def position_assign(
    *,
    person: Person,
    unit: Unit,
    target_group: TargetGroup,
    start_date: dt.date,
    end_date: dt.date | None = None,
    title: str = "",
) -> PositionAssignment:
    position = PositionAssignment(
        person=person,
        unit=unit,
        target_group=target_group,
        start_date=start_date,
        end_date=end_date,
        title=title,
    )
    position.full_clean()
    position.save()
    transaction.on_commit(
        lambda: positions_changed.send(sender=PositionAssignment, person_ids=[person.pk])
    )
    return position


def position_end(*, position: PositionAssignment, end_date: dt.date) -> PositionAssignment:
    position.end_date = end_date
    position.full_clean()
    position.save(update_fields=["end_date", "updated_at"])
    transaction.on_commit(
        lambda: positions_changed.send(sender=PositionAssignment, person_ids=[position.person_id])
    )
    return position


def staff_role_grant(*, user, role: str, unit: Unit | None) -> StaffRole:
    staff_role, _created = StaffRole.objects.get_or_create(user=user, role=role, unit=unit)
    from .roles import sync_user_groups

    sync_user_groups(user=user)
    return staff_role
