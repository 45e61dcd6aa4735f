import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from lms.org.models import PositionAssignment
from lms.training.models import Assignment, Notification
from lms.training.reminders import digests_send_weekly, reminders_send_due
from lms.training.services import assignment_mark_completed, assignments_sync_for_people
from lms.training.tasks import send_due_reminders, send_manager_digests
from tests.training.conftest import YEAR


@pytest.fixture
def assigned(tree, groups, people, hamlet_requirement, django_capture_on_commit_callbacks):
    for person, unit in ((people.an, tree.hamlet_a1), (people.binh, tree.hamlet_b1)):
        PositionAssignment.objects.create(
            person=person,
            unit=unit,
            target_group=groups.hamlet_head,
            start_date=dt.date(2025, 7, 1),
        )
    with django_capture_on_commit_callbacks(execute=True):
        assignments_sync_for_people(person_ids=[people.an.pk, people.binh.pk])
    return {a.person_id: a for a in Assignment.objects.all()}


def subjects() -> list[str]:
    return [m.subject for m in mail.outbox]


def test_new_assignment_is_announced_once(assigned, people, django_capture_on_commit_callbacks):
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == ["an@example.vn"])
    assert message.subject == "Nhiệm vụ bồi dưỡng mới: Luật Thực hiện dân chủ ở cơ sở"
    assert "30/06/2026" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assignments_sync_for_people(person_ids=[people.an.pk, people.binh.pk])
    assert len(mail.outbox) == 2
    notification = Notification.objects.get(key=f"assigned:{assigned[people.an.pk].pk}")
    assert notification.emailed_at is not None and notification.person == people.an


def test_due_reminders_are_sent_once_per_event(assigned, people):
    mail.outbox.clear()
    due = dt.date(YEAR, 6, 30)

    assert reminders_send_due(today=due - dt.timedelta(days=14)) == {
        "due14": 2,
        "due3": 0,
        "overdue": 0,
    }
    reminders_send_due(today=due - dt.timedelta(days=14))  # the task ran twice that day
    reminders_send_due(today=due - dt.timedelta(days=10))  # and again later in the window
    assert subjects().count("Còn 14 ngày để hoàn thành: Luật Thực hiện dân chủ ở cơ sở") == 2
    assert len(mail.outbox) == 2

    assignment_mark_completed(assignment=assigned[people.binh.pk], actor=None)
    reminders_send_due(today=due - dt.timedelta(days=3))
    reminders_send_due(today=due - dt.timedelta(days=3))
    reminders_send_due(today=due + dt.timedelta(days=1))
    reminders_send_due(today=due + dt.timedelta(days=5))
    an_mail = [m.subject for m in mail.outbox if m.to == ["an@example.vn"]]
    binh_mail = [m.subject for m in mail.outbox if m.to == ["binh@example.vn"]]
    assert an_mail == [
        "Còn 14 ngày để hoàn thành: Luật Thực hiện dân chủ ở cơ sở",
        "Còn 3 ngày để hoàn thành: Luật Thực hiện dân chủ ở cơ sở",
        "Đã quá hạn: Luật Thực hiện dân chủ ở cơ sở",
    ]
    assert len(binh_mail) == 1  # nothing after completing


def test_daily_task_twice_sends_one_email(assigned, people):
    mail.outbox.clear()
    Assignment.objects.filter(person=people.an).update(
        due_date=timezone.localdate() + dt.timedelta(days=3)
    )
    Assignment.objects.filter(person=people.binh).update(
        status=Assignment.Status.EXEMPT, exempt_reason="Miễn"
    )
    send_due_reminders.delay()
    send_due_reminders.delay()
    assert subjects() == ["Còn 3 ngày để hoàn thành: Luật Thực hiện dân chủ ở cơ sở"]


def test_weekly_digest_names_who_is_missing_in_the_managers_subtree_only(assigned, people, roles):
    roles.manager.email = "quanly.a@example.vn"
    roles.manager.save()
    roles.sibling.email = "quanly.b@example.vn"
    roles.sibling.save()
    mail.outbox.clear()
    monday = dt.date(YEAR, 6, 1)

    assert digests_send_weekly(today=monday) == 2
    assert digests_send_weekly(today=monday + dt.timedelta(days=2)) == 0  # same week
    digest_a = next(m for m in mail.outbox if m.to == ["quanly.a@example.vn"])
    assert "Nguyễn Văn An" in digest_a.body and "Trần Thị Bình" not in digest_a.body
    assert digest_a.subject.startswith("Tổng hợp tuần: 1 người chưa hoàn thành")
    digest_b = next(m for m in mail.outbox if m.to == ["quanly.b@example.vn"])
    assert "Trần Thị Bình" in digest_b.body and "Nguyễn Văn An" not in digest_b.body

    assert digests_send_weekly(today=monday + dt.timedelta(days=7)) == 2  # next week


def test_digest_task_skips_managers_with_nobody_missing(assigned, people, roles):
    for assignment in assigned.values():
        assignment_mark_completed(assignment=assignment, actor=None)
    mail.outbox.clear()
    send_manager_digests.delay()
    assert mail.outbox == []


def test_in_app_notifications_for_the_learner(assigned, people, django_assert_max_num_queries):
    from lms.training.api import (
        notifications_for_user,
        notifications_mark_read,
        notifications_unread_count,
    )

    user = people.an.user
    with django_assert_max_num_queries(1):
        [notification] = notifications_for_user(user=user)
    assert notification.kind == "assigned"
    assert notifications_unread_count(user=user) == 1
    assert notifications_mark_read(user=user) == 1
    assert notifications_unread_count(user=user) == 0
    assert notifications_for_user(user=people.binh.user)[0].person == people.binh
