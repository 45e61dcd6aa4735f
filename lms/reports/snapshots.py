"""(De)serialising a unit report to the JSON stored by the year-end lock."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from lms.org.api import TargetGroup, Unit

from .coverage import CoverageReport
from .selectors import Figures, GroupRow, MatrixReport, MonthPoint, UnitReport, UnitRow

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


# --- The official export's matrix (sub-units × target groups) and the full locked data ----------

NO_GROUP = "none"  # JSON key of the “no target group” column (object keys are strings)


def group_key(key: int | None) -> str:
    return NO_GROUP if key is None else str(key)


def matrix_to_data(matrix: MatrixReport) -> dict:
    """Cells keyed by row code then target-group key; groups in column order."""
    return {
        "groups": [{"key": g.pk, "name": g.name} for g in matrix.groups],
        "has_no_group": matrix.has_no_group,
        "cells": {
            row.code: {group_key(k): f.as_dict() for k, f in cells.items()}
            for row, cells in matrix.rows
        },
        "group_totals": {group_key(k): f.as_dict() for k, f in matrix.group_totals.items()},
    }


def _key(text: str) -> int | None:
    return None if text == NO_GROUP else int(text)


def matrix_from_data(*, unit: Unit, data: dict) -> MatrixReport:
    """The export matrix of a locked report. Rows and total are the locked (amended) figures;
    snapshots locked before the matrix was stored export the total column only."""
    report = report_from_data(unit=unit, data=data)
    stored = data.get("matrix") or {"groups": [], "has_no_group": False, "cells": {},
                                     "group_totals": {}}  # fmt: skip
    groups = [TargetGroup(pk=g["key"], name=g["name"]) for g in stored["groups"]]
    cells = {
        code: {_key(k): _fig(f) for k, f in by_group.items()}
        for code, by_group in stored["cells"].items()
    }
    return MatrixReport(
        unit=report.unit,
        year=report.year,
        groups=groups,
        rows=[(row, cells.get(row.code, {})) for row in report.rows],
        group_totals={_key(k): _fig(f) for k, f in stored["group_totals"].items()},
        total=report.total,
        has_no_group=stored["has_no_group"],
    )


def snapshot_data(
    *, report: UnitReport, matrix: MatrixReport, coverage: CoverageReport | None
) -> dict:
    """Everything a locked year renders from: dashboard figures, export matrix, Measure 2."""
    data = report_to_data(report)
    data["matrix"] = matrix_to_data(matrix)
    data["coverage"] = coverage.as_data() if coverage is not None else None
    return data


def content_hash(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
