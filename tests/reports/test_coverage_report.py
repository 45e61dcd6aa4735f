"""Measure 2 in the reports: share of units with dissemination activity, reach, exports, API."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import APIToken

from lms.dissemination.models import DisseminationActivity
from lms.org.models import Unit
from lms.reports.coverage import unit_coverage
from tests.reports.conftest import YEAR

pytestmark = pytest.mark.django_db
FORM = DisseminationActivity.Form


def activity(unit, *, participants, form=FORM.CONFERENCE, day=dt.date(YEAR, 3, 1)):
    return DisseminationActivity.objects.create(
        unit=unit, date=day, form=form, topic="Luật Thực hiện dân chủ ở cơ sở",
        participants=participants,
    )  # fmt: skip


@pytest.fixture
def activities(tree):
    """Commune A: a contest at the commune (120 entries) and a meeting in hamlet A1 (40);
    the board has none. Commune B: a meeting in hamlet B1 (25), the commune itself none.
    Last year's activity at commune B never counts for this year."""
    activity(tree.commune_a, participants=120, form=FORM.CONTEST, day=dt.date(YEAR, 11, 9))
    activity(tree.hamlet_a1, participants=40)
    activity(tree.hamlet_b1, participants=25, form=FORM.DIRECT)
    activity(tree.commune_b, participants=300, day=dt.date(YEAR - 1, 12, 31))
    return tree


def test_coverage_arithmetic_by_hand(activities):
    report = unit_coverage(unit=activities.city, year=YEAR)
    a, b = report.rows
    assert (a.name, a.units_total, a.units_covered, a.percent) == ("Xã Bắc Tân Uyên", 3, 2, 66.7)
    assert (a.sessions, a.participants, a.contest_entries) == (2, 160, 120)
    assert (b.units_total, b.units_covered, b.percent, b.sessions, b.participants) == (
        2, 1, 50.0, 1, 25,
    )  # fmt: skip
    assert b.contest_entries == 0
    t = report.total  # the city itself (no activity) + 5 units below it
    assert (t.units_total, t.units_covered, t.percent) == (6, 3, 50.0)
    assert (t.sessions, t.participants, t.contest_entries) == (3, 185, 120)
    assert (a.level, t.level) == ("far", "far")


def test_dashboard_shows_coverage_section_with_chart(client, activities, roles):
    client.force_login(roles.manager)
    response = client.get(f"{reverse('reports:unit', args=[activities.commune_a.pk])}?year={YEAR}")
    assert response.status_code == 200
    total = response.context["coverage"].total
    # Commune A itself (contest) and hamlet A1 covered; the board not: 2 of 3 units.
    assert (total.units_covered, total.units_total, total.contest_entries) == (2, 3, 120)
    html = response.content.decode()
    assert 'id="coverage-heading"' in html and 'aria-labelledby="coverage-title' in html
    assert "66,7%" in html and "2/3 đơn vị" in html and "120 lượt dự thi" in html
    assert "Ban Thanh tra nhân dân xã Bắc Tân Uyên: 0%" in html  # chart text for the board


def test_xlsx_second_sheet_and_pdf_have_coverage(client, activities, roles):
    client.force_login(roles.admin)
    url = f"{reverse('reports:export_xlsx', args=[activities.city.pk])}?year={YEAR}"
    wb = load_workbook(io.BytesIO(client.get(url).content))
    assert wb.sheetnames == [f"Năm {YEAR}", "Phổ biến pháp luật"]
    ws = wb["Phổ biến pháp luật"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [str(v) for row in rows for v in row if v is not None]
    assert "THÀNH PHỐ HỒ CHÍ MINH" in flat and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "THỦ TRƯỞNG ĐƠN VỊ" in flat and f"Năm {YEAR}" in flat
    assert rows[7][:5] == ["STT", "Đơn vị", "Số đơn vị", "Đơn vị có hoạt động", "Tỷ lệ (%)"]
    assert rows[8] == [1, "Xã Bắc Tân Uyên", 3, 2, 66.7, 2, 160, 120]
    assert rows[9] == [2, "Xã Thường Tân", 2, 1, 50.0, 1, 25, 0]
    assert rows[10][1:] == ["Tổng cộng", 6, 3, 50.0, 3, 185, 120]
    assert ws["A9"].border.left.style == "thin"
    pdf = client.get(f"{reverse('reports:export_pdf', args=[activities.city.pk])}?year={YEAR}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert len(pdf.content) > 2000


def _bearer(user):
    _token, raw = APIToken.create_token(user=user, name="Hệ thống báo cáo tỉnh")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_coverage_api_figures(client, activities, roles):
    body = client.get(f"/api/reports/coverage?unit_id={activities.city.pk}&year={YEAR}",
                      **_bearer(roles.admin)).json()  # fmt: skip
    assert body["locked"] is False and body["unit_name"] == "Thành phố Hồ Chí Minh"
    assert body["total"]["units_covered"] == 3 and body["total"]["percent"] == 50.0
    assert [u["code"] for u in body["units"]] == ["BTU", "TT"]
    assert body["units"][0]["contest_entries"] == 120
    # Without unit_id: the top of the caller's scope (the manager's commune).
    mine = client.get(f"/api/reports/coverage?year={YEAR}", **_bearer(roles.manager)).json()
    assert mine["unit_id"] == activities.commune_a.pk and mine["total"]["units_total"] == 3


@pytest.mark.parametrize(
    "who, unit, status",
    [
        ("anonymous", "commune_a", 401),
        ("learner", "commune_a", 403),
        ("trainer", "commune_a", 403),
        ("manager", "commune_a", 200),
        ("manager", "commune_b", 404),
        ("manager", "city", 404),
        ("sibling", "commune_a", 404),
        ("sibling", "commune_b", 200),
        ("admin", "city", 200),
    ],
)
def test_coverage_api_permissions(client, activities, roles, who, unit, status):
    headers = {} if who == "anonymous" else _bearer(getattr(roles, who))
    url = f"/api/reports/coverage?unit_id={getattr(activities, unit).pk}&year={YEAR}"
    assert client.get(url, **headers).status_code == status


def _grow(tree, kinds, start, n):
    for i in range(start, start + n):
        hamlet = Unit.objects.get(pk=tree.commune_b.pk).add_child(
            code=f"COV{i}", name=f"Ấp phổ biến {i}", kind=kinds.hamlet,
            valid_from=dt.date(2025, 7, 1),
        )  # fmt: skip
        activity(hamlet, participants=10 + i, form=FORM.CONTEST if i % 2 else FORM.DIRECT)


def test_coverage_api_query_count_is_constant(client, tree, kinds, roles):
    client.force_login(roles.admin)
    url = f"/api/reports/coverage?unit_id={tree.city.pk}&year={YEAR}"
    _grow(tree, kinds, 0, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(tree, kinds, 2, 18)
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).json()
    assert body["total"]["units_covered"] == 20
    # session, user, roles, unit, snapshot + coverage (children, unit counts, activities x2)
    assert len(large.captured_queries) == len(small.captured_queries) <= 9
