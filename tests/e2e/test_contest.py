"""A citizen on a phone, without logging in: enters a contest round, answers, submits, answers the
prediction question and sees their entry counted for their commune. Every page is axe-clean."""

import re

import pytest
from playwright.sync_api import expect

from cms.contests.models import ContestPage, Entry
from tests import factories
from tests.contests.conftest import add_round, make_bank_category

pytestmark = pytest.mark.e2e


@pytest.fixture
def running_round(wagtail_site, db):
    tree = factories.small_tree(factories.unit_kinds())
    contest = ContestPage(title="Cuộc thi tìm hiểu Luật Thực hiện dân chủ ở cơ sở", slug="cuoc-thi")
    wagtail_site.root_page.add_child(instance=contest)
    contest.save_revision().publish()
    return add_round(contest, make_bank_category(), title="Đợt 1"), tree


def test_citizen_enters_a_round_and_is_counted_for_their_commune(
    live_server, new_page, axe_check, running_round
):
    round_page, tree = running_round
    page = new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(live_server.url + round_page.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Đợt 1")
    expect(page.get_by_text("Giờ máy chủ")).to_be_visible()
    axe_check(page, "round page")

    page.get_by_role("link", name="Vào thi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký dự thi")
    axe_check(page, "entrant form")
    page.get_by_label("Họ và tên").fill("Trần Thị Dân")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Xã, phường nơi bạn sinh sống").select_option(label="Xã Bắc Tân Uyên")
    page.get_by_label("Thôn, ấp, khu phố (không bắt buộc)").fill("Ấp 1")
    page.get_by_label("Tôi đã đọc thể lệ và đồng ý").check()
    page.get_by_role("button", name="Bắt đầu làm bài").click()

    # The engine's attempt page: four questions, a server-kept timer, answers saved as they go.
    expect(page.locator("#timer")).to_have_text(re.compile(r"\d+:\d\d"))
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(4)
    axe_check(page, "attempt")
    for i in range(4):
        question = questions.nth(i)
        question.get_by_text("Đúng", exact=True).click()
        expect(question.locator(".save-state")).to_have_attribute("data-state", "saved")
    page.get_by_role("button", name="Nộp bài").click()

    # The tie-breaker prediction, then the result.
    expect(page.get_by_role("heading", level=1)).to_have_text("Câu hỏi dự đoán")
    axe_check(page, "prediction")
    page.get_by_label(re.compile("bao nhiêu người có bài làm đúng hoàn toàn")).fill("25")
    page.get_by_role("button", name="Gửi dự đoán").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả lượt thi")
    expect(page.locator("#commune-count")).to_have_text(
        "Bài dự thi của bạn đã được tính cho Xã Bắc Tân Uyên: 1 người dự thi."
    )
    expect(page.get_by_text("4/4")).to_be_visible()
    axe_check(page, "result")
    entry = Entry.objects.get()
    assert entry.prediction == 25 and entry.commune == tree.commune_a
    assert entry.attempt.state == "submitted"
