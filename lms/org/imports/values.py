"""Turning spreadsheet cells into clean values. Each parser raises CellError with a Vietnamese message."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lms.core.text import fold, normalize_text

from ..models import normalize_phone

MSG_REQUIRED = gettext_noop("Chưa nhập “{header}”.")
MSG_TOO_LONG = gettext_noop("Quá dài: tối đa {limit} ký tự.")
MSG_INVALID_DATE = gettext_noop(
    "Ngày không hợp lệ. Nhập theo dạng ngày/tháng/năm (ví dụ 05/03/2026) hoặc năm-tháng-ngày (2026-03-05)."
)
MSG_DATE_OUT_OF_RANGE = gettext_noop("Năm phải trong khoảng 1900–2100.")
MSG_INVALID_PHONE = gettext_noop(
    "Số điện thoại không hợp lệ: cần 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678)."
)
MSG_INVALID_EMAIL = gettext_noop("Địa chỉ email không hợp lệ.")
MSG_INVALID_YES_NO = gettext_noop("Chỉ nhập “Có” hoặc “Không”.")
MSG_INVALID_GENDER = gettext_noop("Giới tính chỉ nhận “Nam”, “Nữ” hoặc “Khác”.")

_PHONE = re.compile(r"^0\d{9}$")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d")
_YES = {"co", "x", "yes", "y", "1", "true", "dung"}
_NO = {"khong", "no", "n", "0", "false", "sai"}
_GENDERS = {"nam": "male", "male": "male", "nu": "female", "female": "female", "khac": "other"}


class CellError(ValueError):
    pass


def text(value: object, *, max_length: int | None = None) -> str:
    """A cell as NFC text. Numbers lose a spurious ".0"; formulas stay literal text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        value = value.strftime("%d/%m/%Y")
    result = normalize_text(str(value))
    if max_length is not None and len(result) > max_length:
        raise CellError(_(MSG_TOO_LONG).format(limit=max_length))
    return result


def date(value: object) -> dt.date | None:
    """dd/mm/yyyy, yyyy-mm-dd, a real Excel date, or an Excel serial number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError) as error:
            raise CellError(_(MSG_INVALID_DATE)) from error
        if not isinstance(converted, dt.datetime | dt.date):
            raise CellError(_(MSG_INVALID_DATE))
        result = converted.date() if isinstance(converted, dt.datetime) else converted
    else:
        raw = normalize_text(str(value)).split(" ")[0]
        result = None
        for pattern in _DATE_FORMATS:
            try:
                result = dt.datetime.strptime(raw, pattern).date()
                break
            except ValueError:
                continue
        if result is None:
            raise CellError(_(MSG_INVALID_DATE))
    if not 1900 <= result.year <= 2100:
        raise CellError(_(MSG_DATE_OUT_OF_RANGE))
    return result


def phone(value: object) -> str:
    """A Vietnamese mobile number in domestic form, or "" when the cell is empty."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        # Excel drops the leading zero of numbers typed into a number cell.
        value = str(value)
        if len(value) == 9:
            value = "0" + value
    raw = text(value)
    if not raw:
        return ""
    if re.search(r"[^\d\s+().\-]", raw):
        raise CellError(_(MSG_INVALID_PHONE))
    result = normalize_phone(raw)
    if not _PHONE.match(result):
        raise CellError(_(MSG_INVALID_PHONE))
    return result


def email(value: object) -> str:
    result = text(value).lower()
    if not result:
        return ""
    try:
        validate_email(result)
    except ValidationError as error:
        raise CellError(_(MSG_INVALID_EMAIL)) from error
    if len(result) > 254:
        raise CellError(_(MSG_TOO_LONG).format(limit=254))
    return result


def yes_no(value: object) -> bool | None:
    """True/False, or None when the cell is empty."""
    if isinstance(value, bool):
        return value
    folded = fold(text(value))
    if not folded:
        return None
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    raise CellError(_(MSG_INVALID_YES_NO))


def gender(value: object) -> str:
    folded = fold(text(value))
    if not folded:
        return ""
    if folded not in _GENDERS:
        raise CellError(_(MSG_INVALID_GENDER))
    return _GENDERS[folded]
