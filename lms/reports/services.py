"""Writes of the reports app: the year-end lock and corrections to a locked report."""

from __future__ import annotations

import copy
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.org.api import StaffRole, Unit, is_system_admin
from lms.org.scoping import scope_roots

from . import selectors
from .coverage import unit_coverage
from .models import ReportAmendment, ReportExport, ReportSnapshot
from .snapshots import FIELDS, NO_GROUP, content_hash, snapshot_data

MSG_ADMIN_ONLY = _("Chỉ quản trị viên được khóa hoặc điều chỉnh báo cáo năm.")
MSG_ALREADY_LOCKED = _("Báo cáo năm này của đơn vị đã được khóa.")
MSG_YEAR_NOT_OVER = _("Chỉ khóa được báo cáo của năm đã qua hoặc đang diễn ra.")
MSG_REASON_REQUIRED = _("Vui lòng ghi lý do điều chỉnh.")
MSG_UNKNOWN_ROW = _("Không có dòng số liệu này trong báo cáo.")
MSG_BAD_VALUE = _("Số liệu phải là số nguyên không âm.")


MSG_GROUP_REQUIRED = _("Vui lòng chọn nhóm đối tượng của ô số liệu cần điều chỉnh.")
MSG_UNKNOWN_GROUP = _("Không có nhóm đối tượng này trong báo cáo đã khóa.")
MSG_NOTHING_CHANGED = _("Vui lòng nhập ít nhất một số liệu mới khác số liệu đã khóa.")
MSG_INCONSISTENT = _(
    "Số đã hoàn thành cộng số được miễn không được vượt quá số phải bồi dưỡng (%(name)s)."
)


def can_administer(user, unit: Unit) -> bool:
    """System administrators, or administrators whose scope covers the unit (no query once the
    user's roles are loaded)."""
    if is_system_admin(user):
        return True
    roots = scope_roots(user, (StaffRole.Role.ADMIN,)) or []
    return any(unit.path.startswith(root.path) for root in roots)


def _require_admin(user, unit: Unit) -> None:
    if not can_administer(user, unit):
        raise PermissionDenied(MSG_ADMIN_ONLY)


def report_lock(*, unit: Unit, year: int, user, today: dt.date | None = None) -> ReportSnapshot:
    """Freeze the unit's figures for the year (names as they are now) with a SHA-256 hash.

    The snapshot holds the dashboard figures, the official export's matrix and the Measure 2
    coverage, so the dashboard and every export of a locked year render from it alone.
    """
    _require_admin(user, unit)
    today = today or timezone.localdate()
    if year > today.year:
        raise ValidationError(MSG_YEAR_NOT_OVER)
    data = snapshot_data(
        report=selectors.unit_report(unit=unit, year=year, today=today),
        matrix=selectors.unit_report_matrix(unit=unit, year=year, today=today),
        coverage=unit_coverage(unit=unit, year=year),
    )
    try:
        with transaction.atomic():
            return ReportSnapshot.objects.create(
                unit=unit, year=year, data=data, content_hash=content_hash(data), locked_by=user
            )
    except IntegrityError as exc:
        raise ValidationError(MSG_ALREADY_LOCKED) from exc


def _set_percent(part: dict) -> None:
    counting = part["required"] - part["exempt"]
    part["percent"] = round(100 * part["completed"] / counting, 1) if counting > 0 else None


def _shift(part: dict, delta: dict[str, int]) -> None:
    for name, change in delta.items():
        part[name] = part.get(name, 0) + change
    _set_percent(part)


def _check(part: dict, name: str) -> None:
    if part["completed"] + part["exempt"] > part["required"] or any(part[f] < 0 for f in FIELDS):
        raise ValidationError(MSG_INCONSISTENT % {"name": name})


@transaction.atomic
def report_amend(
    *,
    snapshot: ReportSnapshot,
    user,
    reason: str,
    row_code: str,
    figures: dict[str, int],
    group: str | None = None,
) -> ReportAmendment:
    """Correct a locked report; the change is logged with the figures before and after.

    `group` is the target-group column of the official matrix ("none" for obligations without a
    target group). It is required when the snapshot stores the matrix, so the cell, the row, the
    group's total, the target-group table and the grand total stay consistent; snapshots locked
    before the matrix was stored are corrected per row.
    """
    _require_admin(user, snapshot.unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(MSG_REASON_REQUIRED)
    snapshot = ReportSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    data = copy.deepcopy(snapshot.data)
    row = next((r for r in data["rows"] if r["code"] == row_code), None)
    if row is None:
        raise ValidationError(MSG_UNKNOWN_ROW)
    if any(name not in FIELDS or not isinstance(v, int) or v < 0 for name, v in figures.items()):
        raise ValidationError(MSG_BAD_VALUE)
    matrix = data.get("matrix")
    before: dict = {"row": copy.deepcopy(row), "total": copy.deepcopy(data["total"])}
    after: dict = {}
    if matrix is not None:
        known = {str(g["key"]) for g in matrix["groups"]}
        if matrix["has_no_group"]:
            known.add(NO_GROUP)
        if not group:
            raise ValidationError(MSG_GROUP_REQUIRED)
        if group not in known:
            raise ValidationError(MSG_UNKNOWN_GROUP)
        cells = matrix["cells"].setdefault(row_code, {})
        cell = cells.setdefault(group, dict.fromkeys(FIELDS, 0))
        before["group"] = group
        before["cell"] = copy.deepcopy(cell)
        delta = {name: value - cell.get(name, 0) for name, value in figures.items()}
        if not any(delta.values()):
            raise ValidationError(MSG_NOTHING_CHANGED)
        _shift(cell, delta)
        _check(cell, row["name"])
        _shift(matrix["group_totals"].setdefault(group, dict.fromkeys(FIELDS, 0)), delta)
        key = None if group == NO_GROUP else int(group)
        for entry in data["by_group"]:
            if entry["key"] == key:
                _shift(entry["figures"], delta)
        after["group"] = group
        after["cell"] = cell
    else:
        delta = {name: value - row["figures"][name] for name, value in figures.items()}
        if not any(delta.values()):
            raise ValidationError(MSG_NOTHING_CHANGED)
    _shift(row["figures"], delta)
    _check(row["figures"], row["name"])
    _shift(data["total"], delta)
    after.update(row=row, total=data["total"])
    snapshot.data = data
    snapshot.content_hash = content_hash(data)
    snapshot.save(update_fields=["data", "content_hash"])
    return ReportAmendment.objects.create(
        snapshot=snapshot, actor=user, reason=reason, before=before, after=after
    )


def report_export_start(*, user, unit: Unit, year: int, fmt: str) -> ReportExport:
    """Record an export and queue it once the transaction commits (eager without a broker)."""
    from .tasks import export_run

    export = ReportExport.objects.create(user=user, unit=unit, year=year, fmt=fmt)
    transaction.on_commit(lambda: export_run.delay(export.pk))
    return export


def report_export_run(*, export_id: int) -> str:
    """Build the file in steps (figures, document, storage), saving progress after each."""
    from django.core.files.base import ContentFile

    from . import exports
    from .documents import report_document

    export = ReportExport.objects.select_related("unit").filter(pk=export_id).first()
    if export is None or export.status == ReportExport.Status.DONE:
        return "skipped"
    export.status, export.done, export.error = ReportExport.Status.RUNNING, 0, ""
    export.save(update_fields=["status", "done", "error"])
    try:
        doc = report_document(
            unit=export.unit,
            year=export.year,
            matrix=True,
            coverage=export.fmt != ReportExport.Format.CSV,
        )
        _progress(export, 1)
        content = exports.export_document(doc, export.fmt)
        _progress(export, 2)
        name = f"bao-cao-boi-duong-{export.unit.code.lower()}-{export.year}.{export.fmt}"
        export.file.save(name, ContentFile(content), save=False)
        export.status, export.done = ReportExport.Status.DONE, export.total
        export.save(update_fields=["file", "status", "done"])
    except Exception as exc:  # the job page shows the failure instead of spinning forever
        export.status, export.error = ReportExport.Status.FAILED, repr(exc)[:2000]
        export.save(update_fields=["status", "error"])
        raise
    return export.status


def _progress(export: ReportExport, done: int) -> None:
    export.done = done
    export.save(update_fields=["done"])
