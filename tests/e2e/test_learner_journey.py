"""A learner on a phone: open a required course, study, mark lessons done, leave, resume, finish."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from courses.demo import course_index_ensure, course_load
from tests import factories

pytestmark = pytest.mark.e2e

COURSE_JSON = Path(__file__).resolve().parent.parent / "courses" / "fixtures" / "mini-course.json"


@pytest.fixture
def learner_and_course(wagtail_site, db):
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
    return person, course


def test_learner_studies_leaves_and_resumes(
    live_server, new_page, log_in, axe_check, learner_and_course
):
    person, course = learner_and_course
    base = live_server.url
    page = new_page()
    log_in(page, base, person.user.username, factories.DEFAULT_PASSWORD)
    expect(page.get_by_role("heading", name="Học tập của tôi")).to_be_visible()
    axe_check(page, "dashboard (empty)")

    # The catalogue shows the course meant for a hamlet head by default.
    page.goto(f"{base}/hoc-tap/khoa-hoc/")
    axe_check(page, "catalogue")
    page.get_by_role("link", name=course.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    axe_check(page, "course outline")
    page.get_by_role("button", name="Bắt đầu học").click()

    # Lesson 1: answer the knowledge check (no page reload), then mark the lesson as done.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Nguyên tắc thực hiện dân chủ ở cơ sở"
    )
    axe_check(page, "lesson")
    lesson_url = page.url
    page.get_by_label("Điều 3").check()
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.locator(".check-output")).to_contain_text("Chính xác.")
    assert page.url == lesson_url
    page.get_by_role("button", name="Đánh dấu đã học").click()

    # Lesson 2 (optional) opens next; the learner leaves here.
    expect(page.get_by_role("heading", level=1)).to_have_text("Hành vi bị nghiêm cấm")
    page.get_by_role("button", name="Đăng xuất").click()

    # Back later, in a new session: the dashboard shows progress and resumes at lesson 2.
    page = new_page()
    log_in(page, base, person.user.username, factories.DEFAULT_PASSWORD)
    expect(page.get_by_role("progressbar").first).to_have_attribute("aria-valuenow", "50")
    expect(page.get_by_text("50% hoàn thành")).to_be_visible()
    axe_check(page, "dashboard (in progress)")
    page.get_by_role("link", name=re.compile("Tiếp tục học")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hành vi bị nghiêm cấm")
    page.get_by_role("button", name="Đánh dấu đã học").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Những nội dung công khai")
    page.get_by_role("button", name="Đánh dấu đã học").click()

    # Finishing the last required lesson completes the course.
    expect(page.get_by_text("Chúc mừng! Bạn đã hoàn thành khóa học")).to_be_visible()
    expect(page.locator(".outline li.done")).to_have_count(3)
    page.goto(f"{base}/hoc-tap/")
    completed = page.locator("section[aria-labelledby=da-hoan-thanh]")
    expect(completed.get_by_role("link", name=course.title)).to_be_visible()
    expect(completed).to_contain_text("Đã hoàn thành")
    # Nothing overflows a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
