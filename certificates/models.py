"""Certificate templates, per-course settings, issued certificates and their rendered files."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import PreviewableMixin

PLACEHOLDERS = (
    "ho_ten",
    "don_vi",
    "khoa_hoc",
    "thoi_luong",
    "ket_qua",
    "tu_ngay",
    "den_ngay",
    "ngay_cap",
)
MSG_UNKNOWN_PLACEHOLDER = _("Không có trường {%(names)s}. Chỉ dùng các trường được liệt kê.")
DEFAULT_BODY = (
    "Đã hoàn thành khóa bồi dưỡng “{khoa_hoc}” (thời lượng {thoi_luong}) "
    "từ ngày {tu_ngay} đến ngày {den_ngay}.\nKết quả: {ket_qua}."
)


class CertificateTemplate(PreviewableMixin, models.Model):
    """How a certificate looks and who issues it. Editable by administrators (a Wagtail snippet)."""

    class Orientation(models.TextChoices):
        LANDSCAPE = "landscape", _("Khổ ngang")
        PORTRAIT = "portrait", _("Khổ dọc")

    class SignerPrefix(models.TextChoices):
        NONE = "", _("(Ký trực tiếp)")
        TM = "TM.", _("TM. (thay mặt tập thể)")
        KT = "KT.", _("KT. (ký thay người đứng đầu)")
        Q = "Q.", _("Q. (quyền)")
        TL = "TL.", _("TL. (thừa lệnh)")
        TUQ = "TUQ.", _("TUQ. (thừa ủy quyền)")

    name = models.CharField(_("tên mẫu"), max_length=200)
    issuer_unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("đơn vị cấp"),
        help_text=_("Quản lý đơn vị chỉ cấp, thu hồi giấy chứng nhận trong phạm vi đơn vị mình."),
    )
    parent_body = models.CharField(
        _("cơ quan chủ quản"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: UBND TP. HỒ CHÍ MINH"),
    )
    issuing_body = models.CharField(
        _("cơ quan cấp"), max_length=200, help_text=_("Ví dụ: ỦY BAN NHÂN DÂN XÃ BẮC TÂN UYÊN")
    )
    place_name = models.CharField(
        _("địa danh"),
        max_length=120,
        help_text=_("Địa danh ghi trên giấy tại thời điểm cấp, ví dụ “Bắc Tân Uyên”."),
    )
    serial_prefix = models.CharField(
        _("ký hiệu số"),
        max_length=40,
        help_text=_("Ví dụ “GCN-UBND”: số được ghi là “Số: 0012/GCN-UBND”, đánh lại từ 1 mỗi năm."),
    )
    title = models.CharField(_("tiêu đề"), max_length=120, default="GIẤY CHỨNG NHẬN")
    intro = models.CharField(
        _("câu dẫn"),
        max_length=300,
        default="Chứng nhận:",
        help_text=_("Ví dụ: “Ủy ban nhân dân xã Bắc Tân Uyên chứng nhận:”."),
    )
    body = models.TextField(
        _("nội dung"),
        default=DEFAULT_BODY,
        help_text=_(
            "Có thể dùng: {ho_ten}, {don_vi}, {khoa_hoc}, {thoi_luong}, {ket_qua}, {tu_ngay}, "
            "{den_ngay}, {ngay_cap}."
        ),
    )
    signer_prefix = models.CharField(
        _("thẩm quyền ký"), max_length=5, choices=SignerPrefix.choices, blank=True
    )
    signer_authority = models.CharField(
        _("tập thể / người đứng đầu"),
        max_length=120,
        blank=True,
        help_text=_("Dòng sau thẩm quyền ký, ví dụ “ỦY BAN NHÂN DÂN” (TM.) hoặc “CHỦ TỊCH” (KT.)."),
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120)
    signer_name = models.CharField(_("họ tên người ký"), max_length=120)
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ảnh chữ ký (PNG nền trong)"),
    )
    seal_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ảnh con dấu (PNG nền trong)"),
    )
    background_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ảnh nền"),
    )
    orientation = models.CharField(
        _("khổ giấy"), max_length=10, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("issuer_unit"),
                FieldPanel("parent_body"),
                FieldPanel("issuing_body"),
                FieldPanel("place_name"),
                FieldPanel("serial_prefix"),
            ],
            heading=_("Cơ quan cấp"),
        ),
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("intro"), FieldPanel("body")],
            heading=_("Nội dung"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("signer_prefix"),
                FieldPanel("signer_authority"),
                FieldPanel("signer_title"),
                FieldPanel("signer_name"),
                FieldPanel("signature_image"),
                FieldPanel("seal_image"),
            ],
            heading=_("Người ký"),
        ),
        MultiFieldPanel(
            [FieldPanel("orientation"), FieldPanel("background_image")], heading=_("Trình bày")
        ),
    ]

    class Meta:
        verbose_name = _("mẫu giấy chứng nhận")
        verbose_name_plural = _("mẫu giấy chứng nhận")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from .formatting import unknown_placeholders

        unknown = unknown_placeholders(self.body)
        if unknown:
            raise ValidationError({"body": MSG_UNKNOWN_PLACEHOLDER % {"names": ", ".join(unknown)}})

    def get_preview_template(self, request, mode_name):
        return "certificates/admin/template_preview.html"

    def get_preview_context(self, request, mode_name):
        from .preview import template_preview_data_uri

        context = super().get_preview_context(request, mode_name)
        context["preview_png"] = template_preview_data_uri(template=self)
        return context


class CourseCertificateSetting(models.Model):
    """Which template a course's certificates use and how long they stay valid.

    Kept here (not on the course page) so dependencies point from certificates to courses.
    Courses sharing a `series` (a course and next year's refresher copy) recertify each other.
    """

    course = models.OneToOneField(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="certificate_setting",
        verbose_name=_("khóa học"),
    )
    template = models.ForeignKey(
        CertificateTemplate,
        on_delete=models.PROTECT,
        related_name="course_settings",
        verbose_name=_("mẫu giấy chứng nhận"),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("thời hạn (tháng)"),
        null=True,
        blank=True,
        default=12,
        help_text=_("Để trống nếu giấy chứng nhận không có thời hạn."),
    )
    series = models.SlugField(
        _("chuỗi bồi dưỡng lại"),
        max_length=80,
        blank=True,
        help_text=_(
            "Các khóa cùng chuỗi (ví dụ khóa năm nay và khóa bồi dưỡng lại năm sau) thay thế "
            "giấy chứng nhận của nhau. Để trống: chỉ khóa này."
        ),
    )
    result_text = models.CharField(
        _("kết quả ghi trên giấy"), max_length=120, default="Hoàn thành", blank=True
    )
    is_active = models.BooleanField(_("tự động cấp khi hoàn thành"), default=True)

    panels = [
        FieldPanel("course"),
        FieldPanel("template"),
        FieldPanel("validity_months"),
        FieldPanel("series"),
        FieldPanel("result_text"),
        FieldPanel("is_active"),
    ]

    class Meta:
        verbose_name = _("cấp giấy chứng nhận của khóa học")
        verbose_name_plural = _("cấp giấy chứng nhận của khóa học")

    def __str__(self) -> str:
        return f"{self.course} → {self.template}"

    @property
    def series_key(self) -> str:
        return self.series or f"course-{self.course_id}"


class SerialCounter(models.Model):
    """The last serial number used by one issuer (serial prefix) in one year."""

    serial_prefix = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["serial_prefix", "year"], name="certificates_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.serial_prefix} {self.year}: {self.last_number}"


class CertificateQuerySet(models.QuerySet):
    def for_person(self, person) -> CertificateQuerySet:
        return self.filter(person=person)

    def not_revoked(self) -> CertificateQuerySet:
        return self.exclude(status=Certificate.Status.REVOKED)


class Certificate(models.Model):
    """One issued certificate. Texts are snapshots as at issue: later renames never change them."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang dùng")
        ARCHIVED = "archived", _("Đã thay bằng giấy mới")
        REVOKED = "revoked", _("Đã thu hồi")

    person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("người học"),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("khóa học"),
    )
    template = models.ForeignKey(
        CertificateTemplate, on_delete=models.PROTECT, related_name="certificates"
    )
    unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
        verbose_name=_("đơn vị"),
    )
    series = models.CharField(max_length=90)
    cycle_year = models.PositiveSmallIntegerField(_("năm"))
    serial_prefix = models.CharField(max_length=40)
    serial_year = models.PositiveSmallIntegerField()
    serial_number = models.PositiveIntegerField()
    code = models.CharField(_("mã xác minh"), max_length=64, unique=True)
    code_digest = models.CharField(max_length=64, unique=True)
    holder_name = models.CharField(_("họ và tên"), max_length=200)
    holder_salutation = models.CharField(max_length=10, default="Ông/Bà")
    unit_name = models.CharField(_("đơn vị"), max_length=255, blank=True)
    course_title = models.CharField(_("khóa học"), max_length=255)
    duration_text = models.CharField(max_length=60, blank=True)
    result_text = models.CharField(max_length=120, blank=True)
    parent_body = models.CharField(max_length=200, blank=True)
    issuing_body = models.CharField(_("cơ quan cấp"), max_length=200)
    place_name = models.CharField(max_length=120)
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField()
    issued_on = models.DateField(_("ngày cấp"))
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    manual_reason = models.CharField(_("lý do cấp thủ công"), max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(_("lý do thu hồi"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField(_("tệp PDF"), upload_to="certificates/pdf/%Y/", blank=True)
    preview_png = models.FileField(upload_to="certificates/png/%Y/", blank=True)
    render_version = models.PositiveSmallIntegerField(default=0)
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("giấy chứng nhận")
        verbose_name_plural = _("giấy chứng nhận")
        ordering = ["-issued_on", "-id"]
        constraints = [
            # Exactly one live certificate per person, series and cycle, whatever races.
            models.UniqueConstraint(
                fields=["person", "series", "cycle_year"],
                condition=~Q(status="revoked"),
                name="certificates_one_per_cycle",
            ),
            models.UniqueConstraint(
                fields=["serial_prefix", "serial_year", "serial_number"],
                name="certificates_serial_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False),
                name="certificates_revoked_has_date",
            ),
        ]
        indexes = [models.Index(fields=["course", "cycle_year"])]

    def __str__(self) -> str:
        return f"{self.serial} — {self.holder_name}"

    @property
    def serial(self) -> str:
        return f"{self.serial_number:04d}/{self.serial_prefix}"

    def display_status(self, today: dt.date | None = None) -> str:
        """valid / expired / revoked, as shown to the public."""
        today = today or timezone.localdate()
        if self.status == self.Status.REVOKED:
            return "revoked"
        if self.status == self.Status.ARCHIVED or (self.valid_until and self.valid_until < today):
            return "expired"
        return "valid"


class CertificateRender(models.Model):
    """Every PDF ever rendered for a certificate; the newest is also `Certificate.pdf`."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="renders")
    version = models.PositiveSmallIntegerField()
    pdf = models.FileField(upload_to="certificates/pdf/%Y/")
    template_updated_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["certificate", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "version"], name="certificates_render_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} v{self.version}"


class BulkExport(models.Model):
    """A ZIP of a unit subtree's certificates for one course and year, built in the background."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="certificates/zip/", blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.course_id} · {self.year}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return 0 if not self.total else min(100, self.done * 100 // self.total)
