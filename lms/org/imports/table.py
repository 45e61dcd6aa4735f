"""Reading an uploaded .xlsx or .csv into rows keyed by column, with Vietnamese header matching."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lms.core.text import fold, normalize_text
from lms.core.uploads import validate_upload

ALLOWED_EXTENSIONS = {"xlsx", "csv"}
HEADER_ROW = 1

MSG_FILE_UNREADABLE = gettext_noop(
    "Không đọc được tệp. Hãy mở tệp bằng Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)” "
    "hoặc “CSV UTF-8”."
)
MSG_LEGACY_ENCODING = gettext_noop(
    "Tệp CSV không dùng bảng mã UTF-8 (nhận diện được: {encoding}). Hãy mở tệp bằng Excel, "
    "chọn Lưu thành (Save As) → kiểu tệp “CSV UTF-8 (Comma delimited) (*.csv)”, rồi tải lên lại."
)
MSG_EMPTY_FILE = gettext_noop(
    "Tệp không có dữ liệu: cần một dòng tiêu đề và ít nhất một dòng dữ liệu."
)
MSG_NO_DATA_ROWS = gettext_noop("Tệp chỉ có dòng tiêu đề, chưa có dòng dữ liệu nào.")
MSG_WRONG_SHEET = gettext_noop(
    "Không tìm thấy trang tính “{expected}”. Các trang tính có trong tệp: {found}."
)
MSG_TOO_MANY_ROWS = gettext_noop(
    "Tệp có hơn {limit} dòng dữ liệu, vượt quá giới hạn. Hãy chia thành nhiều tệp nhỏ hơn."
)
MSG_MISSING_COLUMN = gettext_noop(
    "Thiếu cột “{header}” (hoặc cột đã bị đổi tên). Các cột cần có: {expected}."
)
MSG_DUPLICATE_COLUMN = gettext_noop("Cột “{header}” xuất hiện nhiều lần trong dòng tiêu đề.")
GENERAL_COLUMN = "—"


@dataclass(frozen=True)
class Column:
    """One column of an import file. `header` is what the template shows."""

    key: str
    header: str
    required: bool = False  # the column must be present and every row must fill it
    aliases: tuple[str, ...] = ()
    help: str = ""
    example: str = ""

    def matches(self, folded_header: str) -> bool:
        return folded_header in {_header_key(self.header), *map(_header_key, self.aliases)}


@dataclass(frozen=True, order=True)
class RowError:
    """A problem to fix: spreadsheet row (None for the whole file), column header, message."""

    row: int | None
    column: str
    message: str
    value: str = ""

    def sort_key(self) -> tuple[int, str]:
        return (self.row or 0, self.column)


class ImportFileError(Exception):
    """The file cannot be read as a table at all; `errors` says why."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


@dataclass
class Table:
    sheet: str | None
    headers: dict[str, str]  # column key -> header as written in the file
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)


def _header_key(text: object) -> str:
    """Header comparison key: accents, case, '*' marks and "(…)" hints ignored."""
    value = re.sub(r"\(.*?\)", " ", normalize_text(str(text or "")))
    return fold(value.replace("*", " ").replace(":", " "))


def read_table(*, file, columns: Iterable[Column], sheet_name: str) -> Table:
    """Validate the upload, read the right sheet and map headers to column keys.

    Raises ImportFileError with every file-level problem (unreadable, wrong sheet, missing columns,
    too many rows, no data).
    """
    columns = list(columns)
    try:
        extension = validate_upload(
            file=file, allowed=ALLOWED_EXTENSIONS, max_bytes=settings.MAX_IMPORT_FILE_BYTES
        )
    except ValidationError as error:
        raise ImportFileError(
            [RowError(None, GENERAL_COLUMN, message) for message in error.messages]
        ) from error
    if extension == "xlsx":
        sheet, raw_rows = _xlsx_rows(file, sheet_name)
    else:
        sheet, raw_rows = None, _csv_rows(file)
    return _build_table(sheet=sheet, raw_rows=_guarded(raw_rows), columns=columns)


_UNREADABLE = (csv.Error, zipfile.BadZipFile, ParseError, KeyError, ValueError, TypeError, OSError)


def _guarded(rows: Iterator[tuple]) -> Iterator[tuple]:
    """A damaged file fails while its rows are read: say so instead of failing with a 500."""
    try:
        yield from rows
    except _UNREADABLE as error:
        raise ImportFileError([RowError(None, GENERAL_COLUMN, _(MSG_FILE_UNREADABLE))]) from error


def _build_table(*, sheet: str | None, raw_rows: Iterator[tuple], columns: list[Column]) -> Table:
    limit = settings.MAX_IMPORT_ROWS
    header_cells: tuple | None = None
    header_number = HEADER_ROW
    for number, cells in enumerate(raw_rows, start=1):
        if _is_blank(cells):
            continue
        header_cells, header_number = cells, number
        break
    if header_cells is None:
        raise ImportFileError([RowError(None, GENERAL_COLUMN, _(MSG_EMPTY_FILE))])

    positions, headers = _map_headers(header_cells, columns, header_number)
    table = Table(sheet=sheet, headers=headers)
    for number, cells in enumerate(raw_rows, start=header_number + 1):
        if _is_blank(cells):
            continue
        if len(table.rows) >= limit:
            raise ImportFileError(
                [RowError(None, GENERAL_COLUMN, _(MSG_TOO_MANY_ROWS).format(limit=limit))]
            )
        values = {
            key: (cells[index] if index < len(cells) else None) for key, index in positions.items()
        }
        table.rows.append((number, values))
    if not table.rows:
        raise ImportFileError([RowError(None, GENERAL_COLUMN, _(MSG_NO_DATA_ROWS))])
    return table


def _map_headers(
    header_cells: tuple, columns: list[Column], row_number: int
) -> tuple[dict[str, int], dict[str, str]]:
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    errors: list[RowError] = []
    for index, cell in enumerate(header_cells):
        folded = _header_key(cell)
        if not folded:
            continue
        column = next((c for c in columns if c.matches(folded)), None)
        if column is None:
            continue  # extra columns (notes, running numbers) are ignored
        if column.key in positions:
            errors.append(
                RowError(row_number, column.header, _(MSG_DUPLICATE_COLUMN).format(header=cell))
            )
            continue
        positions[column.key] = index
        headers[column.key] = normalize_text(str(cell))
    expected = ", ".join(f"“{c.header}”" for c in columns)
    for column in columns:
        if column.required and column.key not in positions:
            errors.append(
                RowError(
                    row_number,
                    column.header,
                    _(MSG_MISSING_COLUMN).format(header=column.header, expected=expected),
                )
            )
    if errors:
        raise ImportFileError(errors)
    return positions, headers


def _is_blank(cells: tuple) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _xlsx_rows(file, sheet_name: str) -> tuple[str, Iterator[tuple]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # data_only=False: a formula is read as its text ("=…"), never evaluated or trusted.
        workbook = load_workbook(file, read_only=True, data_only=False)
    except (*_UNREADABLE, InvalidFileException) as error:
        raise ImportFileError([RowError(None, GENERAL_COLUMN, _(MSG_FILE_UNREADABLE))]) from error
    names = workbook.sheetnames
    wanted = _header_key(sheet_name)
    chosen = next((name for name in names if _header_key(name) == wanted), None)
    if chosen is None and len(names) == 1:
        chosen = names[0]
    if chosen is None:
        found = ", ".join(f"“{name}”" for name in names)
        raise ImportFileError(
            [
                RowError(
                    None,
                    GENERAL_COLUMN,
                    _(MSG_WRONG_SHEET).format(expected=sheet_name, found=found),
                )
            ]
        )
    return chosen, _closing_rows(workbook, chosen)


def _closing_rows(workbook, sheet: str) -> Iterator[tuple]:
    try:
        yield from workbook[sheet].iter_rows(values_only=True)
    finally:
        workbook.close()


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM) only; anything else is refused with a way to fix it."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        encoding = best.encoding if best is not None else _("không xác định")
        raise ImportFileError(
            [RowError(None, GENERAL_COLUMN, _(MSG_LEGACY_ENCODING).format(encoding=encoding))]
        ) from error


def _csv_rows(file) -> Iterator[tuple]:
    data = file.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    text = decode_csv_bytes(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return (tuple(row) for row in reader)


def display_value(value: object) -> str:
    """A cell as the user typed it, for previews and error reports."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (
            value.strftime("%d/%m/%Y") if value.time() == dt.time() else f"{value:%d/%m/%Y %H:%M}"
        )
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalize_text(str(value))
