"""Decree 30/2020 text conventions: dates, serial numbers, placeholder filling."""

from __future__ import annotations

import datetime as dt
import string

from .models import PLACEHOLDERS


def vn_long_date(day: dt.date, place: str = "") -> str:
    """“Bắc Tân Uyên, ngày 05 tháng 3 năm 2026”: days under 10 and months 1–2 get a leading zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text


def vn_short_date(day: dt.date | None) -> str:
    """05/03/2026, the form Vietnamese readers expect inside sentences and tables."""
    return day.strftime("%d/%m/%Y") if day else ""


def duration_text(minutes: int) -> str:
    if minutes <= 0:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} phút"
    return f"{hours} giờ" + (f" {rest} phút" if rest else "")


def unknown_placeholders(text: str) -> list[str]:
    names = []
    for _literal, field, _spec, _conv in string.Formatter().parse(text or ""):
        if field is not None and field not in PLACEHOLDERS and field not in names:
            names.append(field)
    return names


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace {ho_ten}-style fields; anything else (stray braces) is left as written."""
    try:
        return string.Formatter().vformat(text, (), _Values(values))
    except (ValueError, IndexError):
        return text
