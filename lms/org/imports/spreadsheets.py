"""Downloadable templates (.xlsx with instructions, .csv) and error reports. Cells go through safe_cell."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from lms.core.text import safe_cell

from . import people, units
from .report import ImportReport
from .table import GENERAL_COLUMN, Column

INSTRUCTIONS_SHEET = "Hướng dẫn"
ERRORS_SHEET = "Lỗi"

_EXAMPLES = {
    "units": [
        ["BTU-A2", "Ấp 2", "thon-ap", "BTU", "Bắc Tân Uyên", "01/07/2025"],
        ["BTU-BGS", "Ban Giám sát đầu tư của cộng đồng xã Bắc Tân Uyên", "ban", "BTU", "Bắc Tân Uyên", ""],
    ],
    "people": [
        ["Nguyễn Thị Hồng Nhung", "0912345678", "nhung.nth@example.gov.vn", "CB0001", "20/11/1985", "Nữ", "BTU", "nguoi-thuc-hien", "Công chức Tư pháp – Hộ tịch", "01/07/2025", "", "Có"],
        ["Trần Văn Phúc", "0987654321", "", "", "", "Nam", "BTU-A1", "truong-thon", "Trưởng ấp", "15/05/2026", "", "Không"],
    ],
}  # fmt: skip


def _spec(kind: str) -> tuple[list[Column], str]:
    module = units if kind == "units" else people
    return module.COLUMNS, module.SHEET_NAME


def template_filename(kind: str, extension: str) -> str:
    return f"mau-nhap-{'don-vi' if kind == 'units' else 'nguoi-hoc'}.{extension}"


def template_xlsx(kind: str) -> bytes:
    """The import template: a data sheet named as the importer expects, plus instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    columns, sheet_name = _spec(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for example in _EXAMPLES[kind]:
        sheet.append([safe_cell(value) for value in example])
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
        # Text format keeps leading zeros of phone numbers and codes typed by users.
        for row in range(2, 1001):
            sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
    guide.append([_("Cột"), _("Bắt buộc"), _("Cách nhập"), _("Ví dụ")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in columns:
        guide.append(
            [
                column.header,
                _("Có") if column.required else _("Không"),
                safe_cell(column.help),
                safe_cell(column.example),
            ]
        )
    guide.append([])
    for line in _general_rules(sheet_name):
        guide.append([line])
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 80
    guide.column_dimensions["D"].width = 28
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _general_rules(sheet_name: str) -> list[str]:
    return [
        _("Nhập dữ liệu vào trang tính “{sheet}”, giữ nguyên dòng tiêu đề.").format(
            sheet=sheet_name
        ),
        _("Ngày nhập theo dạng ngày/tháng/năm (05/03/2026) hoặc năm-tháng-ngày (2026-03-05)."),
        _("Hệ thống kiểm tra toàn bộ tệp trước khi ghi: nếu còn lỗi, không dòng nào được ghi."),
        _(
            "Nhập lại cùng một tệp không tạo bản ghi trùng: dòng đã có sẽ được giữ nguyên hoặc cập nhật."
        ),
        _("Nếu lưu dạng CSV, chọn kiểu “CSV UTF-8 (Comma delimited)” để giữ đúng tiếng Việt."),
    ]


def template_csv(kind: str) -> bytes:
    """The same template as CSV UTF-8 with BOM (Excel opens it with correct Vietnamese)."""
    columns, _sheet = _spec(kind)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in columns])
    for example in _EXAMPLES[kind]:
        writer.writerow([safe_cell(value) for value in example])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def error_report_xlsx(report: ImportReport) -> bytes:
    """Every problem of a rejected file, one per line, ready to hand back to whoever fills it."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ERRORS_SHEET
    sheet.append([_("Dòng"), _("Cột"), _("Lỗi"), _("Giá trị trong tệp")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for error in report.sorted_errors():
        sheet.append(
            [
                error.row if error.row is not None else GENERAL_COLUMN,
                safe_cell(error.column),
                safe_cell(error.message),
                safe_cell(error.value),
            ]
        )
    for letter, width in zip("ABCD", (8, 22, 90, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
