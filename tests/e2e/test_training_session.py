"""A trainer runs an in-person session; a learner checks in by QR on a phone; the task turns green."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.demo import course_index_ensure, course_load
from lms.training.models import Assignment, Notification, Requirement, Session, TrainingPlan
from lms.training.reminders import notify_assignments_created
from lms.training.services import assignments_sync_for_people
from tests import factories

pytestmark = pytest.mark.e2e

COURSE_JSON = Path(__file__).resolve().parent.parent / "courses" / "fixtures" / "mini-course.json"


@pytest.fixture
def session_world(wagtail_site, db):
    kinds = factories.unit_kinds()
    tree = factories.small_tree(kinds)
    groups = factories.target_groups()
    person = factories.PersonFactory(full_name="Trần Thị Bình")
    factories.PositionFactory(
        person=person, unit=tree.hamlet_a1, target_group=groups.hamlet_head,
        start_date=dt.date(2025, 7, 1),
    )  # fmt: skip
    course = course_load(
        data=json.loads(COURSE_JSON.read_text("utf-8")), index=course_index_ensure()
    )
    year = timezone.localdate().year
    plan = TrainingPlan.objects.create(
        year=year,
        title=f"Kế hoạch bồi dưỡng năm {year}",
        scope_unit=tree.city,
        status=TrainingPlan.Status.ACTIVE,
    )
    requirement = Requirement.objects.create(
        plan=plan, course=course, due_date=timezone.localdate() + dt.timedelta(days=30)
    )
    requirement.target_groups.set([groups.hamlet_head])
    requirement.save()
    assignments_sync_for_people(person_ids=[person.pk], notify=False)
    notify_assignments_created(
        assignment_ids=list(Assignment.objects.filter(person=person).values_list("pk", flat=True))
    )
    trainer = factories.staff_user(role="trainer", unit=None, username="giangvien")
    now = timezone.now()
    session = Session.objects.create(
        course=course,
        title="Lớp tập huấn Luật Thực hiện dân chủ ở cơ sở",
        starts_at=now - dt.timedelta(minutes=15),
        ends_at=now + dt.timedelta(hours=2),
        place="Hội trường UBND xã Bắc Tân Uyên",
        trainer=trainer,
    )
    session.invited_units.set([tree.commune_a])
    session.save()
    return person, trainer, session


def test_trainer_runs_a_session_and_a_learner_checks_in_by_qr(
    live_server, new_page, log_in, axe_check, session_world
):
    person, trainer, session = session_world
    base = live_server.url

    # The trainer opens the roster, then the QR screen for the projector.
    desk = new_page()
    log_in(desk, base, trainer.username, factories.DEFAULT_PASSWORD)
    desk.goto(f"{base}/admin/boi-duong/lop-tap-huan/diem-danh/{session.pk}/")
    roster = desk.locator("table.listing")
    expect(roster.get_by_role("checkbox", name="Trần Thị Bình")).to_be_visible()
    axe_check(desk, "roster")
    with desk.context.expect_page() as opened:  # the QR screen opens in its own tab
        desk.get_by_role("link", name="Hiển thị mã QR điểm danh").click()
    qr = opened.value
    qr.wait_for_load_state()
    expect(qr.locator(".qr-code svg")).to_be_visible()
    axe_check(qr, "QR screen")
    checkin_url = qr.locator("details a").get_attribute("href")
    assert "/hoc-tap/diem-danh/" in checkin_url

    # The learner scans the code with a phone: login first, then straight back to the check-in.
    phone = new_page()
    phone.goto(checkin_url)
    phone.fill("input[name=username]", person.user.username)
    phone.fill("input[name=password]", factories.DEFAULT_PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_load_state()
    expect(phone.get_by_role("heading", name=session.title)).to_be_visible()
    axe_check(phone, "check-in")
    phone.get_by_role("button", name="Xác nhận có mặt").click()
    expect(phone.get_by_text("Đã điểm danh: " + session.title)).to_be_visible()
    axe_check(phone, "check-in done")

    # Scanning the same code again changes nothing and says so.
    phone.goto(checkin_url)
    expect(phone.get_by_text("đã được điểm danh lớp này")).to_be_visible()
    expect(phone.get_by_role("button", name="Xác nhận có mặt")).to_have_count(0)

    # The obligation is green on “Học tập của tôi”.
    phone.goto(f"{base}/hoc-tap/")
    badge = phone.locator("section[aria-labelledby=yeu-cau] li.card .badge.ok")
    expect(badge).to_have_text("Đã hoàn thành")
    axe_check(phone, "dashboard after check-in")
    assignment = Assignment.objects.get(person=person)
    assert assignment.status == "completed" and assignment.completed_via == "in_person"

    # The “Thông báo” link in the header counts the unread notice; opening it leads to the course.
    phone.get_by_role("link", name="Thông báo 1 chưa đọc").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thông báo")
    expect(phone.locator(".notification.unread")).to_have_count(1)
    axe_check(phone, "notifications")
    phone.locator(".notification").get_by_role("button", name="Xem").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(session.course.title)
    assert Notification.objects.unread().count() == 0

    # The trainer's roster now shows the learner present, recorded by QR.
    desk.reload()
    expect(roster.get_by_text("Quét mã QR", exact=False)).to_be_visible()
    expect(roster.get_by_role("checkbox", name="Trần Thị Bình")).to_have_count(0)
    expect(desk.get_by_role("link", name="Hủy điểm danh của Trần Thị Bình")).to_be_visible()
