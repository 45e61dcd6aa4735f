"""Official exports of the completion report: .xlsx (title block, signer block), .csv, PDF.

Every text cell goes through `safe_cell`; the figures come from `unit_report_matrix`, the same
selector as the dashboard, so the file always shows the dashboard's numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from certificates.api import FONT_DIR
from lms.core.text import safe_cell

from .selectors import LABEL_NO_GROUP, Figures, MatrixReport

REPORT_TITLE = "BÁO CÁO KẾT QUẢ BỒI DƯỠNG PHÁP LUẬT VỀ DÂN CHỦ Ở CƠ SỞ"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SUB_HEADINGS = ("Phải bồi dưỡng", "Đã hoàn thành", "Tỷ lệ (%)")
# Liberation Serif 2 shipped with the certificates app (never Liberation 1: it lacks ơ, ư and
# most stacked tone marks), so PDF exports do not depend on the machine's fonts.
FONT_DIRS = (Path(FONT_DIR),)


def date_line(*, place: str, day: dt.date) -> str:
    """“Hà Nội, ngày 05 tháng 01 năm 2027” (day and month padded, as in official documents)."""
    return f"{place or '……'}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _pct(figures: Figures) -> float | str:
    return "" if figures.percent is None else figures.percent


def _columns(report: MatrixReport) -> list[tuple[str, int | None | str]]:
    cols: list[tuple[str, int | None | str]] = [(g.name, g.pk) for g in report.groups]
    if report.has_no_group:
        cols.append((str(LABEL_NO_GROUP), None))
    cols.append(("Tổng cộng", "total"))
    return cols


def _cells(report: MatrixReport, cells: dict, total: Figures, key) -> Figures:
    if key == "total":
        return total
    return cells.get(key, Figures())


def matrix_table(report: MatrixReport) -> tuple[list[str], list[list]]:
    """Flat header + rows (STT, unit, then required/completed/% per column group), totals last."""
    cols = _columns(report)
    header = ["STT", "Đơn vị"]
    for name, _key in cols:
        header += [f"{name} - {sub}" for sub in SUB_HEADINGS]
    body = []
    for i, (row, cells) in enumerate(report.rows, start=1):
        line: list = [i, row.name]
        for _name, key in cols:
            f = _cells(report, cells, row.figures, key)
            line += [f.required, f.completed, _pct(f)]
        body.append(line)
    totals: list = ["", "Tổng cộng"]
    for _name, key in cols:
        f = report.total if key == "total" else report.group_totals.get(key, Figures())
        totals += [f.required, f.completed, _pct(f)]
    body.append(totals)
    return header, body


def export_csv(report: MatrixReport) -> bytes:
    """UTF-8 with BOM so Excel opens Vietnamese text correctly."""
    header, body = matrix_table(report)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for line in body:
        writer.writerow([safe_cell(v) for v in line])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def export_xlsx(report: MatrixReport, *, today: dt.date, signer_title: str = "") -> bytes:
    cols = _columns(report)
    last_col = 2 + 3 * len(cols)
    wb = Workbook()
    ws = wb.active
    ws.title = safe_cell(f"Năm {report.year}")
    unit = report.unit
    half = max(2, last_col // 2)

    def put(row, col, value, *, bold=False, italic=False, merge_to=None, align=CENTER, size=12):
        cell = ws.cell(row=row, column=col, value=safe_cell(value))
        cell.font = Font(name="Times New Roman", bold=bold, italic=italic, size=size)
        cell.alignment = align
        if merge_to and merge_to > col:
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=merge_to)
        return cell

    # Title block: issuing unit (left), national heading (right), place and date line.
    put(1, 1, unit.name.upper(), bold=True, merge_to=half)
    put(1, half + 1, NATION, bold=True, merge_to=last_col)
    put(2, half + 1, MOTTO, bold=True, merge_to=last_col)
    put(3, half + 1, date_line(place=unit.place_name, day=today), italic=True, merge_to=last_col)
    put(5, 1, REPORT_TITLE, bold=True, merge_to=last_col, size=14)
    put(6, 1, f"Năm {report.year}", bold=True, merge_to=last_col)

    # Header: units as rows, target groups as column groups (required / completed / %).
    head = 8
    put(head, 1, "STT", bold=True)
    ws.merge_cells(start_row=head, start_column=1, end_row=head + 1, end_column=1)
    put(head, 2, "Đơn vị", bold=True)
    ws.merge_cells(start_row=head, start_column=2, end_row=head + 1, end_column=2)
    for i, (name, _key) in enumerate(cols):
        start = 3 + 3 * i
        put(head, start, name, bold=True, merge_to=start + 2)
        for j, sub in enumerate(SUB_HEADINGS):
            put(head + 1, start + j, sub, bold=True)
    _header, body = matrix_table(report)
    first = head + 2
    for r, line in enumerate(body):
        is_total = r == len(body) - 1
        for c, value in enumerate(line, start=1):
            cell = ws.cell(row=first + r, column=c, value=safe_cell(value))
            cell.font = Font(name="Times New Roman", bold=is_total, size=12)
            cell.alignment = Alignment(horizontal="left" if c == 2 else "center", wrap_text=True)
    for row in ws.iter_rows(min_row=head, max_row=first + len(body) - 1, max_col=last_col):
        for cell in row:
            cell.border = BOX
    note_row = first + len(body) + 1
    put(
        note_row,
        1,
        "Tỷ lệ (%) = số đã hoàn thành / (số phải bồi dưỡng − số được miễn) × 100; chỉ tiêu 100%.",
        italic=True,
        merge_to=last_col,
        align=Alignment(horizontal="left"),
        size=11,
    )
    # Signer block.
    sign = note_row + 2
    put(sign, 1, "NGƯỜI LẬP BIỂU", bold=True, merge_to=half)
    put(sign, half + 1, signer_title or "THỦ TRƯỞNG ĐƠN VỊ", bold=True, merge_to=last_col)
    put(sign + 1, 1, "(Ký, ghi rõ họ tên)", italic=True, merge_to=half)
    put(sign + 1, half + 1, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, merge_to=last_col)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    for c in range(3, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.freeze_panes = ws.cell(row=first, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


_FONT = "ReportSerif"


def _register_pdf_fonts() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if _FONT in pdfmetrics.getRegisteredFontNames():
        return _FONT
    for folder in FONT_DIRS:
        regular, bold = folder / "LiberationSerif-Regular.ttf", folder / "LiberationSerif-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont(_FONT, str(regular)))
            pdfmetrics.registerFont(TTFont(f"{_FONT}-Bold", str(bold)))
            return _FONT
    raise RuntimeError(_("Không tìm thấy phông chữ Liberation Serif để xuất PDF."))


def export_pdf(report: MatrixReport, *, today: dt.date) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_pdf_fonts()
    bold = f"{font}-Bold"
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=13)
    center = ParagraphStyle("center", parent=base, alignment=1)
    title = ParagraphStyle("title", parent=center, fontName=bold, fontSize=13, leading=17)
    cols = _columns(report)
    header, body = matrix_table(report)

    def esc(value) -> str:
        from xml.sax.saxutils import escape

        return escape(str(value))

    head1 = ["STT", "Đơn vị"]
    head2 = ["", ""]
    for name, _key in cols:
        head1 += [Paragraph(esc(name), center), "", ""]
        head2 += [Paragraph(esc(s), center) for s in SUB_HEADINGS]
    data = [head1, head2]
    for line in body:
        data.append([Paragraph(esc(v), base) if i == 1 else esc(v) for i, v in enumerate(line)])
    style = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTNAME", (0, 0), (-1, 1), bold),
        ("FONTNAME", (0, -1), (-1, -1), bold),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
    ]
    for i in range(len(cols)):
        style.append(("SPAN", (2 + 3 * i, 0), (4 + 3 * i, 0)))
    width = landscape(A4)[0] - 30 * mm
    unit_w = 60 * mm
    other = (width - unit_w - 12 * mm) / (3 * len(cols))
    table = Table(data, colWidths=[12 * mm, unit_w] + [other] * (3 * len(cols)), repeatRows=2)
    table.setStyle(TableStyle(style))
    top = Table(
        [
            [Paragraph(esc(report.unit.name.upper()), title), Paragraph(esc(NATION), title)],
            ["", Paragraph(esc(MOTTO), title)],
            [
                "",
                Paragraph(
                    f"<i>{esc(date_line(place=report.unit.place_name, day=today))}</i>", center
                ),
            ],
        ],
        colWidths=[width / 2, width / 2],
    )
    signer = Table(
        [
            [Paragraph("NGƯỜI LẬP BIỂU", title), Paragraph("THỦ TRƯỞNG ĐƠN VỊ", title)],
            [
                Paragraph("(Ký, ghi rõ họ tên)", center),
                Paragraph("(Ký, ghi rõ họ tên, đóng dấu)", center),
            ],
        ],
        colWidths=[width / 2, width / 2],
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=REPORT_TITLE,
    )
    doc.build(
        [
            top,
            Spacer(1, 6 * mm),
            Paragraph(esc(REPORT_TITLE), title),
            Paragraph(esc(f"Năm {report.year}"), title),
            Spacer(1, 4 * mm),
            table,
            Spacer(1, 8 * mm),
            signer,
        ]
    )
    return buffer.getvalue()
