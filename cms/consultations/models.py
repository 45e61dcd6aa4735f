"""Public consultations (lấy ý kiến Nhân dân): Law 10/2022/QH15, Art. 11.11, 13, 25–26.

A draft is posted with open and close dates (30 days by default); citizens comment without an
account; comments are published only after moderation; the summary of how comments were taken up
(giải trình, tiếp thu) is shown once the consultation has closed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from lms.org.api import Unit

DEFAULT_DAYS = 30
COMMENT_MAX_LENGTH = 3000

MSG_CLOSE_BEFORE_OPEN = _("Ngày kết thúc phải sau ngày bắt đầu lấy ý kiến.")
MSG_SHORT_WINDOW = _(
    "Thời gian lấy ý kiến ít hơn %(days)s ngày. Nếu cần rút ngắn, hãy ghi rõ lý do vào ô "
    "“Lý do rút ngắn thời gian”."
)


class Status(models.TextChoices):
    UPCOMING = "upcoming", _("Sắp mở")
    OPEN = "open", _("Đang lấy ý kiến")
    CLOSED = "closed", _("Đã kết thúc")


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


class ConsultationIndexPage(Page):
    """The list of consultations, grouped by quarter (Art. 13: updated each quarter)."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["consultations.ConsultationPage"]
    max_count = 1
    template = "consultations/consultation_index_page.html"

    class Meta:
        verbose_name = _("danh mục lấy ý kiến Nhân dân")
        verbose_name_plural = _("danh mục lấy ý kiến Nhân dân")

    def get_context(self, request, *args, **kwargs):
        from .selectors import consultations_by_quarter

        context = super().get_context(request, *args, **kwargs)
        context.update(consultations_by_quarter(index=self, params=request.GET))
        return context


class ConsultationPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and not closes:
            closes = cleaned["closes_on"] = opens + dt.timedelta(days=DEFAULT_DAYS)
        if opens and closes:
            if closes <= opens:
                self.add_error("closes_on", MSG_CLOSE_BEFORE_OPEN)
            elif (closes - opens).days < DEFAULT_DAYS and not cleaned.get("short_window_reason"):
                self.add_error("short_window_reason", MSG_SHORT_WINDOW % {"days": DEFAULT_DAYS})
        return cleaned


class ConsultationPage(Page):
    """One draft put out for citizens' comments."""

    summary = models.TextField(
        _("tóm tắt"),
        max_length=600,
        help_text=_("Một đoạn ngắn: dự thảo về việc gì, ai nên góp ý."),
    )
    draft = RichTextField(_("nội dung dự thảo"))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tệp dự thảo đính kèm"),
    )
    issuing_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("đơn vị tổ chức lấy ý kiến"),
    )
    opens_on = models.DateField(_("bắt đầu lấy ý kiến"))
    closes_on = models.DateField(
        _("kết thúc lấy ý kiến"),
        blank=True,
        help_text=_("Để trống: 30 ngày sau ngày bắt đầu."),
    )
    short_window_reason = models.CharField(
        _("lý do rút ngắn thời gian"),
        max_length=255,
        blank=True,
        help_text=_("Chỉ cần khi thời gian lấy ý kiến ít hơn 30 ngày."),
    )
    explanation = RichTextField(
        _("báo cáo giải trình, tiếp thu ý kiến"),
        blank=True,
        help_text=_("Công bố sau khi kết thúc lấy ý kiến."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("issuing_unit"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")]),
                FieldPanel("short_window_reason"),
            ],
            heading=_("Thời gian lấy ý kiến"),
        ),
        FieldPanel("draft"),
        FieldPanel("document"),
        FieldPanel("explanation"),
    ]
    base_form_class = ConsultationPageForm
    parent_page_types = ["consultations.ConsultationIndexPage"]
    subpage_types: list[str] = []
    template = "consultations/consultation_page.html"

    class Meta:
        verbose_name = _("dự thảo lấy ý kiến")
        verbose_name_plural = _("dự thảo lấy ý kiến")

    def clean(self):
        super().clean()
        if self.opens_on and not self.closes_on:
            self.closes_on = self.opens_on + dt.timedelta(days=DEFAULT_DAYS)
        if self.opens_on and self.closes_on and self.closes_on <= self.opens_on:
            raise ValidationError({"closes_on": MSG_CLOSE_BEFORE_OPEN})

    def save(self, *args, **kwargs):
        if self.opens_on and not self.closes_on:
            self.closes_on = self.opens_on + dt.timedelta(days=DEFAULT_DAYS)
        return super().save(*args, **kwargs)

    def status_on(self, day: dt.date) -> str:
        if day < self.opens_on:
            return Status.UPCOMING
        if day > self.closes_on:
            return Status.CLOSED
        return Status.OPEN

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def quarter(self) -> int:
        return quarter_of(self.opens_on)

    def serve(self, request, *args, **kwargs):
        from .views import consultation_serve

        return consultation_serve(self, request, *args, **kwargs)


class CommentQuerySet(models.QuerySet):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=ConsultationComment.Status.APPROVED)

    def scoped(self, condition: Q | None) -> CommentQuerySet:
        return self if condition is None else self.filter(condition)


class ConsultationComment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ kiểm duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Không duyệt")

    page = models.ForeignKey(
        ConsultationPage,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("dự thảo"),
    )
    name = models.CharField(_("họ và tên"), max_length=120)
    locality = models.CharField(_("ấp, khu phố / xã, phường"), max_length=200, blank=True)
    locality_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("địa bàn"),
    )
    contact = models.CharField(
        _("số điện thoại hoặc email (không công khai)"), max_length=254, blank=True
    )
    body = models.TextField(_("nội dung góp ý"), max_length=COMMENT_MAX_LENGTH)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người kiểm duyệt"),
    )
    moderated_at = models.DateTimeField(_("kiểm duyệt lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ý kiến góp ý")
        verbose_name_plural = _("ý kiến góp ý")
        indexes = [
            models.Index(fields=["page", "status", "created_at"], name="consult_page_status")
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.page_id}"

    @property
    def locality_display(self) -> str:
        if self.locality_unit_id:
            return self.locality_unit.name
        return self.locality
