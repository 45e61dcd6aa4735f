"""Building import files (.xlsx/.csv) in memory for the import tests."""

from __future__ import annotations

import csv
import io
import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile

PEOPLE_HEADERS = [
    "Họ và tên", "Số điện thoại", "Email", "Mã cán bộ", "Ngày sinh", "Giới tính", "Mã đơn vị",
    "Nhóm đối tượng", "Chức danh", "Từ ngày", "Đến ngày", "Tạo tài khoản",
]  # fmt: skip
UNIT_HEADERS = [
    "Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Địa danh", "Hiệu lực từ",
]  # fmt: skip

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_file(
    rows: list[list],
    *,
    headers: list[str],
    sheet: str = "Người học",
    extra_sheets=(),
    name="ds.xlsx",
) -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(headers)
    for row in rows:
        worksheet.append(row)
    for title in extra_sheets:
        workbook.create_sheet(title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_TYPE)


def csv_file(
    rows: list[list], *, headers: list[str], encoding="utf-8", bom=False, name="ds.csv"
) -> SimpleUploadedFile:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    data = (
        legacy_vietnamese(buffer.getvalue())
        if encoding == "cp1258"
        else buffer.getvalue().encode(encoding)
    )
    if bom:
        data = b"\xef\xbb\xbf" + data
    return SimpleUploadedFile(name, data, content_type="text/csv")


def person_row(
    name="Nguyễn Văn An",
    phone="0912000001",
    email="",
    staff_code="",
    unit="BTU",
    group="nguoi-thuc-hien",
    start="01/07/2025",
    end="",
    title="Công chức",
    birth="",
    gender="",
    account="",
) -> list:
    return [name, phone, email, staff_code, birth, gender, unit, group, title, start, end, account]


def people_rows(count: int, *, unit="BTU", group="can-bo", prefix="091") -> list[list]:
    given = ["An", "Bình", "Cường", "Dung", "Đông", "Giang", "Hà", "Hùng", "Lan", "Minh"]
    return [
        person_row(
            name=f"Nguyễn Văn {given[i % len(given)]}",
            phone=f"{prefix}{i:07d}",
            unit=unit,
            group=group,
        )
        for i in range(count)
    ]


_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def legacy_vietnamese(text: str) -> bytes:
    """Text as Windows-1258 (what old Excel "CSV" saves): tone marks as combining characters."""
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        out.append(base + "".join(c for c in decomposed if c in _TONE_MARKS))
    return "".join(out).encode("cp1258")
