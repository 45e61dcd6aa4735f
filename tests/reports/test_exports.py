"""Official exports: the xlsx cells equal the dashboard's figures; csv has a BOM; PDF renders."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lms.reports import selectors
from tests.reports.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


def url(name, unit):
    return f"{reverse(name, args=[unit.pk])}?year={YEAR}"


def _rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_xlsx_has_official_layout_and_dashboard_figures(client, figures, roles, groups):
    figures.city.place_name = "Thành phố Hồ Chí Minh"
    figures.city.save()
    client.force_login(roles.admin)
    response = client.get(url("reports:export_xlsx", figures.city))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = _rows(ws)
    flat = [str(v) for row in rows for v in row if v is not None]
    assert "THÀNH PHỐ HỒ CHÍ MINH" in flat
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert any(v.startswith("BÁO CÁO KẾT QUẢ BỒI DƯỠNG") for v in flat)
    assert f"Năm {YEAR}" in flat
    assert any(v.startswith("Thành phố Hồ Chí Minh, ngày ") and " tháng " in v for v in flat)
    assert "THỦ TRƯỞNG ĐƠN VỊ" in flat and "NGƯỜI LẬP BIỂU" in flat
    header = rows[7]
    assert header[:2] == ["STT", "Đơn vị"]
    assert groups.hamlet_head.name in header and header[-3] == "Tổng cộng"
    assert rows[8][2:5] == ["Phải bồi dưỡng", "Đã hoàn thành", "Tỷ lệ (%)"]
    report_rows, total = selectors.unit_report_rows(unit=figures.city, year=YEAR, today=TODAY)
    by_name = {row[1]: row for row in rows[9:] if row[1]}
    for unit_row in report_rows:
        cells = by_name[unit_row.name]
        assert cells[-3:] == [
            unit_row.figures.required, unit_row.figures.completed, unit_row.figures.percent,
        ]  # fmt: skip
    assert by_name["Tổng cộng"][-3:] == [total.required, total.completed, total.percent]
    hamlet_col = header.index(groups.hamlet_head.name)
    # Hamlet heads in commune A: 6 required (incl. exempt), 3 completed → 3/5 = 60%.
    assert by_name["Xã Bắc Tân Uyên"][hamlet_col : hamlet_col + 3] == [6, 3, 60.0]


def test_csv_has_bom_and_neutralised_cells(client, figures, roles):
    figures.hamlet_a1.name = "=HYPERLINK(1)"
    figures.hamlet_a1.save()
    client.force_login(roles.manager)
    response = client.get(url("reports:export_csv", figures.commune_a))
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert "Đơn vị" in text and "'=HYPERLINK(1)" in text
    assert "Tổng cộng" in text


def test_pdf_renders(client, figures, roles):
    client.force_login(roles.manager)
    response = client.get(url("reports:export_pdf", figures.commune_a))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_exports_are_scoped(client, figures, roles):
    client.force_login(roles.manager)
    for name in ("reports:export_xlsx", "reports:export_csv", "reports:export_pdf"):
        assert client.get(url(name, figures.commune_b)).status_code == 404
    client.force_login(roles.trainer)
    assert client.get(url("reports:export_xlsx", figures.commune_a)).status_code in (302, 403)


def test_background_export_for_whole_city(
    client, figures, roles, django_capture_on_commit_callbacks
):
    client.force_login(roles.admin)
    start = f"{reverse('reports:export_start', args=[figures.city.pk])}?year={YEAR}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start, {"fmt": "xlsx"})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "export_progress.js" in html and "<progress" in html
    export = detail.context["export"]
    status = client.get(reverse("reports:export_status", args=[export.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100
    download = client.get(reverse("reports:export_download", args=[export.pk]))
    assert download.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Tổng cộng" in values
    # Someone else's export is not found, even for a manager of the same city.
    client.force_login(roles.manager)
    assert client.get(reverse("reports:export_status", args=[export.pk])).status_code == 404
    assert client.get(reverse("reports:export_download", args=[export.pk])).status_code == 404
