"""Deriving assignments from positions: create, update, move (merges) and deactivate.

The sync is idempotent, so it can run after every position change, plan activation or nightly.
A position counts for year Y when it overlaps Y and is still held on its due date; the due date
is the requirement's, or start + mid_year_days for someone appointed after 1 January.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from lms.org.api import PositionAssignment, Unit

from .audit import assignment_snapshot, audit_record
from .models import Assignment, AuditEntry, Requirement, TrainingPlan
from .signals import assignments_changed


def plan_people_ids(*, plan: TrainingPlan) -> list[int]:
    """Everyone holding a position in the plan's scope in its year, or already assigned by it."""
    holders = set(
        PositionAssignment.objects.overlapping_year(plan.year)
        .filter(unit__path__startswith=plan.scope_unit.path)
        .values_list("person_id", flat=True)
    )
    assigned = set(
        Assignment.objects.filter(requirement__plan=plan).values_list("person_id", flat=True)
    )
    return sorted(holders | assigned)


def requirement_covers_unit(*, requirement: Requirement, unit: Unit) -> bool:
    return any(unit.path.startswith(path) for path in _scope_paths(requirement))


@dataclass
class _Wanted:
    position: PositionAssignment
    due_date: dt.date
    counts: bool


@dataclass
class SyncResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    deactivated: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)


def _origin(position: PositionAssignment) -> PositionAssignment:
    """The position a chain of merge transfers started from (its start is the appointment)."""
    seen = {position.pk}
    while position.transferred_from_id and position.transferred_from_id not in seen:
        position = position.transferred_from
        seen.add(position.pk)
    return position


def _scope_paths(requirement: Requirement) -> list[str]:
    plan_path = requirement.plan.scope_unit.path
    # Units outside the plan's own scope are ignored: a plan binds only its subtree.
    paths = [u.path for u in requirement.units.all() if u.path.startswith(plan_path)]
    return paths or [plan_path]


def _wanted_assignments(
    *, positions: list[PositionAssignment], requirements: list[Requirement]
) -> dict[tuple[int, int, int], _Wanted]:
    wanted: dict[tuple[int, int, int], _Wanted] = {}
    rules = [
        (r, {g.pk for g in r.target_groups.all()}, _scope_paths(r), r.plan.year)
        for r in requirements
    ]
    for position in positions:
        start = _origin(position).start_date
        for requirement, group_ids, paths, year in rules:
            if position.target_group_id not in group_ids:
                continue
            if not any(position.unit.path.startswith(path) for path in paths):
                continue
            if position.start_date >= dt.date(year + 1, 1, 1) or (
                position.end_date is not None and position.end_date <= dt.date(year, 1, 1)
            ):
                continue
            due = requirement.due_date_for(start=start, year=year)
            # Someone who leaves before the deadline hands the obligation to their successor.
            counts = position.end_date is None or position.end_date > due
            key = (position.person_id, requirement.pk, position.unit_id)
            candidate = _Wanted(position=position, due_date=due, counts=counts)
            current = wanted.get(key)
            if current is None or (candidate.counts, position.start_date) > (
                current.counts,
                current.position.start_date,
            ):
                wanted[key] = candidate
    return wanted


@transaction.atomic
def assignments_sync_for_people(
    *, person_ids: Iterable[int], actor=None, notify: bool = True
) -> SyncResult:
    """Create, update, move and deactivate these people's assignments for active plans."""
    result = SyncResult()
    person_ids = sorted(set(person_ids))
    requirements = list(
        Requirement.objects.filter(plan__status=TrainingPlan.Status.ACTIVE)
        .select_related("plan__scope_unit")
        .prefetch_related("target_groups", "units")
    )
    if not person_ids or not requirements:
        return result
    years = {r.plan.year for r in requirements}
    positions = list(
        PositionAssignment.objects.filter(person_id__in=person_ids)
        .overlapping(dt.date(min(years), 1, 1), dt.date(max(years) + 1, 1, 1))
        .select_related("unit", "transferred_from")
        .order_by("start_date", "id")
    )
    wanted = _wanted_assignments(positions=positions, requirements=requirements)
    existing = {
        (a.person_id, a.requirement_id, a.unit_id): a
        for a in Assignment.objects.select_for_update().filter(
            person_id__in=person_ids, requirement__in=requirements
        )
    }
    requirement_by_id = {r.pk: r for r in requirements}

    _move_merged(wanted=wanted, existing=existing, result=result, actor=actor)

    for key, want in wanted.items():
        assignment = existing.get(key)
        if assignment is None:
            if want.counts:
                assignment = _create_from_position(
                    key=key, want=want, requirement=requirement_by_id[key[1]], actor=actor
                )
                existing[key] = assignment
                result.created.append(assignment.pk)
            continue
        if assignment.source == Assignment.Source.MANAGER:
            continue
        _update_from_position(assignment=assignment, want=want, result=result, actor=actor)

    for key, assignment in existing.items():
        if key in wanted or assignment.source == Assignment.Source.MANAGER:
            continue
        if assignment.active and assignment.status != Assignment.Status.COMPLETED:
            before = assignment_snapshot(assignment)
            assignment.active = False
            assignment.save(update_fields=["active", "updated_at"])
            audit_record(
                obj=assignment,
                action=AuditEntry.Action.DEACTIVATED,
                actor=actor,
                before=before,
                after=assignment_snapshot(assignment),
            )
            result.deactivated.append(assignment.pk)

    if notify and result.created:
        from .reminders import notify_assignments_created_enqueue

        notify_assignments_created_enqueue(assignment_ids=result.created)
    return result


def _move_merged(*, wanted, existing, result: SyncResult, actor) -> None:
    """A merge ends positions and re-creates them in the successor: the obligation follows."""
    for key, want in list(wanted.items()):
        if key in existing or not want.position.transferred_from_id:
            continue
        person_id, requirement_id, _unit_id = key
        previous = want.position.transferred_from
        seen: set[int] = set()
        while previous is not None and previous.pk not in seen:
            seen.add(previous.pk)
            old_key = (person_id, requirement_id, previous.unit_id)
            old = existing.get(old_key)
            if old is not None:
                before = assignment_snapshot(old)
                # post_save tells only the new unit; the old unit's counts change too.
                assignments_changed.send(sender=Assignment, unit_years=[(old.unit_id, old.year)])
                old.unit_id = want.position.unit_id
                old.position = want.position
                old.save(update_fields=["unit", "position", "updated_at"])
                audit_record(
                    obj=old,
                    action=AuditEntry.Action.MOVED,
                    actor=actor,
                    before=before,
                    after=assignment_snapshot(old),
                )
                del existing[old_key]
                existing[key] = old
                wanted.pop(old_key, None)
                result.moved.append(old.pk)
                break
            previous = previous.transferred_from


def earlier_completion(*, person_id: int, requirement: Requirement) -> Assignment | None:
    """The same course already completed this year (another unit, another requirement)."""
    return (
        Assignment.objects.filter(
            person_id=person_id,
            year=requirement.plan.year,
            requirement__course_id=requirement.course_id,
            status=Assignment.Status.COMPLETED,
        )
        .order_by("completed_at")
        .first()
    )


def _create_from_position(*, key, want: _Wanted, requirement: Requirement, actor) -> Assignment:
    person_id, _requirement_id, unit_id = key
    assignment = Assignment(
        person_id=person_id,
        requirement=requirement,
        position=want.position,
        unit_id=unit_id,
        year=requirement.plan.year,
        due_date=want.due_date,
        source=Assignment.Source.POSITION,
    )
    done = earlier_completion(person_id=person_id, requirement=requirement)
    if done is not None:
        assignment.status = Assignment.Status.COMPLETED
        assignment.completed_at = done.completed_at
        assignment.completed_via = done.completed_via
    assignment.save()
    audit_record(
        obj=assignment,
        action=AuditEntry.Action.CREATED,
        actor=actor,
        after=assignment_snapshot(assignment),
    )
    return assignment


def _update_from_position(*, assignment: Assignment, want: _Wanted, result, actor) -> None:
    before = assignment_snapshot(assignment)
    assignment.position = want.position
    assignment.due_date = want.due_date
    assignment.active = want.counts or assignment.status == Assignment.Status.COMPLETED
    after = assignment_snapshot(assignment)
    if after == before:
        return
    assignment.save(update_fields=["position", "due_date", "active", "updated_at"])
    if before["active"] and not after["active"]:
        action = AuditEntry.Action.DEACTIVATED
        result.deactivated.append(assignment.pk)
    elif after["active"] and not before["active"]:
        action = AuditEntry.Action.REACTIVATED
        result.updated.append(assignment.pk)
    else:
        action = AuditEntry.Action.UPDATED
        result.updated.append(assignment.pk)
    audit_record(obj=assignment, action=action, actor=actor, before=before, after=after)
