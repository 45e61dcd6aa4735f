"""Undoing an attendance ticked or scanned by mistake: reason required, audited, status restored."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrolment
from lms.training.attendance import attendance_record, attendance_remove
from lms.training.models import Assignment, Attendance, AuditEntry, Session

pytestmark = pytest.mark.django_db


def remove_url(session, attendance):
    return reverse("training_sessions:attendance_remove", args=[session.pk, attendance.pk])


def test_trainer_unticks_a_mistaken_attendance_and_the_assignment_reopens(
    client, session, people, roles
):
    assignment = Assignment.objects.get(person=people.an)
    Assignment.objects.filter(pk=assignment.pk).update(status="in_progress")
    attendance, _ = attendance_record(
        session=session, person=people.an, method="roster", actor=roles.trainer
    )
    assignment.refresh_from_db()
    assert assignment.status == "completed"

    client.force_login(roles.trainer)
    roster = client.get(reverse("training_sessions:attendance", args=[session.pk]))
    assert remove_url(session, attendance) in roster.content.decode()

    page = client.get(remove_url(session, attendance))
    assert page.status_code == 200 and "Nguyễn Văn An" in page.content.decode()
    refused = client.post(remove_url(session, attendance), {"reason": "  "})
    assert refused.status_code == 200 and Attendance.objects.filter(pk=attendance.pk).exists()

    response = client.post(
        remove_url(session, attendance), {"reason": "Đánh dấu nhầm người"}, follow=True
    )
    assert "Đã hủy điểm danh của Nguyễn Văn An" in response.content.decode()
    assert not Attendance.objects.filter(pk=attendance.pk).exists()
    assignment.refresh_from_db()
    assert assignment.status == "in_progress"  # its status before the attendance completed it
    assert assignment.completed_at is None and assignment.completed_via == ""
    removed = AuditEntry.objects.get(action="unattended")
    assert removed.actor == roles.trainer and removed.note == "Đánh dấu nhầm người"
    assert removed.before["method"] == "roster"
    reverted = AuditEntry.objects.for_object(assignment).get(action="reverted")
    assert reverted.before["status"] == "completed" and reverted.after["status"] == "in_progress"


def test_undoing_a_qr_check_in_the_same_way(client, session, people, roles):
    client.force_login(people.an.user)
    from tests.training.test_sessions import checkin_url

    client.post(checkin_url(session))
    attendance = Attendance.objects.get(session=session, person=people.an)
    assert attendance.method == "qr"
    attendance_remove(attendance=attendance, reason="Quét hộ người khác", actor=roles.trainer)
    assert Assignment.objects.get(person=people.an).status == "not_started"
    # Scanning again afterwards records a fresh attendance and completes again.
    client.post(checkin_url(session))
    assert Assignment.objects.get(person=people.an).status == "completed"


def test_another_attendance_still_completes_it(session, people, roles, courses):
    first, _ = attendance_record(
        session=session, person=people.an, method="roster", actor=roles.trainer
    )
    other = Session.objects.create(
        course=courses.law,
        title="Lớp bổ sung",
        starts_at=session.starts_at + dt.timedelta(hours=4),
        ends_at=session.ends_at + dt.timedelta(hours=4),
        place="Nhà văn hóa ấp 1",
    )
    attendance_record(session=other, person=people.an, method="roster", actor=roles.trainer)
    changed = attendance_remove(attendance=first, reason="Nhầm lớp", actor=roles.trainer)
    assert changed == []
    assert Assignment.objects.get(person=people.an).status == "completed"


def test_an_online_completion_keeps_it_completed_online(session, people, roles, courses):
    attendance, _ = attendance_record(
        session=session, person=people.an, method="roster", actor=roles.trainer
    )
    Enrolment.objects.create(
        person=people.an, course=courses.law, status="completed", completed_at=timezone.now()
    )
    attendance_remove(attendance=attendance, reason="Nhầm người", actor=roles.trainer)
    assignment = Assignment.objects.get(person=people.an)
    assert assignment.status == "completed" and assignment.completed_via == "online"


def test_a_manual_completion_is_not_touched(session, people, roles):
    from lms.training.services import assignment_mark_completed

    assignment = Assignment.objects.get(person=people.an)
    assignment_mark_completed(assignment=assignment, actor=roles.admin, note="Có giấy chứng nhận")
    attendance, _ = attendance_record(
        session=session, person=people.an, method="roster", actor=roles.trainer
    )
    attendance_remove(attendance=attendance, reason="Nhầm", actor=roles.trainer)
    assignment.refresh_from_db()
    assert assignment.status == "completed" and assignment.completed_via == "manual"


def test_reason_is_required(session, people, roles):
    attendance, _ = attendance_record(
        session=session, person=people.an, method="roster", actor=roles.trainer
    )
    with pytest.raises(ValidationError):
        attendance_remove(attendance=attendance, reason=" ", actor=roles.trainer)
    assert Attendance.objects.filter(pk=attendance.pk).exists()


@pytest.mark.parametrize(
    "role, expected",
    [
        ("anonymous", "refused"),
        ("learner", "refused"),
        ("trainer", "ok"),
        ("manager", "refused"),
        ("sibling", "refused"),
        ("admin", "ok"),
    ],
)
def test_who_may_remove_an_attendance(client, session, people, roles, role, expected):
    attendance, _ = attendance_record(
        session=session, person=people.an, method="roster", actor=roles.trainer
    )
    if role != "anonymous":
        client.force_login(getattr(roles, role))
    response = client.get(remove_url(session, attendance))
    got = "ok" if response.status_code == 200 else "refused"
    assert response.status_code in (200, 302, 403, 404)
    assert got == expected
    posted = client.post(remove_url(session, attendance), {"reason": "Thử"})
    assert Attendance.objects.filter(pk=attendance.pk).exists() == (expected != "ok"), posted


def test_an_attendance_of_another_session_is_not_found(client, session, people, roles, courses):
    other = Session.objects.create(
        course=courses.law,
        title="Lớp khác",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        place="Xã khác",
        trainer=roles.admin,
    )
    attendance, _ = attendance_record(
        session=other, person=people.an, method="roster", actor=roles.admin
    )
    client.force_login(roles.trainer)
    assert client.get(remove_url(session, attendance)).status_code == 404
    assert client.get(remove_url(other, attendance)).status_code == 404
