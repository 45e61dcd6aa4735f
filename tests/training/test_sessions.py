import datetime as dt
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms.org.models import PositionAssignment
from lms.training.api import assignments_for_person, upcoming_sessions_for_person
from lms.training.attendance import (
    MSG_QR_EXPIRED,
    MSG_QR_INVALID,
    QR_MAX_AGE_SECONDS,
    checkin_token,
    session_invitees,
)
from lms.training.models import Assignment, Attendance, AttendanceEvidence, AuditEntry, Session
from tests.factories import staff_user


def checkin_url(session):
    return reverse("training_checkin:checkin", args=[checkin_token(session=session)])


def test_invitees_are_people_in_the_invited_units_and_groups(session, people):
    assert list(session_invitees(session=session)) == [people.an]


def test_qr_check_in_on_the_phone_completes_the_assignment_once(client, session, people):
    client.force_login(people.an.user)
    url = checkin_url(session)
    page = client.get(url)
    assert page.status_code == 200 and "Xác nhận có mặt" in page.content.decode()

    response = client.post(url, follow=True)
    assert "Đã điểm danh" in response.content.decode()
    attendance = Attendance.objects.get(session=session, person=people.an)
    assert attendance.method == "qr"
    assignment = Assignment.objects.get(person=people.an)
    assert assignment.status == "completed" and assignment.completed_via == "in_person"

    again = client.post(url, follow=True)
    assert "đã được điểm danh lớp này" in again.content.decode()
    assert Attendance.objects.filter(session=session).count() == 1
    assert AuditEntry.objects.filter(action="attended").count() == 1
    assert AuditEntry.objects.for_object(assignment).filter(action="completed").count() == 1
    # Opening the code again just says so, with no button.
    assert "đã được điểm danh lớp này" in client.get(url).content.decode()


def test_expired_qr_code_is_refused(client, session, people):
    client.force_login(people.an.user)
    url = checkin_url(session)
    later = timezone.now().timestamp() + QR_MAX_AGE_SECONDS + 5
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(url)
    assert response.status_code == 400
    assert MSG_QR_EXPIRED in response.content.decode()
    assert not Attendance.objects.exists()


def test_forged_qr_code_is_refused(client, session, people):
    client.force_login(people.an.user)
    token = checkin_token(session=session)
    forged = token.replace(f"{session.pk}:", f"{session.pk + 1}:", 1)
    response = client.post(reverse("training_checkin:checkin", args=[forged]))
    assert response.status_code == 400 and MSG_QR_INVALID in response.content.decode()


def test_check_in_needs_login(client, session):
    response = client.get(checkin_url(session))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_attendance_does_not_complete_where_the_plan_says_online_only(client, session, people):
    session.course.training_requirements.update(attendance_counts=False)
    client.force_login(people.an.user)
    client.post(checkin_url(session))
    assert Attendance.objects.filter(person=people.an).exists()
    assert Assignment.objects.get(person=people.an).status == "not_started"


def test_trainer_ticks_the_roster(client, session, people, roles):
    client.force_login(roles.trainer)
    url = reverse("training_sessions:attendance", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Nguyễn Văn An" in page.content.decode()
    assert "Trần Thị Bình" not in page.content.decode()  # not invited
    assert client.post(url, {"people": [people.an.pk]}).status_code == 302
    attendance = Attendance.objects.get(person=people.an)
    assert attendance.method == "roster" and attendance.recorded_by == roles.trainer
    assert Assignment.objects.get(person=people.an).status == "completed"


def test_trainer_uploads_a_signed_paper_list(client, session, people, roles):
    client.force_login(roles.trainer)
    url = reverse("training_sessions:evidence", args=[session.pk])
    wrong = SimpleUploadedFile("ds.txt", b"not a scan", content_type="text/plain")
    response = client.post(url, {"paper-file": wrong, "paper-people": [people.an.pk]})
    assert response.status_code == 200 and not AttendanceEvidence.objects.exists()

    scan = SimpleUploadedFile("ky-nhan.pdf", b"%PDF-1.4\n%scan\n", content_type="application/pdf")
    response = client.post(url, {"paper-file": scan, "paper-people": [people.an.pk]})
    assert response.status_code == 302
    evidence = AttendanceEvidence.objects.get()
    attendance = Attendance.objects.get(person=people.an)
    assert attendance.method == "paper" and attendance.evidence == evidence
    file_url = reverse("training_sessions:evidence_file", args=[session.pk, evidence.pk])
    assert client.get(file_url).status_code == 200


def test_qr_screen_shows_an_inline_svg_code(client, session, roles):
    client.force_login(roles.trainer)
    response = client.get(reverse("training_sessions:qr", args=[session.pk]))
    content = response.content.decode()
    assert response.status_code == 200 and "<svg" in content
    # The code rotates by a static script (a meta refresh fails WCAG 2.2.1), pausable.
    assert 'http-equiv="refresh"' not in content and "/hoc-tap/diem-danh/" in content
    assert 'data-qr-refresh="60"' in content and "training/qr_refresh.js" in content
    assert "<script>" not in content  # no inline script under the CSP


ROLES = ["anonymous", "learner", "trainer", "other_trainer", "manager", "admin"]
D, L, M, OK = "denied", "login", "missing", "ok"
EXPECTED = {
    "index": (L, L, OK, OK, D, OK),
    "add": (L, L, OK, OK, D, OK),
    "edit": (L, L, OK, M, D, OK),
    "attendance": (L, L, OK, M, D, OK),
    "qr": (L, L, OK, M, D, OK),
}


@pytest.mark.parametrize("view", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_session_screens(client, session, roles, view, role):
    users = {
        "learner": roles.learner,
        "trainer": roles.trainer,
        "other_trainer": staff_user(role="trainer", unit=None, username="gv-khac"),
        "manager": roles.manager,
        "admin": roles.admin,
    }
    if role != "anonymous":
        client.force_login(users[role])
    urls = {
        "index": reverse("training_sessions:index"),
        "add": reverse("training_sessions:add"),
        "edit": reverse("training_sessions:edit", args=[session.pk]),
        "attendance": reverse("training_sessions:attendance", args=[session.pk]),
        "qr": reverse("training_sessions:qr", args=[session.pk]),
    }
    response = client.get(urls[view])
    if response.status_code == 200:
        got = OK
    elif response.status_code == 302 and "next=" in response["Location"]:
        got = L
    elif response.status_code in (302, 403):
        got = D
    else:
        got = M if response.status_code == 404 else str(response.status_code)
    assert got == EXPECTED[view][ROLES.index(role)]


def test_learner_api_shapes_and_query_counts(session, people, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        rows = assignments_for_person(person=people.an, year=timezone.localdate().year)
    [row] = rows
    assert row.course_title == "Luật Thực hiện dân chủ ở cơ sở"
    assert row.status == "not_started" and row.status_label == "Chưa học"
    with django_assert_max_num_queries(5):
        upcoming = upcoming_sessions_for_person(person=people.an)
    assert [(s.id, s.attended) for s in upcoming] == [(session.pk, False)]
    assert upcoming_sessions_for_person(person=people.binh) == []  # not invited


def test_qr_check_in_is_refused_long_before_or_after_the_session(client, session, people):
    from lms.training.attendance import MSG_CLOSED

    client.force_login(people.an.user)
    url = checkin_url(session)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() + dt.timedelta(days=2),
        ends_at=timezone.now() + dt.timedelta(days=2, hours=3),
    )
    response = client.post(url)
    assert response.status_code == 400 and "Lớp chưa mở điểm danh" in response.content.decode()
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=6),
        ends_at=timezone.now() - dt.timedelta(hours=3),
    )
    response = client.post(url)
    assert response.status_code == 400 and MSG_CLOSED in response.content.decode()
    assert not Attendance.objects.exists()


def test_demo_training_data_loads_twice_without_duplicates(tree, groups, courses, people):
    from lms.training.demo import demo_training_load

    courses.convention.target_groups.set([groups.hamlet_head])
    courses.convention.save_revision().publish()
    PositionAssignment.objects.create(
        person=people.an, unit=tree.hamlet_a1, target_group=groups.hamlet_head,
        start_date=dt.date(2025, 7, 1),
    )  # fmt: skip
    year = courses.convention.year
    demo_training_load(year=year)
    demo_training_load(year=year)
    assert Assignment.objects.filter(person=people.an).count() == 1
    assert Session.objects.count() == 2
    # The demo learner finds the new assignment under “Thông báo”, once.
    from lms.training.models import Notification

    assert Notification.objects.filter(person=people.an, kind="assigned").count() == 1
    assert [s.title for s in upcoming_sessions_for_person(person=people.an)][0].startswith(
        "Lớp tập huấn"
    )


def test_session_screens_query_counts_do_not_grow_with_people(client, session, roles, tree, groups):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PersonFactory

    client.force_login(roles.trainer)
    roster = reverse("training_sessions:attendance", args=[session.pk])
    listing = reverse("training_sessions:index")
    client.get(roster)
    client.get(listing)
    with CaptureQueriesContext(connection) as few_roster:
        client.get(roster)
    with CaptureQueriesContext(connection) as few_listing:
        client.get(listing)
    for i in range(10):
        PositionAssignment.objects.create(
            person=PersonFactory(full_name=f"Trưởng ấp {i}"), unit=tree.hamlet_a1,
            target_group=groups.hamlet_head, start_date=dt.date(2025, 7, 1),
        )  # fmt: skip
        Session.objects.create(
            course=session.course, title=f"Lớp {i}", starts_at=session.starts_at,
            ends_at=session.ends_at, place="Hội trường", trainer=roles.trainer,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many_roster:
        assert client.get(roster).status_code == 200
    with CaptureQueriesContext(connection) as many_listing:
        assert client.get(listing).status_code == 200
    assert len(many_roster) == len(few_roster)
    assert len(many_listing) == len(few_listing)
