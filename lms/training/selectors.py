"""Reads for the learner side and the admin views. Typed, keyword-only, query-bounded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from lms.org.api import Person, PositionAssignment, unit_scope_q

from .models import Assignment, Attendance, Notification, Session


@dataclass(frozen=True)
class AssignmentRow:
    id: int
    course: object  # courses.CoursePage
    course_title: str
    year: int
    due_date: dt.date
    status: str  # Assignment.Status value; "overdue" when open and past due
    status_label: str
    unit_name: str
    completed_at: dt.datetime | None
    completed_via: str
    exempt_reason: str


@dataclass(frozen=True)
class SessionRow:
    id: int
    title: str
    course: object  # courses.CoursePage
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    attended: bool


def assignments_for_person(*, person: Person, year: int | None = None) -> list[AssignmentRow]:
    """The person's obligations this year (those that count, plus completed ones), due first."""
    year = year or timezone.localdate().year
    today = timezone.localdate()
    qs = (
        Assignment.objects.for_year(year)
        .filter(person=person)
        .filter(Q(active=True) | Q(status=Assignment.Status.COMPLETED))
        .with_effective_status(today)
        .select_related("requirement__course", "unit")
        .order_by("due_date", "id")
    )
    labels = dict(Assignment.Status.choices)
    return [
        AssignmentRow(
            id=a.pk,
            course=a.requirement.course,
            course_title=a.requirement.course.title,
            year=a.year,
            due_date=a.due_date,
            status=a.effective_status,
            status_label=str(labels[a.effective_status]),
            unit_name=a.unit.name,
            completed_at=a.completed_at,
            completed_via=a.completed_via,
            exempt_reason=a.exempt_reason,
        )
        for a in qs
    ]


def sessions_inviting(*, person: Person, sessions: QuerySet[Session]) -> list[Session]:
    """Sessions whose invited units (subtrees) and target groups match a current position."""
    positions = list(
        PositionAssignment.objects.current().filter(person=person).select_related("unit")
    )
    if not positions:
        return []
    invited = []
    for session in sessions.prefetch_related("invited_units", "invited_target_groups"):
        paths = [u.path for u in session.invited_units.all()]
        group_ids = {g.pk for g in session.invited_target_groups.all()}
        if any(
            any(p.unit.path.startswith(path) for path in paths)
            and (not group_ids or p.target_group_id in group_ids)
            for p in positions
        ):
            invited.append(session)
    return invited


def upcoming_sessions_for_person(*, person: Person) -> list[SessionRow]:
    sessions = sessions_inviting(
        person=person,
        sessions=Session.objects.upcoming().select_related("course").order_by("starts_at"),
    )
    attended = set(
        Attendance.objects.filter(person=person, session__in=sessions).values_list(
            "session_id", flat=True
        )
    )
    return [
        SessionRow(
            id=s.pk,
            title=s.title,
            course=s.course,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            place=s.place,
            attended=s.pk in attended,
        )
        for s in sessions
    ]


def assignments_visible_to(*, user) -> QuerySet[Assignment]:
    """Assignments in the user's unit subtree (everything for system administrators)."""
    condition = unit_scope_q(user, "unit")
    qs = Assignment.objects.all()
    return qs if condition is None else qs.filter(condition)


def notifications_for_user(*, user, limit: int = 20) -> list[Notification]:
    """The user's latest in-app notifications (reminders, new assignments, digests)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Notification.objects.filter(Q(user=user) | Q(person__user=user)).order_by(
            "-created_at", "-id"
        )[:limit]
    )


def notifications_unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(Q(user=user) | Q(person__user=user)).unread().count()
