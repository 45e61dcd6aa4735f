"""(De)serialising a unit report to the JSON stored by the year-end lock."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from lms.org.api import Unit

from .selectors import Figures, GroupRow, MonthPoint, UnitReport, UnitRow

FIELDS = ("required", "completed", "in_progress", "not_started", "overdue", "exempt")


def _fig(data: dict) -> Figures:
    return Figures(**{name: int(data.get(name, 0)) for name in FIELDS})


def report_to_data(report: UnitReport) -> dict:
    """Everything the dashboard shows, with unit names as they are now (i.e. when locked)."""
    return {
        "unit": {
            "id": report.unit.pk,
            "code": report.unit.code,
            "name": report.unit.name,
            "place_name": report.unit.place_name,
        },  # fmt: skip
        "year": report.year,
        "as_of": report.today.isoformat(),
        "rows": [
            {
                "unit_id": r.unit_id,
                "code": r.code,
                "name": r.name,
                "is_leaf": r.is_leaf,
                "direct": r.direct,
                "path": r.path,
                "figures": r.figures.as_dict(),
            }  # fmt: skip
            for r in report.rows
        ],
        "total": report.total.as_dict(),
        "by_group": [
            {"key": g.key, "name": g.name, "figures": g.figures.as_dict()} for g in report.by_group
        ],
        "by_course": [
            {"key": g.key, "name": g.name, "figures": g.figures.as_dict()} for g in report.by_course
        ],
        "trend": [
            {
                "month": p.month.isoformat(),
                "completed": p.completed,
                "cumulative": p.cumulative,
                "percent": p.percent,
            }  # fmt: skip
            for p in report.trend
        ],
    }


def report_from_data(*, unit: Unit, data: dict) -> UnitReport:
    """The report as it was locked; the unit's stored name and code are shown, not today's."""
    locked_unit = Unit(pk=unit.pk, path=unit.path, depth=unit.depth, code=data["unit"]["code"],
                       name=data["unit"]["name"], place_name=data["unit"]["place_name"])  # fmt: skip
    return UnitReport(
        unit=locked_unit,
        year=data["year"],
        today=dt.date.fromisoformat(data["as_of"]),
        rows=[
            UnitRow(
                unit_id=r["unit_id"],
                code=r["code"],
                name=r["name"],
                is_leaf=r["is_leaf"],
                figures=_fig(r["figures"]),
                path=r["path"],
                direct=r["direct"],
            )  # fmt: skip
            for r in data["rows"]
        ],
        total=_fig(data["total"]),
        by_group=[
            GroupRow(key=g["key"], name=g["name"], figures=_fig(g["figures"]))
            for g in data["by_group"]
        ],
        by_course=[
            GroupRow(key=g["key"], name=g["name"], figures=_fig(g["figures"]))
            for g in data["by_course"]
        ],
        trend=[
            MonthPoint(
                month=dt.date.fromisoformat(p["month"]),
                completed=p["completed"],
                cumulative=p["cumulative"],
                percent=p["percent"],
            )  # fmt: skip
            for p in data["trend"]
        ],
    )


def content_hash(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
