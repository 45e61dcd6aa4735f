"""Who changed an assignment, an exemption or an attendance record, when, from what to what."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        )


class AuditEntry(models.Model):
    """Append-only trail. Rows are written by services, never edited."""

    class Action(models.TextChoices):
        CREATED = "created", _("Tạo mới")
        UPDATED = "updated", _("Cập nhật")
        COMPLETED = "completed", _("Hoàn thành")
        EXEMPTED = "exempted", _("Miễn")
        DEACTIVATED = "deactivated", _("Ngừng tính")
        REACTIVATED = "reactivated", _("Tính lại")
        MOVED = "moved", _("Chuyển đơn vị")
        ATTENDED = "attended", _("Điểm danh")
        UNATTENDED = "unattended", _("Hủy điểm danh")
        REVERTED = "reverted", _("Hủy ghi nhận hoàn thành")
        EVIDENCE = "evidence", _("Tải lên danh sách ký nhận")
        PLAN_COPIED = "plan_copied", _("Chép kế hoạch")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("đối tượng"), max_length=255)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.object_repr}"
