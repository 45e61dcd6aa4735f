"""A locked year renders from its snapshot (dashboard and every export); amendments by admins."""

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms.dissemination.models import DisseminationActivity
from lms.org.models import Unit
from lms.org.services import unit_merge
from lms.reports.models import ReportAmendment, ReportSnapshot
from lms.reports.services import (
    MSG_GROUP_REQUIRED,
    MSG_NOTHING_CHANGED,
    report_amend,
    report_lock,
)
from lms.training.models import Assignment
from tests.factories import staff_user
from tests.reports.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db
S = Assignment.Status


def url(name, unit):
    return f"{reverse(name, args=[unit.pk])}?year={YEAR}"


def _cells(content: bytes) -> dict[str, list[list]]:
    wb = load_workbook(io.BytesIO(content))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb}


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def _change_everything(tree):
    """After the lock: a merge, a person moved, more completions, a new activity."""
    moved = Assignment.objects.get(person__full_name="Đỗ Văn Đông")
    moved.unit = Unit.objects.get(pk=tree.hamlet_b1.pk)
    moved.save()
    for name in ("Bùi Văn Minh", "Ánh Văn Bảo"):
        row = Assignment.objects.get(person__full_name=name)
        row.status, row.completed_at = S.COMPLETED, timezone.now()
        row.save()
    DisseminationActivity.objects.create(
        unit=tree.commune_b, date=dt.date(YEAR, 12, 1), form="contest", topic="Thi", participants=99
    )
    unit_merge(sources=[Unit.objects.get(pk=tree.commune_b.pk)],
               successor=Unit.objects.get(pk=tree.commune_a.pk), date=dt.date(YEAR, 12, 15))  # fmt: skip


def test_locked_exports_and_dashboard_do_not_change_after_merge_moves_completions(
    client, figures, roles
):
    DisseminationActivity.objects.create(
        unit=figures.hamlet_a1, date=dt.date(YEAR, 4, 2), form="direct", topic="Họp dân",
        participants=30,
    )  # fmt: skip
    client.force_login(roles.admin)
    snapshot = report_lock(unit=figures.city, year=YEAR, user=roles.admin, today=TODAY)
    xlsx, csv_, dash = (
        client.get(url("reports:export_xlsx", figures.city)).content,
        client.get(url("reports:export_csv", figures.city)).content,
        client.get(url("reports:unit", figures.city)),
    )
    before = _cells(xlsx)
    assert list(before) == [f"Năm {YEAR}", "Phổ biến pháp luật"]
    flat = [str(v) for row in before[f"Năm {YEAR}"] for v in row if v is not None]
    assert any(snapshot.content_hash in v and "đã khóa" in v for v in flat)
    assert any("ngày " in v and f"năm {YEAR}" in v for v in flat)  # the date line: lock day
    assert dash.context["doc"].locked and "Đã khóa lúc" in dash.content.decode()

    _change_everything(figures)
    live = client.get(url("reports:unit", figures.commune_a))  # not locked: live figures moved
    assert live.context["snapshot"] is None

    assert _cells(client.get(url("reports:export_xlsx", figures.city)).content) == before
    assert client.get(url("reports:export_csv", figures.city)).content == csv_
    pdf = client.get(url("reports:export_pdf", figures.city))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    again = client.get(url("reports:unit", figures.city))
    assert again.context["report"].total == dash.context["report"].total
    assert again.context["coverage"].total == dash.context["coverage"].total
    assert again.context["coverage"].total.contest_entries == 0  # the later contest not shown
    assert [r.name for r in again.context["report"].rows] == ["Xã Bắc Tân Uyên", "Xã Thường Tân"]
    # The API serves the same locked figures.
    body = client.get(f"/api/reports/units/{figures.city.pk}/completion?year={YEAR}").json()
    assert body["locked"] and body["total"]["completed"] == 6
    cov = client.get(f"/api/reports/coverage?unit_id={figures.city.pk}&year={YEAR}").json()
    assert cov["locked"] and cov["total"]["participants"] == 30


def test_background_export_of_locked_year_uses_snapshot(
    client, figures, roles, django_capture_on_commit_callbacks
):
    client.force_login(roles.admin)
    report_lock(unit=figures.city, year=YEAR, user=roles.admin, today=TODAY)
    direct = _csv(client.get(url("reports:export_csv", figures.city)).content)
    _change_everything(figures)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("reports:export_start", figures.city), {"fmt": "csv"})
    export = client.get(response["Location"]).context["export"]
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    assert _csv(b"".join(download.streaming_content)) == direct


def test_cell_amendment_keeps_every_total_consistent(client, figures, roles, groups):
    snapshot = report_lock(unit=figures.commune_a, year=YEAR, user=roles.admin, today=TODAY)
    group = str(groups.hamlet_head.pk)
    with pytest.raises(ValidationError) as exc:
        report_amend(snapshot=snapshot, user=roles.admin, reason="Thiếu cột", row_code="BTU-A1",
                     figures={"completed": 4})  # fmt: skip
    assert str(MSG_GROUP_REQUIRED) in exc.value.messages
    with pytest.raises(ValidationError) as exc:
        report_amend(snapshot=snapshot, user=roles.admin, reason="Không đổi", row_code="BTU-A1",
                     group=group, figures={"completed": 3})  # fmt: skip
    assert str(MSG_NOTHING_CHANGED) in exc.value.messages
    with pytest.raises(ValidationError):  # 5 completed + 1 exempt > 6 required
        report_amend(snapshot=snapshot, user=roles.admin, reason="Sai", row_code="BTU-A1",
                     group=group, figures={"completed": 6})  # fmt: skip

    report_amend(snapshot=snapshot, user=roles.admin, reason="Bổ sung danh sách ký nhận",
                 row_code="BTU-A1", group=group, figures={"completed": 4, "in_progress": 0})  # fmt: skip
    data = ReportSnapshot.objects.get(pk=snapshot.pk).data
    a1 = next(r for r in data["rows"] if r["code"] == "BTU-A1")
    assert (a1["figures"]["completed"], a1["figures"]["percent"]) == (4, 80.0)
    assert data["matrix"]["cells"]["BTU-A1"][group]["completed"] == 4
    assert data["matrix"]["group_totals"][group]["completed"] == 4
    by_group = next(g for g in data["by_group"] if g["key"] == groups.hamlet_head.pk)
    assert by_group["figures"]["completed"] == 4
    assert (data["total"]["completed"], data["total"]["percent"]) == (6, 75.0)

    client.force_login(roles.manager)
    sheet = _cells(client.get(url("reports:export_xlsx", figures.commune_a)).content)
    rows = sheet[f"Năm {YEAR}"]
    header = rows[7]
    col = header.index(groups.hamlet_head.name)
    a1_row = next(r for r in rows if r[1] == "Ấp 1")
    assert a1_row[col : col + 3] == [6, 4, 80.0] and a1_row[-3:] == [6, 4, 80.0]
    total = next(r for r in rows if r[1] == "Tổng cộng")
    assert total[-3:] == [9, 6, 75.0]
    flat = [str(v) for row in rows for v in row if v is not None]
    assert "ĐIỀU CHỈNH SAU KHI KHÓA SỐ LIỆU" in flat
    assert any("Bổ sung danh sách ký nhận" in v and "Đã hoàn thành: 3 → 4" in v for v in flat)
    text = client.get(url("reports:export_csv", figures.commune_a)).content.decode("utf-8-sig")
    assert "ĐIỀU CHỈNH SAU KHI KHÓA SỐ LIỆU" in text and "Bổ sung danh sách ký nhận" in text
    pdf = client.get(url("reports:export_pdf", figures.commune_a))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    html = client.get(url("reports:unit", figures.commune_a)).content.decode()
    assert "Bổ sung danh sách ký nhận" in html and "Đã hoàn thành: 3 → 4" in html
    assert "75,0%" in html


def test_amendment_form_records_a_correction(client, figures, roles, groups):
    report_lock(unit=figures.commune_a, year=YEAR, user=roles.admin, today=TODAY)
    client.force_login(roles.admin)
    page = client.get(url("reports:amend", figures.commune_a))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'for="id_reason"' in html and "Ấp 1" in html and groups.hamlet_head.name in html
    # Bad input: the form keeps what was typed and says what is wrong, nothing is written.
    bad = client.post(url("reports:amend", figures.commune_a),
                      {"row": "BTU-A1", "group": "", "completed": "4", "reason": "Bổ sung"})  # fmt: skip
    assert bad.status_code == 200 and "id_completed" in bad.content.decode()
    assert bad.context["form"]["completed"].value() == "4"
    assert bad.context["form"].errors["group"]
    none = client.post(url("reports:amend", figures.commune_a),
                       {"row": "BTU-A1", "group": str(groups.hamlet_head.pk), "reason": "X"})  # fmt: skip
    assert "Vui lòng nhập ít nhất một số liệu mới." in none.content.decode()
    assert not ReportAmendment.objects.exists()
    ok = client.post(url("reports:amend", figures.commune_a), {
        "row": "BTU-A1", "group": str(groups.hamlet_head.pk), "completed": "4",
        "in_progress": "0", "reason": "Bổ sung danh sách ký nhận ngày 20/12",
    })  # fmt: skip
    assert ok.status_code == 302 and ok["Location"] == url("reports:unit", figures.commune_a)
    amendment = ReportAmendment.objects.get()
    assert amendment.actor == roles.admin and amendment.before["cell"]["completed"] == 3


def _login(client, roles, who, tree):
    if who == "anonymous":
        return
    if who == "admin_a":
        client.force_login(staff_user(role="admin", unit=tree.commune_a, username="qt-a"))
    elif who == "admin_b":
        client.force_login(staff_user(role="admin", unit=tree.commune_b, username="qt-b"))
    else:
        client.force_login(getattr(roles, who))


ROLES = ["anonymous", "learner", "trainer", "manager", "sibling", "admin_b", "admin_a", "admin"]
# Outcome for commune A: login / refused (Wagtail redirects home or 403) / not found / allowed.
EXPECTED = {
    "anonymous": "login", "learner": "refused", "trainer": "refused", "manager": "refused",
    "sibling": "missing", "admin_b": "missing", "admin_a": "allowed", "admin": "allowed",
}  # fmt: skip


def _outcome(response, allowed_codes):
    if response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    ):
        # Wagtail sends signed-in users without admin access to the login page too.
        return "login" if not response.wsgi_request.user.is_authenticated else "refused"
    if response.status_code == 404:
        return "missing"
    if response.status_code in allowed_codes:
        return "allowed"
    assert response.status_code in (302, 403), response.status_code
    return "refused"


@pytest.mark.parametrize("who", ROLES)
def test_lock_permissions_for_every_role(client, figures, roles, who):
    _login(client, roles, who, figures)
    response = client.post(url("reports:lock", figures.commune_a))
    locked = ReportSnapshot.objects.filter(unit=figures.commune_a, year=YEAR).exists()
    assert locked == (EXPECTED[who] == "allowed")
    expected = EXPECTED[who]
    got = _outcome(response, ())
    # A successful lock also redirects (to the dashboard): only the lock itself tells them apart.
    assert got == ("refused" if expected == "allowed" else expected)


@pytest.mark.parametrize("who", ROLES)
def test_amend_permissions_for_every_role(client, figures, roles, groups, who):
    report_lock(unit=figures.commune_a, year=YEAR, user=roles.admin, today=TODAY)
    _login(client, roles, who, figures)
    assert _outcome(client.get(url("reports:amend", figures.commune_a)), (200,)) == EXPECTED[who]
    response = client.post(url("reports:amend", figures.commune_a), {
        "row": "BTU-A1", "group": str(groups.hamlet_head.pk), "completed": "4",
        "reason": "Bổ sung",
    })  # fmt: skip
    assert ReportAmendment.objects.exists() == (EXPECTED[who] == "allowed")
    if EXPECTED[who] != "allowed":
        assert _outcome(response, ()) == EXPECTED[who]


def test_dashboard_links_lock_and_amend_only_for_admins_of_the_unit(client, figures, roles):
    client.force_login(roles.manager)
    html = client.get(url("reports:unit", figures.commune_a)).content.decode()
    assert "Khóa số liệu năm" not in html
    report_lock(unit=figures.commune_a, year=YEAR, user=roles.admin, today=TODAY)
    html = client.get(url("reports:unit", figures.commune_a)).content.decode()
    assert "Đã khóa lúc" in html and "Ghi điều chỉnh số liệu" not in html
    client.force_login(staff_user(role="admin", unit=figures.commune_a, username="qt-a"))
    html = client.get(url("reports:unit", figures.commune_a)).content.decode()
    assert "Ghi điều chỉnh số liệu" in html
    assert client.get(url("reports:amend", figures.commune_b)).status_code == 404


def test_amend_page_of_an_unlocked_year_is_not_found(client, figures, roles):
    client.force_login(roles.admin)
    assert client.get(url("reports:amend", figures.commune_a)).status_code == 404


def test_locked_dashboard_query_count_does_not_grow_with_amendments(client, figures, roles, groups):
    snapshot = report_lock(unit=figures.commune_a, year=YEAR, user=roles.admin, today=TODAY)
    client.force_login(roles.admin)
    dashboard = url("reports:unit", figures.commune_a)
    report_amend(snapshot=snapshot, user=roles.admin, reason="Một", row_code="BTU-A1",
                 group=str(groups.hamlet_head.pk), figures={"completed": 4})  # fmt: skip
    client.get(dashboard)
    with CaptureQueriesContext(connection) as one:
        assert client.get(dashboard).status_code == 200
    for i in range(5):
        report_amend(snapshot=snapshot, user=roles.admin, reason=f"Lần {i}", row_code="BTU-A1",
                     group=str(groups.hamlet_head.pk), figures={"not_started": i + 2})  # fmt: skip
    with CaptureQueriesContext(connection) as six:
        response = client.get(dashboard)
    assert len(response.context["amendments"]) == 6
    assert len(six.captured_queries) == len(one.captured_queries)
