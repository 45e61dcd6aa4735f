"""Reads for the learner side and the admin views. Typed, keyword-only, query-bounded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from assessments.api import Attempt
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
    quiz_id: int | None = None
    quiz_title: str = ""
    quiz_required: bool = False


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


def _session_row(session: Session, *, attended: bool) -> SessionRow:
    # The quiz is shown only to people recorded as present.
    quiz = session.quiz if attended and session.quiz_id else None
    return SessionRow(
        id=session.pk,
        title=session.title,
        course=session.course,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        place=session.place,
        attended=attended,
        quiz_id=quiz.pk if quiz else None,
        quiz_title=quiz.title if quiz else "",
        quiz_required=bool(quiz and session.quiz_required),
    )


def upcoming_sessions_for_person(*, person: Person) -> list[SessionRow]:
    sessions = sessions_inviting(
        person=person,
        sessions=Session.objects.upcoming().select_related("course", "quiz").order_by("starts_at"),
    )
    attended = set(
        Attendance.objects.filter(person=person, session__in=sessions).values_list(
            "session_id", flat=True
        )
    )
    return [_session_row(s, attended=s.pk in attended) for s in sessions]


def attended_sessions_with_quiz(*, person: Person, year: int) -> list[SessionRow]:
    """Sessions of the year the person attended that have a post-session quiz, latest first."""
    qs = (
        Session.objects.filter(attendances__person=person, quiz__isnull=False, starts_at__year=year)
        .select_related("course", "quiz")
        .order_by("-starts_at", "id")
    )
    return [_session_row(s, attended=True) for s in qs]


@dataclass(frozen=True)
class QuizResult:
    attempts: int
    grade: Decimal | None  # percent, by the quiz's grading method
    passed: bool


def _grade(percents: list[Decimal], method: str) -> Decimal | None:
    if not percents:
        return None
    if method == "average":
        return (sum(percents) / len(percents)).quantize(Decimal("0.01"))
    if method == "first":
        return percents[0]
    if method == "last":
        return percents[-1]
    return max(percents)


def session_quiz_results(*, session: Session, person_ids: list[int]) -> dict[int, QuizResult]:
    """Per attendee, graded attempts of the session's quiz and whether they passed. One query."""
    quiz = session.quiz
    if quiz is None or not person_ids:
        return {}
    percents: dict[int, list[Decimal]] = {}
    for person_id, percent in (
        Attempt.objects.graded()
        .filter(quiz=quiz, person_id__in=person_ids)
        .order_by("person_id", "number")
        .values_list("person_id", "percent")
    ):
        if percent is not None:
            percents.setdefault(person_id, []).append(percent)
    results = {}
    for person_id, values in percents.items():
        grade = _grade(values, quiz.grading_method)
        results[person_id] = QuizResult(
            attempts=len(values),
            grade=grade,
            passed=grade is not None and grade >= quiz.pass_percent,
        )
    return results


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


def notifications_page_queryset(*, user) -> QuerySet[Notification]:
    """Everything addressed to the user (as an account or as a person), newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(Q(user=user) | Q(person__user=user)).order_by(
        "-created_at", "-id"
    )


def notifications_unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(Q(user=user) | Q(person__user=user)).unread().count()


def notifications_unread_count_for_request(*, request) -> int:
    """The unread count, read once per request (the header badge and the dashboard share it)."""
    cached = getattr(request, "_training_unread_count", None)
    if cached is None:
        cached = notifications_unread_count(user=request.user)
        request._training_unread_count = cached
    return cached
