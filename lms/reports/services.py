"""Writes of the reports app: the year-end lock and corrections to a locked report."""

from __future__ import annotations

import copy
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.org.api import StaffRole, Unit, is_system_admin, visible_units

from . import selectors
from .models import ReportAmendment, ReportExport, ReportSnapshot
from .snapshots import FIELDS, content_hash, report_to_data

MSG_ADMIN_ONLY = _("Chỉ quản trị viên được khóa hoặc điều chỉnh báo cáo năm.")
MSG_ALREADY_LOCKED = _("Báo cáo năm này của đơn vị đã được khóa.")
MSG_YEAR_NOT_OVER = _("Chỉ khóa được báo cáo của năm đã qua hoặc đang diễn ra.")
MSG_REASON_REQUIRED = _("Vui lòng ghi lý do điều chỉnh.")
MSG_UNKNOWN_ROW = _("Không có dòng số liệu này trong báo cáo.")
MSG_BAD_VALUE = _("Số liệu phải là số nguyên không âm.")


def _require_admin(user, unit: Unit) -> None:
    """System administrators, or administrators whose scope covers the unit."""
    if is_system_admin(user):
        return
    admin_scope = visible_units(user=user, roles=(StaffRole.Role.ADMIN,))
    if not admin_scope.filter(pk=unit.pk).exists():
        raise PermissionDenied(MSG_ADMIN_ONLY)


def report_lock(*, unit: Unit, year: int, user, today: dt.date | None = None) -> ReportSnapshot:
    """Freeze the unit's figures for the year (names as they are now) with a SHA-256 hash."""
    _require_admin(user, unit)
    today = today or timezone.localdate()
    if year > today.year:
        raise ValidationError(MSG_YEAR_NOT_OVER)
    data = report_to_data(selectors.unit_report(unit=unit, year=year, today=today))
    try:
        with transaction.atomic():
            return ReportSnapshot.objects.create(
                unit=unit, year=year, data=data, content_hash=content_hash(data), locked_by=user
            )
    except IntegrityError as exc:
        raise ValidationError(MSG_ALREADY_LOCKED) from exc


@transaction.atomic
def report_amend(
    *, snapshot: ReportSnapshot, user, reason: str, row_code: str, figures: dict[str, int]
) -> ReportAmendment:
    """Correct one row of a locked report; the total is adjusted and the change is logged."""
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
    before = {"row": copy.deepcopy(row), "total": copy.deepcopy(data["total"])}
    for name, value in figures.items():
        data["total"][name] += value - row["figures"][name]
        row["figures"][name] = value
    for part in (row["figures"], data["total"]):
        counting = part["required"] - part["exempt"]
        part["percent"] = round(100 * part["completed"] / counting, 1) if counting > 0 else None
    snapshot.data = data
    snapshot.content_hash = content_hash(data)
    snapshot.save(update_fields=["data", "content_hash"])
    return ReportAmendment.objects.create(
        snapshot=snapshot, actor=user, reason=reason, before=before,
        after={"row": row, "total": data["total"]},
    )  # fmt: skip


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

    export = ReportExport.objects.select_related("unit").filter(pk=export_id).first()
    if export is None or export.status == ReportExport.Status.DONE:
        return "skipped"
    export.status, export.done, export.error = ReportExport.Status.RUNNING, 0, ""
    export.save(update_fields=["status", "done", "error"])
    try:
        today = timezone.localdate()
        matrix = selectors.unit_report_matrix(unit=export.unit, year=export.year, today=today)
        _progress(export, 1)
        if export.fmt == ReportExport.Format.XLSX:
            content = exports.export_xlsx(matrix, today=today)
        elif export.fmt == ReportExport.Format.CSV:
            content = exports.export_csv(matrix)
        else:
            content = exports.export_pdf(matrix, today=today)
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
