"""In-person training sessions (lớp tập huấn) and who attended them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel


class SessionQuerySet(models.QuerySet):
    def upcoming(self) -> SessionQuerySet:
        return self.filter(ends_at__gte=timezone.now())


class Session(ClusterableModel):
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="training_sessions",
        verbose_name=_("khóa học"),
    )
    title = models.CharField(_("tên lớp"), max_length=255)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    place = models.CharField(_("địa điểm"), max_length=255)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_sessions",
        verbose_name=_("giảng viên"),
    )
    invited_units = ParentalManyToManyField(
        "org.Unit",
        related_name="training_sessions",
        verbose_name=_("đơn vị được mời"),
        help_text=_("Mời người có vị trí tại các đơn vị này và đơn vị trực thuộc."),
    )
    invited_target_groups = ParentalManyToManyField(
        "org.TargetGroup",
        blank=True,
        related_name="training_sessions",
        verbose_name=_("nhóm đối tượng được mời"),
        help_text=_("Để trống: mời mọi nhóm đối tượng."),
    )
    quiz = models.ForeignKey(
        "assessments.Quiz",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_sessions",
        verbose_name=_("bài kiểm tra sau lớp"),
        help_text=_("Không bắt buộc. Chỉ người đã điểm danh mới thấy đường dẫn làm bài."),
    )
    quiz_required = models.BooleanField(
        _("phải đạt bài kiểm tra mới tính hoàn thành"),
        default=False,
        help_text=_(
            "Bật: người dự lớp chỉ được tính hoàn thành yêu cầu bồi dưỡng khi đạt bài kiểm tra. "
            "Tắt: điểm danh là đủ, bài kiểm tra để tự đánh giá."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("course"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("place"),
        FieldPanel("trainer"),
        MultiFieldPanel(
            [FieldPanel("invited_units"), FieldPanel("invited_target_groups")],
            heading=_("Người được mời"),
        ),
        MultiFieldPanel(
            [FieldPanel("quiz"), FieldPanel("quiz_required")],
            heading=_("Bài kiểm tra sau lớp"),
        ),
    ]

    class Meta:
        ordering = ["-starts_at", "id"]
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="training_session_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        if self.quiz_required and self.quiz_id is None:
            raise ValidationError(
                {
                    "quiz_required": _(
                        "Hãy chọn bài kiểm tra sau lớp trước khi đặt yêu cầu phải đạt."
                    )
                }
            )

    @property
    def completes_on_attendance(self) -> bool:
        """Attendance alone completes the requirement unless the quiz must be passed first."""
        return not (self.quiz_id and self.quiz_required)


def evidence_upload_to(instance: AttendanceEvidence, filename: str) -> str:
    return f"training/attendance/{instance.session_id}/{filename}"


class AttendanceEvidence(models.Model):
    """A scanned signed paper attendance list (danh sách ký nhận)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("lớp")
    )
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("danh sách ký nhận")
        verbose_name_plural = _("danh sách ký nhận")

    def __str__(self) -> str:
        return self.file.name


class Attendance(models.Model):
    class Method(models.TextChoices):
        QR = "qr", _("Quét mã QR")
        ROSTER = "roster", _("Giảng viên điểm danh")
        PAPER = "paper", _("Danh sách ký nhận")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("lớp")
    )
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.CASCADE,
        related_name="training_attendances",
        verbose_name=_("người dự"),
    )
    method = models.CharField(_("cách điểm danh"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)
    evidence = models.ForeignKey(
        AttendanceEvidence, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="training_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.session}"
