"""Notifications and email reminders. Each event has a unique key, so it is sent at most once.

Keys: "assigned:<assignment>", "due14:<assignment>:<due date>", "due3:<assignment>:<due date>",
"overdue:<assignment>:<due date>", "digest:<user>:<unit>:<ISO year-week>". A changed due date is
a new event and is reminded again; running a task twice sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.core.text import name_sort_key
from lms.org.api import StaffRole

from .models import Assignment, Notification

DUE_SOON_DAYS = 14
DUE_VERY_SOON_DAYS = 3


@dataclass(frozen=True)
class _Message:
    key: str
    kind: str
    title: str
    body: str
    link: str
    person_id: int | None
    user_id: int | None
    email: str | None


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _learner_link() -> str:
    try:
        return reverse("learner:dashboard")
    except NoReverseMatch:
        return "/"


def _course_link(course) -> str:
    """Where an assignment reminder leads: the course itself, to start or continue it."""
    url = course.get_url() if course.live else None
    return url or _learner_link()


def _deliver(messages: list[_Message]) -> int:
    """Store the notifications whose key is new and email them; return how many were new."""
    if not messages:
        return 0
    known = set(
        Notification.objects.filter(key__in=[m.key for m in messages]).values_list("key", flat=True)
    )
    sent = 0
    for message in messages:
        if message.key in known:
            continue
        known.add(message.key)
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    key=message.key,
                    kind=message.kind,
                    title=message.title,
                    body=message.body,
                    link=message.link,
                    person_id=message.person_id,
                    user_id=message.user_id,
                )
        except IntegrityError:  # another worker recorded the same event first
            continue
        sent += 1
        if message.email:
            send_mail(
                subject=message.title,
                message=f"{message.body}\n\n{_absolute(message.link)}",
                from_email=None,
                recipient_list=[message.email],
            )
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return sent


def _recipient_email(person) -> str | None:
    return person.email or (person.user.email if person.user_id and person.user.email else None)


def _assignment_message(assignment: Assignment, *, kind: str, key: str) -> _Message:
    course = assignment.requirement.course.title
    due = assignment.due_date.strftime("%d/%m/%Y")
    titles = {
        Notification.Kind.ASSIGNED: _("Nhiệm vụ bồi dưỡng mới: {course}"),
        Notification.Kind.DUE_14: _("Còn 14 ngày để hoàn thành: {course}"),
        Notification.Kind.DUE_3: _("Còn 3 ngày để hoàn thành: {course}"),
        Notification.Kind.OVERDUE: _("Đã quá hạn: {course}"),
    }
    bodies = {
        Notification.Kind.ASSIGNED: _(
            "Anh/chị cần hoàn thành khóa học “{course}” trước ngày {due} ({unit})."
        ),
        Notification.Kind.DUE_14: _(
            "Khóa học “{course}” cần hoàn thành trước ngày {due}. Anh/chị còn 14 ngày."
        ),
        Notification.Kind.DUE_3: _(
            "Khóa học “{course}” cần hoàn thành trước ngày {due}. Anh/chị chỉ còn 3 ngày."
        ),
        Notification.Kind.OVERDUE: _(
            "Khóa học “{course}” đã quá hạn hoàn thành (hạn {due}). "
            "Đề nghị anh/chị hoàn thành sớm hoặc liên hệ cán bộ quản lý."
        ),
    }
    person = assignment.person
    return _Message(
        key=key,
        kind=kind,
        title=titles[kind].format(course=course),
        body=bodies[kind].format(course=course, due=due, unit=assignment.unit.name),
        link=_course_link(assignment.requirement.course),
        person_id=person.pk,
        user_id=person.user_id,
        email=_recipient_email(person),
    )


def _with_recipients(qs):
    return qs.select_related("person__user", "requirement__course", "unit")


def notify_assignments_created(*, assignment_ids: list[int]) -> int:
    assignments = _with_recipients(
        Assignment.objects.filter(pk__in=assignment_ids).open().filter(active=True)
    )
    return _deliver(
        [
            _assignment_message(a, kind=Notification.Kind.ASSIGNED, key=f"assigned:{a.pk}")
            for a in assignments
        ]
    )


def notify_assignments_created_enqueue(*, assignment_ids: list[int]) -> None:
    from .tasks import notify_assignments_created as task

    ids = list(assignment_ids)
    transaction.on_commit(lambda: task.delay(ids))


def reminders_send_due(*, today: dt.date | None = None) -> dict[str, int]:
    """Daily: due in 14 days, due in 3 days, overdue. Safe to run any number of times a day."""
    today = today or timezone.localdate()
    open_ = _with_recipients(Assignment.objects.open())
    windows = [
        (
            Notification.Kind.DUE_14,
            open_.filter(
                due_date__gt=today + dt.timedelta(days=DUE_VERY_SOON_DAYS),
                due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
            ),
        ),
        (
            Notification.Kind.DUE_3,
            open_.filter(
                due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_VERY_SOON_DAYS)
            ),
        ),
        (Notification.Kind.OVERDUE, open_.filter(due_date__lt=today)),
    ]
    counts = {}
    for kind, qs in windows:
        counts[str(kind)] = _deliver(
            [
                _assignment_message(a, kind=kind, key=f"{kind}:{a.pk}:{a.due_date.isoformat()}")
                for a in qs
            ]
        )
    return counts


def _digest_body(*, unit, missing: list[Assignment], today: dt.date) -> str:
    lines = [
        _("Danh sách người chưa hoàn thành nhiệm vụ bồi dưỡng năm {year} thuộc {unit}:").format(
            year=today.year, unit=unit.name
        ),
        "",
    ]
    for a in sorted(missing, key=lambda a: (name_sort_key(a.person.full_name), a.pk)):
        state = _("quá hạn") if a.due_date < today else _("hạn {due}")
        lines.append(
            f"- {a.person.full_name} ({a.unit.name}): {a.requirement.course.title} — "
            + state.format(due=a.due_date.strftime("%d/%m/%Y"))
        )
    return "\n".join(lines)


def digests_send_weekly(*, today: dt.date | None = None) -> int:
    """Weekly: each unit manager gets the named people still missing in their subtree."""
    today = today or timezone.localdate()
    iso = today.isocalendar()
    roles = list(
        StaffRole.objects.filter(role=StaffRole.Role.MANAGER, unit__isnull=False).select_related(
            "user", "unit"
        )
    )
    if not roles:
        return 0
    open_ = _with_recipients(Assignment.objects.open().for_year(today.year))
    by_role: dict[int, list[Assignment]] = {
        role.pk: list(open_.for_unit_tree(role.unit)) for role in roles
    }
    messages = []
    for role in roles:
        missing = by_role[role.pk]
        if not missing:
            continue
        try:
            # The manager's assignment list, narrowed to the unit and year the digest is about.
            link = reverse("training_assignments:index") + (
                f"?unit={role.unit_id}&year={today.year}&counting=true"
            )
        except NoReverseMatch:
            link = "/admin/"
        messages.append(
            _Message(
                key=f"digest:{role.user_id}:{role.unit_id}:{iso.year}-W{iso.week:02d}",
                kind=Notification.Kind.DIGEST,
                title=_("Tổng hợp tuần: {count} người chưa hoàn thành bồi dưỡng ({unit})").format(
                    count=len({a.person_id for a in missing}), unit=role.unit.name
                ),
                body=_digest_body(unit=role.unit, missing=missing, today=today),
                link=link,
                person_id=None,
                user_id=role.user_id,
                email=role.user.email or None,
            )
        )
    return _deliver(messages)


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's notifications (all, or these ids) as read; returns how many changed."""
    from django.db.models import Q

    qs = Notification.objects.filter(Q(user=user) | Q(person__user=user)).unread()
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return Notification.objects.filter(pk__in=list(qs.values_list("pk", flat=True))).update(
        read_at=timezone.now()
    )
