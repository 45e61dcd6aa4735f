"""A citizen on a phone: open the public hương ước course, sign up, get enrolled, study, see progress."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from courses.demo import course_index_ensure, course_load
from tests import factories

pytestmark = pytest.mark.e2e

COURSE_JSON = (
    Path(__file__).resolve().parents[2]
    / "courses"
    / "demo_content"
    / "xay-dung-thuc-hien-huong-uoc-quy-uoc.json"
)
FIRST_LESSON = "Hương ước, quy ước là gì? Mục đích và nguyên tắc xây dựng"
SECOND_LESSON = "Phạm vi nội dung và hình thức của hương ước, quy ước"


@pytest.fixture
def open_course(wagtail_site, db):
    factories.small_tree(factories.unit_kinds())
    factories.target_groups()
    course = course_load(
        data=json.loads(COURSE_JSON.read_text("utf-8")), index=course_index_ensure()
    )
    assert course.audience == "public"
    return course


def test_citizen_signs_up_from_the_course_and_studies(
    live_server, new_page, axe_check, open_course
):
    base = live_server.url
    page = new_page()
    page.goto(f"{base}{open_course.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(open_course.title)
    axe_check(page, "public course (visitor)")

    page.get_by_role("button", name="Đăng ký học").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký tài khoản người dân")
    axe_check(page, "sign-up form")

    # A first try with mismatched passwords keeps what was typed.
    page.get_by_label("Họ và tên").fill("Lê Thị Hoa")
    page.get_by_role("textbox", name=re.compile("^Số điện thoại")).fill("0987 654 321")
    page.get_by_label(re.compile("^Nơi cư trú")).select_option(label="Xã Bắc Tân Uyên — Ấp 1")
    page.get_by_label(re.compile(r"^Mật khẩu:?$")).fill("Hoc-phap-luat-2026")
    page.get_by_label("Nhập lại mật khẩu").fill("Hoc-phap-luat-2025")
    page.get_by_label(re.compile("^Tôi đồng ý")).check()
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_text("Hai lần nhập mật khẩu không khớp nhau.")).to_be_visible()
    expect(page.get_by_label("Họ và tên")).to_have_value("Lê Thị Hoa")
    axe_check(page, "sign-up form with errors")

    page.get_by_label(re.compile(r"^Mật khẩu:?$")).fill("Hoc-phap-luat-2026")
    page.get_by_label("Nhập lại mật khẩu").fill("Hoc-phap-luat-2026")
    page.get_by_label(re.compile("^Tôi đồng ý")).check()
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    # Back on the course, already enrolled.
    expect(page.get_by_role("heading", level=1)).to_have_text(open_course.title)
    expect(page.get_by_text("Đã tạo tài khoản. Chào mừng Lê Thị Hoa!")).to_be_visible()
    expect(page.get_by_role("button", name="Đăng ký học")).to_have_count(0)
    axe_check(page, "public course (enrolled)")
    page.get_by_role("link", name="Tiếp tục học").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_LESSON)
    axe_check(page, "first lesson")
    page.get_by_role("button", name="Đánh dấu đã học").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SECOND_LESSON)

    page.get_by_role("link", name="Học tập của tôi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Học tập của tôi")
    progress = page.get_by_role("progressbar").first
    expect(progress).to_have_attribute("aria-valuenow", "16")
    expect(page.get_by_role("link", name=re.compile("Tiếp tục học"))).to_be_visible()
    axe_check(page, "citizen dashboard")

    # The page fits a 360 px phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
