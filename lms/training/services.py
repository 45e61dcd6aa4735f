"""Writes for plans and assignments. Keyword-only, typed, transactional, audited.

Assignments are derived from positions (see `assignments_sync_for_people`): the sync is
idempotent, so it can run after every position change, plan activation or nightly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courses.models import CoursePage
from lms.org.api import Person, PositionAssignment, Unit

from .audit import assignment_snapshot, audit_record
from .models import Assignment, AuditEntry, Requirement, TrainingPlan
from .sync import (
    SyncResult,
    assignments_sync_for_people,
    earlier_completion,
    plan_people_ids,
    requirement_covers_unit,
)

MSG_PLAN_EXISTS = gettext_noop("Đơn vị này đã có kế hoạch bồi dưỡng năm {year}.")
MSG_COPY_SAME_YEAR = gettext_noop("Năm của kế hoạch mới phải khác năm {year}.")
MSG_EXEMPT_REASON_REQUIRED = gettext_noop("Cần ghi rõ lý do miễn.")
MSG_EXEMPT_COMPLETED = gettext_noop("Nhiệm vụ đã hoàn thành nên không thể miễn.")
MSG_ALREADY_ASSIGNED = gettext_noop("{person} đã có nhiệm vụ này tại {unit}.")
MSG_NO_POSITION_UNIT = gettext_noop(
    "{person} không có vị trí đang đảm nhiệm thuộc phạm vi của yêu cầu; hãy chọn đơn vị."
)
MSG_UNIT_OUT_OF_SCOPE = gettext_noop("Đơn vị {unit} không thuộc phạm vi của yêu cầu này.")
MSG_ALREADY_COMPLETED = gettext_noop("Nhiệm vụ đã được ghi nhận hoàn thành.")

OPEN_STATUSES = (Assignment.Status.NOT_STARTED, Assignment.Status.IN_PROGRESS)

# --- Plans ---------------------------------------------------------------------------------


def _same_day_in_year(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=year, day=28)


def _course_version_for_year(*, course: CoursePage, year: int) -> CoursePage:
    """The course's version for `year` (as made by “copy as next year's version”), if any.

    A refresher needs a course the learner has not completed yet: an enrolment is per course
    page, so re-using last year's page could only be completed in person or manually.
    """
    if course.year == year:
        return course
    title = course.title.replace(str(course.year), str(year))
    if title == course.title:
        title = f"{course.title} ({year})"
    parent = course.get_parent()
    version = (
        CoursePage.objects.child_of(parent).filter(year=year, title=title).order_by("pk").first()
        if parent is not None
        else None
    )
    return version or course


@transaction.atomic
def plan_copy_from_previous_year(*, plan: TrainingPlan, year: int, actor) -> TrainingPlan:
    """Start `year`'s plan (as a draft) from `plan`: its yearly requirements, dates shifted."""
    if year == plan.year:
        raise ValidationError(_(MSG_COPY_SAME_YEAR).format(year=plan.year))
    if TrainingPlan.objects.filter(scope_unit_id=plan.scope_unit_id, year=year).exists():
        raise ValidationError(_(MSG_PLAN_EXISTS).format(year=year))
    title = plan.title.replace(str(plan.year), str(year))
    if title == plan.title:
        title = f"{plan.title} ({year})"
    new_plan = TrainingPlan.objects.create(
        year=year,
        title=title,
        scope_unit_id=plan.scope_unit_id,
        status=TrainingPlan.Status.DRAFT,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    for requirement in plan.requirements.filter(recurrence_yearly=True).prefetch_related(
        "target_groups", "units"
    ):
        copy = Requirement.objects.create(
            plan=new_plan,
            sort_order=requirement.sort_order,
            course=_course_version_for_year(course=requirement.course, year=year),
            due_date=_same_day_in_year(
                requirement.due_date, requirement.due_date.year + year - plan.year
            ),
            mid_year_days=requirement.mid_year_days,
            attendance_counts=requirement.attendance_counts,
            recurrence_yearly=True,
        )
        copy.target_groups.set(requirement.target_groups.all())
        copy.units.set(requirement.units.all())
        copy.save()  # parental M2M values are written on save
    audit_record(
        obj=new_plan,
        action=AuditEntry.Action.PLAN_COPIED,
        actor=actor,
        before={"plan_id": plan.pk, "year": plan.year},
        after={"plan_id": new_plan.pk, "year": year},
    )
    return new_plan


def plan_sync_enqueue(*, plan: TrainingPlan) -> None:
    """After the plan (or its requirements) changed: bring everyone's assignments in step."""
    from .tasks import sync_plan

    plan_id = plan.pk
    transaction.on_commit(lambda: sync_plan.delay(plan_id))


def assignments_sync_enqueue(*, person_ids: Iterable[int]) -> None:
    from .tasks import sync_people

    ids = sorted(set(person_ids))
    if ids:
        transaction.on_commit(lambda: sync_people.delay(ids))


# --- One assignment at a time -------------------------------------------------------------


@transaction.atomic
def assignment_exempt(*, assignment: Assignment, reason: str, actor) -> Assignment:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_(MSG_EXEMPT_REASON_REQUIRED))
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == Assignment.Status.COMPLETED:
        raise ValidationError(_(MSG_EXEMPT_COMPLETED))
    before = assignment_snapshot(assignment)
    assignment.status = Assignment.Status.EXEMPT
    assignment.exempt_reason = reason
    assignment.exempt_by = actor
    assignment.exempt_at = timezone.now()
    assignment.save(
        update_fields=["status", "exempt_reason", "exempt_by", "exempt_at", "updated_at"]
    )
    audit_record(
        obj=assignment,
        action=AuditEntry.Action.EXEMPTED,
        actor=actor,
        before=before,
        after=assignment_snapshot(assignment),
        note=reason,
    )
    return assignment


@transaction.atomic
def assignment_add_manual(
    *, person: Person, requirement: Requirement, actor, unit: Unit | None = None
) -> Assignment:
    """A manager asks someone without a matching position to complete a requirement."""
    if unit is None:
        position = (
            PositionAssignment.objects.current()
            .filter(person=person)
            .select_related("unit")
            .order_by("start_date", "id")
        )
        unit = next(
            (
                p.unit
                for p in position
                if requirement_covers_unit(requirement=requirement, unit=p.unit)
            ),
            None,
        )
        if unit is None:
            raise ValidationError(_(MSG_NO_POSITION_UNIT).format(person=person))
    elif not requirement_covers_unit(requirement=requirement, unit=unit):
        raise ValidationError(_(MSG_UNIT_OUT_OF_SCOPE).format(unit=unit))
    if Assignment.objects.filter(person=person, requirement=requirement, unit=unit).exists():
        raise ValidationError(_(MSG_ALREADY_ASSIGNED).format(person=person, unit=unit))
    today = timezone.localdate()
    assignment = Assignment(
        person=person,
        requirement=requirement,
        unit=unit,
        year=requirement.plan.year,
        due_date=requirement.due_date_for(start=today, year=requirement.plan.year),
        source=Assignment.Source.MANAGER,
    )
    done = earlier_completion(person_id=person.pk, requirement=requirement)
    if done is not None:
        assignment.status = Assignment.Status.COMPLETED
        assignment.completed_at = done.completed_at
        assignment.completed_via = done.completed_via
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as exc:  # a concurrent add won the race
        raise ValidationError(_(MSG_ALREADY_ASSIGNED).format(person=person, unit=unit)) from exc
    audit_record(
        obj=assignment,
        action=AuditEntry.Action.CREATED,
        actor=actor,
        after=assignment_snapshot(assignment),
    )
    from .reminders import notify_assignments_created_enqueue

    notify_assignments_created_enqueue(assignment_ids=[assignment.pk])
    return assignment


def _complete(
    *, assignment: Assignment, completed_at: dt.datetime, via: str, actor, note: str = ""
) -> Assignment:
    before = assignment_snapshot(assignment)
    assignment.status = Assignment.Status.COMPLETED
    assignment.completed_at = completed_at
    assignment.completed_via = via
    assignment.save(update_fields=["status", "completed_at", "completed_via", "updated_at"])
    audit_record(
        obj=assignment,
        action=AuditEntry.Action.COMPLETED,
        actor=actor,
        before=before,
        after=assignment_snapshot(assignment),
        note=note,
    )
    return assignment


@transaction.atomic
def assignment_mark_completed(
    *,
    assignment: Assignment,
    actor,
    via: str = Assignment.Via.MANUAL,
    completed_at: dt.datetime | None = None,
    note: str = "",
) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == Assignment.Status.COMPLETED:
        raise ValidationError(_(MSG_ALREADY_COMPLETED))
    return _complete(
        assignment=assignment,
        completed_at=completed_at or timezone.now(),
        via=via,
        actor=actor,
        note=note,
    )


@transaction.atomic
def assignments_complete_for_course(
    *,
    person_id: int,
    course_id: int,
    completed_at: dt.datetime,
    via: str = Assignment.Via.ONLINE,
    actor=None,
    attendance_only: bool = False,
) -> list[Assignment]:
    """Complete the person's open assignments for this course in the completion's year.

    Idempotent: completed, exempt and inactive assignments are left alone, so a repeated
    signal or a second attendance record changes nothing. A completion in year Y never
    satisfies another year's assignment.
    """
    year = timezone.localtime(completed_at).year
    condition = Q(
        person_id=person_id,
        requirement__course_id=course_id,
        year=year,
        active=True,
        status__in=OPEN_STATUSES,
    )
    if attendance_only:
        condition &= Q(requirement__attendance_counts=True)
    done = []
    for assignment in Assignment.objects.select_for_update().filter(condition):
        done.append(
            _complete(assignment=assignment, completed_at=completed_at, via=via, actor=actor)
        )
    return done


__all__ = [
    "SyncResult",
    "assignment_add_manual",
    "assignment_exempt",
    "assignment_mark_completed",
    "assignments_complete_for_course",
    "assignments_sync_enqueue",
    "assignments_sync_for_people",
    "plan_copy_from_previous_year",
    "plan_people_ids",
    "plan_sync_enqueue",
    "requirement_covers_unit",
]
