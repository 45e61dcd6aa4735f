"""Year-end lock: a unit's figures frozen for a year, and the log of later corrections."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportSnapshot(models.Model):
    """The figures of a unit's report for a year as locked; rendered from here forever after."""

    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="report_snapshots",
        verbose_name=_("đơn vị"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    # Figures with unit names as they were when locked (see selectors.unit_report / snapshot_data).
    data = models.JSONField(_("số liệu"))
    content_hash = models.CharField(_("mã kiểm tra SHA-256"), max_length=64)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người khóa"),
    )
    locked_at = models.DateTimeField(_("khóa lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo năm đã khóa")
        verbose_name_plural = _("báo cáo năm đã khóa")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="reports_snapshot_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}"


class ReportAmendment(models.Model):
    """A correction to a locked report: who, when, why, and the figures before and after."""

    snapshot = models.ForeignKey(
        ReportSnapshot,
        on_delete=models.CASCADE,
        related_name="amendments",
        verbose_name=_("báo cáo"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người sửa"),
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    reason = models.TextField(_("lý do"))
    before = models.JSONField(_("trước"))
    after = models.JSONField(_("sau"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("điều chỉnh báo cáo")
        verbose_name_plural = _("điều chỉnh báo cáo")
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="reports_amendment_reason")
        ]

    def __str__(self) -> str:
        return f"{self.snapshot} — {self.created_at:%d/%m/%Y}"


class ReportExport(models.Model):
    """A background export of a report (a whole city can take a while); downloaded when done."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo tệp")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        CSV = "csv", "CSV"
        PDF = "pdf", "PDF"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    fmt = models.CharField(_("định dạng"), max_length=4, choices=Format.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=3)
    file = models.FileField(_("tệp"), upload_to="reports/exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tệp báo cáo")
        verbose_name_plural = _("tệp báo cáo")

    def __str__(self) -> str:
        return f"{self.unit} — {self.year} ({self.fmt})"

    @property
    def percent(self) -> int:
        return (
            100 if self.status == self.Status.DONE else round(100 * self.done / max(self.total, 1))
        )


# Stands in for “no date” in CompletionCount keys (a NULL would make the unique key leak).
NO_DATE = dt.date(1970, 1, 1)


class CompletionCount(models.Model):
    """Pre-aggregated obligation counts that the dashboard reads instead of `Assignment` rows.

    One row counts the active assignments of one (unit, year) with the same status and breakdown
    key. `scope` tells whether the row counts the unit's own assignments (`own`: derived from
    `training.Assignment` by `counts.refresh`) or the unit's whole subtree (`tree`: its own rows
    plus its children's tree rows, so any unit's roll-up is read from its children's rows).
    Three breakdowns keep each read to a few hundred rows:
    `group` (key = target group id, 0 = no group), `course` (key = course page id) and
    `month` (completed rows by month of completion; key 0). Open rows keep their due date so
    “overdue” (open, due before today) is still decided at read time. See decision 0008.
    """

    class Scope(models.TextChoices):
        OWN = "own", _("tại đơn vị")
        TREE = "tree", _("cả đơn vị trực thuộc")

    class Breakdown(models.TextChoices):
        GROUP = "group", _("theo nhóm đối tượng")
        COURSE = "course", _("theo khóa học")
        MONTH = "month", _("theo tháng hoàn thành")

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    scope = models.CharField(_("phạm vi"), max_length=4, choices=Scope.choices)
    breakdown = models.CharField(_("chiều thống kê"), max_length=6, choices=Breakdown.choices)
    key = models.PositiveIntegerField(_("khóa"), default=0)
    status = models.CharField(_("trạng thái"), max_length=12)
    due_date = models.DateField(_("hạn hoàn thành"), default=NO_DATE)
    month = models.DateField(_("tháng hoàn thành"), default=NO_DATE)
    n = models.PositiveIntegerField(_("số lượng"))

    class Meta:
        verbose_name = _("số liệu tổng hợp hoàn thành")
        verbose_name_plural = _("số liệu tổng hợp hoàn thành")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "scope", "breakdown", "key", "status", "due_date", "month"],
                name="reports_completioncount_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}/{self.scope}/{self.breakdown}/{self.key}: {self.n}"
