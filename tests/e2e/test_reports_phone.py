"""In a phone-sized browser: the missing-people list (position, due date) and a locked report."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD

# The hand-computed report fixtures (tests/reports/conftest.py), used here in a real browser.
from tests.reports.conftest import YEAR, courses, figures, make_assignment, requirements, roles  # noqa: F401

pytestmark = pytest.mark.e2e


def test_missing_people_list_on_a_phone(
    live_server, wagtail_site, new_page, log_in, axe_check, figures, roles  # noqa: F811
):  # fmt: skip
    page = new_page()  # 360×740
    log_in(page, live_server.url, roles.manager.username, DEFAULT_PASSWORD)
    page.goto(
        f"{live_server.url}{reverse('reports:missing', args=[figures.commune_a.pk])}?year={YEAR}"
    )
    row = page.locator("table.reports-stack tbody tr", has_text="Ánh Văn Bảo")
    expect(row).to_contain_text("Trưởng ấp")  # position
    expect(row).to_contain_text("30/06/2026")  # due date
    expect(row).to_contain_text("Quá hạn")
    # Each obligation is a card whose values carry their headings, inside the phone's width.
    label = page.evaluate(
        "getComputedStyle(document.querySelectorAll('table.reports-stack td[data-label]')[3],"
        " '::before').content"
    )
    assert "Hạn hoàn thành" in label
    assert row.bounding_box()["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    axe_check(page, "danh sách người còn thiếu trên điện thoại")


def test_locked_dashboard_with_coverage_and_amendments_is_accessible(
    live_server, wagtail_site, new_page, log_in, axe_check, figures, roles, groups  # noqa: F811
):  # fmt: skip
    from lms.dissemination.models import DisseminationActivity
    from lms.reports.services import report_amend, report_lock
    from tests.reports.conftest import TODAY

    DisseminationActivity.objects.create(unit=figures.hamlet_a1, date=TODAY, form="contest",
                                         topic="Thi tìm hiểu", participants=42)  # fmt: skip
    snapshot = report_lock(unit=figures.city, year=YEAR, user=roles.admin, today=TODAY)
    report_amend(snapshot=snapshot, user=roles.admin, reason="Bổ sung danh sách ký nhận",
                 row_code="BTU", group=str(groups.hamlet_head.pk), figures={"completed": 4})  # fmt: skip
    page = new_page()
    log_in(page, live_server.url, roles.admin.username, DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}{reverse('reports:unit', args=[figures.city.pk])}?year={YEAR}")
    expect(page.locator(".reports-locked")).to_contain_text("Đã khóa lúc")
    expect(page.locator("#coverage-heading")).to_be_visible()
    expect(page.get_by_text("42 lượt dự thi tìm hiểu pháp luật")).to_be_visible()
    expect(page.locator("#amend-heading + .reports-scroll")).to_contain_text("Đã hoàn thành: 3 → 4")
    axe_check(page, "báo cáo năm đã khóa")
    page.get_by_role("link", name="Ghi điều chỉnh số liệu").click()
    expect(page.locator("#id_reason")).to_be_visible()
    page.select_option("#id_row", "BTU")
    page.select_option("#id_group", str(groups.hamlet_head.pk))
    page.fill("#id_completed", "9")  # more than required: refused, input kept
    page.fill("#id_reason", "Sai số")
    page.get_by_role("button", name="Ghi điều chỉnh").click()
    expect(page.locator("[role=alert]").first).to_contain_text("không được vượt quá")
    expect(page.locator("#id_completed")).to_have_value("9")
    axe_check(page, "ghi điều chỉnh báo cáo đã khóa")
