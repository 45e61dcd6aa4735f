"""Year-end lock: a unit's figures frozen for a year, and the log of later corrections."""

from __future__ import annotations

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
