"""In-app notifications; the unique key makes every reminder at-most-once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(user=user)


class Notification(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Nhiệm vụ mới")
        DUE_14 = "due14", _("Còn 14 ngày")
        DUE_3 = "due3", _("Còn 3 ngày")
        OVERDUE = "overdue", _("Quá hạn")
        DIGEST = "digest", _("Tổng hợp hằng tuần")
        SESSION = "session", _("Mời dự lớp tập huấn")

    person = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("người nhận"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("tài khoản nhận"),
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    # e.g. "due14:<assignment id>:<due date>": the same event never notifies twice.
    key = models.CharField(_("khóa"), max_length=120, unique=True)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    link = models.CharField(_("liên kết"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(user__isnull=False),
                name="training_notification_has_recipient",
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title
