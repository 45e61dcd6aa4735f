"""The winners' list (.xlsx) in the style of an official document: national header, title,
columns, and a signature block. Every text cell goes through ``safe_cell``."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from lms.core.text import safe_cell

from .ranking import Ranked

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TITLE = "DANH SÁCH NGƯỜI ĐOẠT GIẢI"
HEADINGS = (
    "STT",
    "Hạng",
    "Họ và tên",
    "Số điện thoại",
    "Thôn, ấp, khu phố",
    "Xã, phường",
    "Điểm",
    "Dự đoán",
    "Độ lệch dự đoán",
    "Thời gian làm bài (giây)",
    "Nộp bài lúc",
)
WIDTHS = (6, 7, 28, 14, 20, 26, 9, 10, 12, 12, 18)
FONT = "Times New Roman"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _number(value):
    return float(value) if value is not None else ""


def winners_rows(rows: list[Ranked]) -> list[list]:
    out = []
    for i, row in enumerate(rows, start=1):
        e = row.entry
        out.append(
            [
                i,
                row.rank,
                safe_cell(e.full_name),
                safe_cell(e.phone),
                safe_cell(e.hamlet),
                safe_cell(e.commune_name),
                _number(e.score),
                e.prediction if e.prediction is not None else "",
                row.distance if row.distance is not None else "",
                e.duration_seconds,
                e.submitted_at.astimezone().strftime("%H:%M:%S %d/%m/%Y"),
            ]
        )
    return out


def winners_xlsx(
    *,
    round_page,
    contest_title: str,
    rows: list[Ranked],
    final: bool,
    actual: int | None,
    today: dt.date,
    signer_title: str = "TRƯỞNG BAN TỔ CHỨC",
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách đoạt giải"
    last = len(HEADINGS)

    def put(row, col, value, *, bold=False, italic=False, merge_to=None, align="center", size=13):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = Font(name=FONT, bold=bold, italic=italic, size=size)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if merge_to:
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=merge_to)
        return cell

    # National header (right) and the organiser (left).
    put(1, 1, "BAN TỔ CHỨC CUỘC THI", bold=True, merge_to=4)
    put(1, 6, NATION, bold=True, merge_to=last)
    put(2, 6, MOTTO, bold=True, merge_to=last)
    place_day = f"……, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"
    put(3, 6, place_day, italic=True, merge_to=last)
    put(5, 1, TITLE, bold=True, merge_to=last, size=14)
    put(6, 1, safe_cell(f"{contest_title} — {round_page.title}"), bold=True, merge_to=last)
    local = round_page.opens_at.astimezone(), round_page.closes_at.astimezone()
    window = f"Thời gian thi: từ {local[0]:%H:%M %d/%m/%Y} đến {local[1]:%H:%M %d/%m/%Y}"
    put(7, 1, window, italic=True, merge_to=last)
    if final:
        note = f"Số người có bài làm đúng hoàn toàn: {actual}. Xếp hạng chính thức."
    else:
        note = "Xếp hạng tạm thời (đợt thi chưa kết thúc): theo điểm, rồi thời gian làm bài."
    put(8, 1, note, italic=True, merge_to=last, size=12)

    head = 10
    for col, heading in enumerate(HEADINGS, start=1):
        put(head, col, heading, bold=True, size=12).border = BOX
    for r, values in enumerate(winners_rows(rows), start=head + 1):
        for col, value in enumerate(values, start=1):
            align = "left" if col in (3, 5, 6) else "center"
            put(r, col, value, align=align, size=12).border = BOX
    end = head + len(rows) + 1
    put(end + 1, 1, "Xếp hạng theo: điểm (cao trước), độ lệch dự đoán (nhỏ trước), thời gian làm "
        "bài (ngắn trước), thời điểm nộp bài (sớm trước); mỗi số điện thoại tính một lượt tốt nhất.",
        italic=True, merge_to=last, align="left", size=11)  # fmt: skip

    # Signature block (right): title, a note, room for the signature, then the name line.
    sign = end + 3
    put(sign, 7, signer_title, bold=True, merge_to=last)
    put(sign + 1, 7, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, merge_to=last, size=12)
    put(sign + 5, 7, "……………………………", merge_to=last)

    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"{head}:{head}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
