"""Official exports of the completion report: .xlsx (title block, signer block), .csv, PDF.

Every text cell goes through `safe_cell`; the figures come from `unit_report_matrix`, the same
selector as the dashboard, so the file always shows the dashboard's numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from certificates.api import PDF_FONT_BOLD, PDF_FONT_REGULAR, register_fonts
from lms.core.text import safe_cell

from .coverage import CoverageLine, CoverageReport
from .documents import AmendmentLine, ReportDocument
from .selectors import LABEL_NO_GROUP, Figures, MatrixReport

REPORT_TITLE = "BÁO CÁO KẾT QUẢ BỒI DƯỠNG PHÁP LUẬT VỀ DÂN CHỦ Ở CƠ SỞ"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
SUB_HEADINGS = ("Phải bồi dưỡng", "Đã hoàn thành", "Tỷ lệ (%)")
# Liberation Serif 2 shipped with the certificates app (never Liberation 1: it lacks ơ, ư and
# most stacked tone marks), so PDF exports do not depend on the machine's fonts.


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


def export_csv(
    report: MatrixReport, *, amendments: list[AmendmentLine] = (), lock_line: str = ""
) -> bytes:
    """UTF-8 with BOM so Excel opens Vietnamese text correctly. A locked report adds its lock
    line and amendment log after a blank line."""
    header, body = matrix_table(report)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for line in body:
        writer.writerow([safe_cell(v) for v in line])
    if lock_line:
        writer.writerow([])
        writer.writerow([safe_cell(lock_line)])
    if amendments:
        writer.writerow([])
        writer.writerow([AMENDMENTS_TITLE])
        writer.writerow(["STT", "Thời điểm", "Người điều chỉnh", "Đơn vị", "Nhóm đối tượng",
                         "Số liệu (trước → sau)", "Lý do"])  # fmt: skip
        for i, a in enumerate(amendments, start=1):
            writer.writerow([safe_cell(v) for v in (
                i, f"{a.when:%d/%m/%Y %H:%M}", a.actor, a.row_name, a.group_name,
                a.changes_text, a.reason)])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)

COVERAGE_TITLE = "BÁO CÁO KẾT QUẢ PHỔ BIẾN, GIÁO DỤC PHÁP LUẬT VỀ DÂN CHỦ Ở CƠ SỞ"
COVERAGE_HEADINGS = (
    "STT", "Đơn vị", "Số đơn vị", "Đơn vị có hoạt động", "Tỷ lệ (%)",
    "Số hoạt động, buổi", "Lượt người tham dự", "Lượt dự thi",
)  # fmt: skip
COVERAGE_NOTE = (
    "Tỷ lệ (%) = số đơn vị có hoạt động phổ biến pháp luật trong năm / số đơn vị × 100; "
    "chỉ tiêu 100% đơn vị. Lượt dự thi = lượt người tham dự các hoạt động hình thức "
    "“Thi tìm hiểu pháp luật”."
)
AMENDMENTS_TITLE = "ĐIỀU CHỈNH SAU KHI KHÓA SỐ LIỆU"
AMENDMENT_HEADINGS = (
    "STT",
    "Đơn vị — nhóm đối tượng",
    "Thời điểm, người điều chỉnh, số liệu (trước → sau), lý do",
)


def coverage_table(coverage: CoverageReport) -> list[list]:
    """Rows of the Measure 2 table (STT, unit, units, covered, %, sessions, participants,
    contest entries), the total last."""

    def line(i, c: CoverageLine, name: str) -> list:
        pct = "" if c.percent is None else c.percent
        return [i, name, c.units_total, c.units_covered, pct, c.sessions, c.participants,
                c.contest_entries]  # fmt: skip

    body = [line(i, c, c.name) for i, c in enumerate(coverage.rows, start=1)]
    if coverage.total is not None:
        body.append(line("", coverage.total, "Tổng cộng"))
    return body


def amendment_text(a: AmendmentLine) -> str:
    return f"{a.when:%d/%m/%Y %H:%M} — {a.actor}: {a.changes_text}. Lý do: {a.reason}"


class _Sheet:
    """Writes the official blocks (title, table, signer) on one worksheet in Times New Roman."""

    def __init__(self, ws, last_col: int):
        self.ws, self.last_col = ws, last_col
        self.half = max(2, last_col // 2)

    def put(self, row, col, value, *, bold=False, italic=False, merge_to=None, align=CENTER,
            size=12):  # fmt: skip
        cell = self.ws.cell(row=row, column=col, value=safe_cell(value))
        cell.font = Font(name="Times New Roman", bold=bold, italic=italic, size=size)
        cell.alignment = align
        if merge_to and merge_to > col:
            self.ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=merge_to)
        return cell

    def title_block(self, *, unit, today: dt.date, title: str, year: int) -> None:
        """Issuing unit (left), national heading (right), place and date line, report title."""
        self.put(1, 1, unit.name.upper(), bold=True, merge_to=self.half)
        self.put(1, self.half + 1, NATION, bold=True, merge_to=self.last_col)
        self.put(2, self.half + 1, MOTTO, bold=True, merge_to=self.last_col)
        self.put(3, self.half + 1, date_line(place=unit.place_name, day=today), italic=True,
                 merge_to=self.last_col)  # fmt: skip
        self.put(5, 1, title, bold=True, merge_to=self.last_col, size=14)
        self.put(6, 1, f"Năm {year}", bold=True, merge_to=self.last_col)

    def body(self, first: int, lines: list[list], *, bold_last: bool = True) -> int:
        """Table rows from `first`; returns the next free row."""
        for r, line in enumerate(lines):
            is_total = bold_last and r == len(lines) - 1
            for c, value in enumerate(line, start=1):
                cell = self.ws.cell(row=first + r, column=c, value=safe_cell(value))
                cell.font = Font(name="Times New Roman", bold=is_total, size=12)
                cell.alignment = Alignment(horizontal="left" if c == 2 else "center",
                                           wrap_text=True)  # fmt: skip
        return first + len(lines)

    def box(self, top: int, bottom: int) -> None:
        for row in self.ws.iter_rows(min_row=top, max_row=bottom, max_col=self.last_col):
            for cell in row:
                cell.border = BOX

    def note(self, row: int, text: str) -> int:
        self.put(row, 1, text, italic=True, merge_to=self.last_col, align=LEFT, size=11)
        self.ws.row_dimensions[row].height = 15 * (1 + len(text) // 150)
        return row + 1

    def amendments(self, row: int, amendments: list[AmendmentLine]) -> int:
        """The amendment log under a locked report: returns the next free row."""
        if not amendments:
            return row
        self.put(row, 1, AMENDMENTS_TITLE, bold=True, merge_to=self.last_col,
                 align=Alignment(horizontal="left"))  # fmt: skip
        row += 1
        self.put(row, 1, AMENDMENT_HEADINGS[0], bold=True)
        self.put(row, 2, AMENDMENT_HEADINGS[1], bold=True)
        self.put(row, 3, AMENDMENT_HEADINGS[2], bold=True, merge_to=self.last_col)
        top = row
        for i, a in enumerate(amendments, start=1):
            row += 1
            text = amendment_text(a)
            self.put(row, 1, i)
            self.put(row, 2, f"{a.row_name} — {a.group_name}", align=LEFT)
            self.put(row, 3, text, merge_to=self.last_col, align=LEFT)
            self.ws.row_dimensions[row].height = 16 * (1 + len(text) // 90)
        self.box(top, row)
        return row + 1

    def signer(self, row: int, signer_title: str = "") -> None:
        self.put(row, 1, "NGƯỜI LẬP BIỂU", bold=True, merge_to=self.half)
        self.put(row, self.half + 1, signer_title or "THỦ TRƯỞNG ĐƠN VỊ", bold=True,
                 merge_to=self.last_col)  # fmt: skip
        self.put(row + 1, 1, "(Ký, ghi rõ họ tên)", italic=True, merge_to=self.half)
        self.put(row + 1, self.half + 1, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True,
                 merge_to=self.last_col)  # fmt: skip

    def landscape(self) -> None:
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = self.ws.PAPERSIZE_A4


def export_xlsx(
    report: MatrixReport,
    *,
    today: dt.date,
    signer_title: str = "",
    coverage: CoverageReport | None = None,
    amendments: list[AmendmentLine] = (),
    lock_line: str = "",
) -> bytes:
    """Sheet 1: Measure 1 (units × target groups). Sheet 2: Measure 2 coverage, same style.
    A locked report adds the lock line and the amendment log above the signer block."""
    cols = _columns(report)
    last_col = 2 + 3 * len(cols)
    wb = Workbook()
    ws = wb.active
    ws.title = safe_cell(f"Năm {report.year}")
    sheet = _Sheet(ws, last_col)
    sheet.title_block(unit=report.unit, today=today, title=REPORT_TITLE, year=report.year)

    # Header: units as rows, target groups as column groups (required / completed / %).
    head = 8
    sheet.put(head, 1, "STT", bold=True)
    ws.merge_cells(start_row=head, start_column=1, end_row=head + 1, end_column=1)
    sheet.put(head, 2, "Đơn vị", bold=True)
    ws.merge_cells(start_row=head, start_column=2, end_row=head + 1, end_column=2)
    for i, (name, _key) in enumerate(cols):
        start = 3 + 3 * i
        sheet.put(head, start, name, bold=True, merge_to=start + 2)
        for j, sub in enumerate(SUB_HEADINGS):
            sheet.put(head + 1, start + j, sub, bold=True)
    _header, body = matrix_table(report)
    first = head + 2
    end = sheet.body(first, body)
    sheet.box(head, end - 1)
    row = sheet.note(end + 1, MATRIX_NOTE)
    if lock_line:
        row = sheet.note(row, lock_line)
    row = sheet.amendments(row + 1, list(amendments))
    sheet.signer(row + 1, signer_title)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    for c in range(3, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.freeze_panes = ws.cell(row=first, column=3)
    sheet.landscape()
    if coverage is not None:
        _coverage_sheet(wb, report=report, coverage=coverage, today=today,
                        signer_title=signer_title, lock_line=lock_line)  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


MATRIX_NOTE = (
    "Tỷ lệ (%) = số đã hoàn thành / (số phải bồi dưỡng − số được miễn) × 100; chỉ tiêu 100%."
)


def _coverage_sheet(wb, *, report, coverage, today, signer_title, lock_line) -> None:
    ws = wb.create_sheet(safe_cell("Phổ biến pháp luật"))
    last_col = len(COVERAGE_HEADINGS)
    sheet = _Sheet(ws, last_col)
    sheet.title_block(unit=report.unit, today=today, title=COVERAGE_TITLE, year=coverage.year)
    head = 8
    for c, heading in enumerate(COVERAGE_HEADINGS, start=1):
        sheet.put(head, c, heading, bold=True)
    lines = coverage_table(coverage)
    end = sheet.body(head + 1, lines, bold_last=coverage.total is not None)
    sheet.box(head, end - 1)
    row = sheet.note(end + 1, COVERAGE_NOTE)
    if lock_line:
        row = sheet.note(row, lock_line)
    sheet.signer(row + 1, signer_title)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    for c in range(3, last_col + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14
    ws.freeze_panes = ws.cell(row=head + 1, column=3)
    sheet.landscape()


def _register_pdf_fonts() -> str:
    """Liberation Serif as certificates registers it (ReportLab allows one registration per face)."""
    register_fonts()
    return PDF_FONT_REGULAR


def export_pdf(
    report: MatrixReport,
    *,
    today: dt.date,
    coverage: CoverageReport | None = None,
    amendments: list[AmendmentLine] = (),
    lock_line: str = "",
) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register_pdf_fonts()
    bold = PDF_FONT_BOLD
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

    def make_top():
        return Table(
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

    def make_signer():
        return Table(
            [
                [Paragraph("NGƯỜI LẬP BIỂU", title), Paragraph("THỦ TRƯỞNG ĐƠN VỊ", title)],
                [
                    Paragraph("(Ký, ghi rõ họ tên)", center),
                    Paragraph("(Ký, ghi rõ họ tên, đóng dấu)", center),
                ],
            ],
            colWidths=[width / 2, width / 2],
        )

    story = [
        make_top(),
        Spacer(1, 6 * mm),
        Paragraph(esc(REPORT_TITLE), title),
        Paragraph(esc(f"Năm {report.year}"), title),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 2 * mm),
        Paragraph(f"<i>{esc(MATRIX_NOTE)}</i>", base),
    ]
    if lock_line:
        story.append(Paragraph(f"<i>{esc(lock_line)}</i>", base))
    grid = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTNAME", (0, 0), (-1, 0), bold),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if amendments:
        rows = [[Paragraph(esc(h), center) for h in AMENDMENT_HEADINGS]]
        for i, a in enumerate(amendments, start=1):
            rows.append([esc(i), Paragraph(esc(f"{a.row_name} — {a.group_name}"), base),
                         Paragraph(esc(amendment_text(a)), base)])  # fmt: skip
        log = Table(rows, colWidths=[12 * mm, unit_w, width - unit_w - 12 * mm], repeatRows=1)
        log.setStyle(TableStyle(grid))
        story += [Spacer(1, 6 * mm), Paragraph(esc(AMENDMENTS_TITLE), title),
                  Spacer(1, 2 * mm), log]  # fmt: skip
    story += [Spacer(1, 8 * mm), make_signer()]
    if coverage is not None:
        from reportlab.platypus import PageBreak

        rows = [[Paragraph(esc(h), center) for h in COVERAGE_HEADINGS]]
        for line in coverage_table(coverage):
            rows.append([Paragraph(esc(v), base) if i == 1 else esc(v) for i, v in enumerate(line)])
        rest = (width - unit_w - 12 * mm) / (len(COVERAGE_HEADINGS) - 2)
        cov = Table(rows, colWidths=[12 * mm, unit_w] + [rest] * (len(COVERAGE_HEADINGS) - 2),
                    repeatRows=1)  # fmt: skip
        style = [*grid, ("ALIGN", (0, 0), (-1, -1), "CENTER")]
        if coverage.total is not None:
            style.append(("FONTNAME", (0, -1), (-1, -1), bold))
        cov.setStyle(TableStyle(style))
        story += [PageBreak(), make_top(), Spacer(1, 6 * mm), Paragraph(esc(COVERAGE_TITLE), title),
                  Paragraph(esc(f"Năm {coverage.year}"), title), Spacer(1, 4 * mm), cov,
                  Spacer(1, 2 * mm), Paragraph(f"<i>{esc(COVERAGE_NOTE)}</i>", base)]  # fmt: skip
        if lock_line:
            story.append(Paragraph(f"<i>{esc(lock_line)}</i>", base))
        story += [Spacer(1, 8 * mm), make_signer()]
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
    doc.build(story)
    return buffer.getvalue()


def export_document(doc: ReportDocument, fmt: str) -> bytes:
    """The official file of a report document (live, or a locked year from its snapshot)."""
    extra = {"amendments": doc.amendments, "lock_line": doc.lock_line}
    if fmt == "xlsx":
        return export_xlsx(doc.matrix, today=doc.today, coverage=doc.coverage, **extra)
    if fmt == "csv":
        return export_csv(doc.matrix, **extra)
    return export_pdf(doc.matrix, today=doc.today, coverage=doc.coverage, **extra)
