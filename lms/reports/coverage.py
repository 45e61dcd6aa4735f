"""Measure 2 for the reports: the share of units that recorded dissemination activity in a year.

Built on `lms.dissemination.api.coverage_for` (one row per sub-unit, rolled up over its subtree)
plus one aggregate of our own over the same activities grouped by sub-unit prefix, which gives the
contest entries per row and the activities recorded at the viewed unit itself. The total is the
sum of those, so the whole section costs four queries whatever the size of the tree.

Contest entries: `lms.dissemination` has no separate contest-entry figure, so entries are the
participants recorded on activities of the form “Thi tìm hiểu pháp luật” (contest).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from lms.dissemination.api import DisseminationActivity, coverage_for
from lms.org.api import Unit

from .selectors import LABEL_FAR, LABEL_MET, LABEL_NEAR, target_level

LABEL_NO_UNITS = _("Không có đơn vị")

CONTEST = DisseminationActivity.Form.CONTEST


@dataclass
class CoverageLine:
    """Coverage of one sub-unit (rolled up over its subtree), or of the whole viewed unit."""

    unit_id: int | None
    code: str
    name: str
    units_total: int = 0
    units_covered: int = 0
    sessions: int = 0
    participants: int = 0
    contest_entries: int = 0

    @property
    def units_missing(self) -> int:
        return self.units_total - self.units_covered

    @property
    def percent(self) -> float | None:
        """Units with at least one activity / units that existed in the year × 100, one decimal."""
        if self.units_total <= 0:
            return None
        return round(100 * self.units_covered / self.units_total, 1)

    @property
    def level(self) -> str:
        """Against the target of 100% of units: “met” / “near” / “far” / “none”."""
        return target_level(self.percent)

    @property
    def level_label(self) -> str:
        labels = {"met": LABEL_MET, "near": LABEL_NEAR, "far": LABEL_FAR, "none": LABEL_NO_UNITS}
        return str(labels[self.level])

    def as_dict(self) -> dict:
        return {**asdict(self), "percent": self.percent}


@dataclass
class CoverageReport:
    year: int
    rows: list[CoverageLine] = field(default_factory=list)
    total: CoverageLine | None = None

    def as_data(self) -> dict:
        return {
            "year": self.year,
            "rows": [r.as_dict() for r in self.rows],
            "total": self.total.as_dict() if self.total else None,
        }


LINE_FIELDS = ("units_total", "units_covered", "sessions", "participants", "contest_entries")


def _line(data: dict) -> CoverageLine:
    return CoverageLine(
        unit_id=data.get("unit_id"),
        code=data.get("code", ""),
        name=data.get("name", ""),
        **{name: int(data.get(name) or 0) for name in LINE_FIELDS},
    )


def coverage_from_data(data: dict | None) -> CoverageReport | None:
    """The coverage as stored in a year-end snapshot (None for snapshots locked without it)."""
    if not data:
        return None
    return CoverageReport(
        year=data["year"],
        rows=[_line(r) for r in data["rows"]],
        total=_line(data["total"]) if data.get("total") else None,
    )


def _existed_in(unit: Unit, year: int) -> bool:
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    return (unit.valid_from is None or unit.valid_from < end) and (
        unit.valid_to is None or unit.valid_to > start
    )


def unit_coverage(*, unit: Unit, year: int) -> CoverageReport:
    """Coverage per sub-unit of `unit` and for its whole subtree in `year` (four queries)."""
    child_len = Unit.steplen * (unit.depth + 1)
    extra = (
        DisseminationActivity.objects.for_unit_tree(unit)
        .filter(date__gte=dt.date(year, 1, 1), date__lt=dt.date(year + 1, 1, 1))
        .annotate(prefix=Substr("unit__path", 1, child_len))
        .order_by()
        .values("prefix")
        .annotate(
            sessions=Count("pk"),
            reached=Sum("participants"),
            contest=Sum("participants", filter=Q(form=CONTEST)),
        )
    )
    by_prefix = {row["prefix"]: row for row in extra}
    rows: list[CoverageLine] = []
    total = CoverageLine(unit_id=unit.pk, code=unit.code, name=unit.name)
    own = by_prefix.pop(unit.path, None)
    if _existed_in(unit, year):
        total.units_total += 1
        if own:
            total.units_covered += 1
    if own:
        total.sessions += own["sessions"]
        total.participants += own["reached"] or 0
        total.contest_entries += own["contest"] or 0
    for found in coverage_for(root_unit=unit, year=year):
        child = found.unit
        mine = by_prefix.pop(child.path, None) or {}
        line = CoverageLine(
            unit_id=child.pk,
            code=child.code,
            name=child.name,
            units_total=found.units_total,
            units_covered=found.units_covered,
            sessions=found.sessions,
            participants=found.participants,
            contest_entries=mine.get("contest") or 0,
        )
        rows.append(line)
        for name in LINE_FIELDS:
            setattr(total, name, getattr(total, name) + getattr(line, name))
    # Activities under a sub-unit that no longer existed in the year still count as reach.
    for leftover in by_prefix.values():
        total.sessions += leftover["sessions"]
        total.participants += leftover["reached"] or 0
        total.contest_entries += leftover["contest"] or 0
    return CoverageReport(year=year, rows=rows, total=total)
