"""A unit's report for a year as the screens, exports and API show it: live, or once the year is
locked, from the snapshot and its amendment log only (never live data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.org.api import Unit

from . import selectors
from .coverage import CoverageReport, coverage_from_data, unit_coverage
from .models import ReportAmendment, ReportSnapshot
from .selectors import MatrixReport, UnitReport
from .snapshots import FIELDS, NO_GROUP, matrix_from_data, report_from_data

FIELD_LABELS = {
    "required": _("Phải bồi dưỡng"),
    "completed": _("Đã hoàn thành"),
    "in_progress": _("Đang học"),
    "not_started": _("Chưa học"),
    "overdue": _("Quá hạn"),
    "exempt": _("Miễn"),
}
LABEL_WHOLE_ROW = _("Cả dòng")


@dataclass
class AmendmentLine:
    """One correction as listed under a locked report and in its exports."""

    when: dt.datetime
    actor: str
    reason: str
    row_name: str
    group_name: str
    changes: list[tuple[str, int, int]]  # (figure label, before, after)

    @property
    def changes_text(self) -> str:
        return "; ".join(f"{label}: {old} → {new}" for label, old, new in self.changes)


@dataclass
class ReportDocument:
    unit: Unit  # with the name and code as locked, for a locked year
    year: int
    today: dt.date  # figures as of this day; the date line of the exports
    snapshot: ReportSnapshot | None = None
    amendments: list[AmendmentLine] = field(default_factory=list)
    coverage: CoverageReport | None = None
    report: UnitReport | None = None
    matrix: MatrixReport | None = None

    @property
    def locked(self) -> bool:
        return self.snapshot is not None

    @property
    def locked_by(self) -> str:
        user = self.snapshot.locked_by if self.snapshot else None
        if user is None:
            return ""
        return user.get_full_name() or user.get_username()

    @property
    def lock_line(self) -> str:
        """“Số liệu đã khóa ngày … bởi …; mã kiểm tra SHA-256: …” for the exports."""
        if self.snapshot is None:
            return ""
        return str(LOCK_LINE) % {
            "when": timezone.localtime(self.snapshot.locked_at).strftime("%d/%m/%Y %H:%M"),
            "who": self.locked_by or "—",
            "hash": self.snapshot.content_hash,
        }


LOCK_LINE = _("Số liệu đã khóa lúc %(when)s bởi %(who)s; mã kiểm tra SHA-256: %(hash)s.")


def _actor(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def amendment_lines(snapshot: ReportSnapshot, amendments) -> list[AmendmentLine]:
    """Readable lines for the amendment log (no queries beyond the amendments themselves)."""
    matrix = snapshot.data.get("matrix") or {}
    group_names = {str(g["key"]): g["name"] for g in matrix.get("groups", [])}
    group_names[NO_GROUP] = str(selectors.LABEL_NO_GROUP)
    lines = []
    for a in amendments:
        group = a.before.get("group")
        old = a.before.get("cell") if group else a.before["row"]["figures"]
        new = a.after.get("cell") if group else a.after["row"]["figures"]
        changes = [
            (str(FIELD_LABELS[name]), old.get(name, 0), new.get(name, 0))
            for name in FIELDS
            if old.get(name, 0) != new.get(name, 0)
        ]
        lines.append(
            AmendmentLine(
                when=timezone.localtime(a.created_at),
                actor=_actor(a.actor),
                reason=a.reason,
                row_name=a.before["row"]["name"],
                group_name=group_names.get(group, "") if group else str(LABEL_WHOLE_ROW),
                changes=changes,
            )
        )
    return lines


def load_snapshot(*, unit: Unit, year: int) -> ReportSnapshot | None:
    """The year's snapshot with who locked it and its amendments (two queries)."""
    return (
        ReportSnapshot.objects.filter(unit=unit, year=year)
        .select_related("locked_by")
        .prefetch_related(
            Prefetch("amendments", ReportAmendment.objects.select_related("actor").order_by("pk"))
        )
        .first()
    )


def report_document(
    *,
    unit: Unit,
    year: int,
    today: dt.date | None = None,
    dashboard: bool = False,
    matrix: bool = False,
    coverage: bool = True,
    locked: bool | None = None,
) -> ReportDocument:
    """The report of `unit` for `year`: from the snapshot when locked, otherwise live.

    `dashboard` asks for the dashboard figures (UnitReport), `matrix` for the official export's
    matrix, `coverage` for Measure 2. `locked=False` says the caller already knows the year is
    not locked (saves the snapshot query); None looks it up.
    """
    snapshot = None if locked is False else load_snapshot(unit=unit, year=year)
    if snapshot is not None:
        data = snapshot.data
        report = report_from_data(unit=unit, data=data)
        return ReportDocument(
            unit=report.unit,
            year=year,
            today=timezone.localtime(snapshot.locked_at).date(),
            snapshot=snapshot,
            amendments=amendment_lines(snapshot, snapshot.amendments.all()),
            coverage=coverage_from_data(data.get("coverage")) if coverage else None,
            report=report if dashboard else None,
            matrix=matrix_from_data(unit=unit, data=data) if matrix else None,
        )
    today = today or timezone.localdate()
    return ReportDocument(
        unit=unit,
        year=year,
        today=today,
        coverage=unit_coverage(unit=unit, year=year) if coverage else None,
        report=selectors.unit_report(unit=unit, year=year, today=today) if dashboard else None,
        matrix=selectors.unit_report_matrix(unit=unit, year=year, today=today) if matrix else None,
    )
