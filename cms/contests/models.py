"""Online legal-knowledge contests (cuộc thi tìm hiểu pháp luật trực tuyến) — Measure 2.

A contest page holds rounds; each round is a public quiz of the assessments engine (N random
questions from a bank category, a server-side time limit) plus a tie-breaker prediction. An entrant
is identified by phone; only the best entry per phone and round counts for the ranking.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from lms.org.api import Unit

MSG_CLOSE_BEFORE_OPEN = _("Thời điểm kết thúc phải sau thời điểm bắt đầu.")
MSG_NOT_ENOUGH_QUESTIONS = _(
    "Danh mục này chỉ có %(have)s câu hỏi đã duyệt, ít hơn số câu mỗi lượt (%(need)s)."
)

RICH_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class ContestPage(Page):
    """A contest (cuộc thi): introduction and its rounds (child pages)."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=RICH_FEATURES)
    organiser = models.CharField(_("đơn vị tổ chức"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("organiser"), FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["contests.ContestRoundPage"]
    template = "contests/contest_page.html"

    class Meta:
        verbose_name = _("cuộc thi tìm hiểu pháp luật")
        verbose_name_plural = _("cuộc thi tìm hiểu pháp luật")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["rounds"] = list(
            ContestRoundPage.objects.live()
            .public()
            .child_of(self)
            .only("id", "title", "url_path", "opens_at", "closes_at")
            .order_by("opens_at")
        )
        context["now"] = timezone.now()
        return context


class RoundPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", MSG_CLOSE_BEFORE_OPEN)
        category, need = cleaned.get("category"), cleaned.get("question_count")
        if category is not None and need:
            from assessments.api import reviewed_question_count

            have = reviewed_question_count(category=category)
            if have < need:
                self.add_error(
                    "question_count", MSG_NOT_ENOUGH_QUESTIONS % {"have": have, "need": need}
                )
        return cleaned


class RoundStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Sắp mở")
    OPEN = "open", _("Đang diễn ra")
    CLOSED = "closed", _("Đã kết thúc")


class ContestRoundPage(RoutablePageMixin, Page):
    """One round (đợt thi): a window, N random questions per entry, a time limit, rules, prizes."""

    opens_at = models.DateTimeField(_("bắt đầu lúc"))
    closes_at = models.DateTimeField(_("kết thúc lúc"))
    category = models.ForeignKey(
        "assessments.QuestionCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("danh mục câu hỏi"),
        help_text=_(
            "Mỗi lượt thi rút ngẫu nhiên câu hỏi đã duyệt từ danh mục này (gồm danh mục con)."
        ),
    )
    question_count = models.PositiveSmallIntegerField(
        _("số câu hỏi mỗi lượt"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("thời gian làm bài (phút)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    max_entries_per_phone = models.PositiveSmallIntegerField(
        _("số lượt thi tối đa mỗi số điện thoại"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Chỉ lượt thi tốt nhất của mỗi số điện thoại được xếp hạng."),
    )
    top_n = models.PositiveSmallIntegerField(
        _("số người đạt giải công bố"), default=10, validators=[MinValueValidator(1)]
    )
    rules = RichTextField(_("thể lệ"), blank=True, features=RICH_FEATURES)
    prizes = RichTextField(_("cơ cấu giải thưởng"), blank=True, features=RICH_FEATURES)
    consent_text = models.TextField(
        _("nội dung đồng ý"),
        default=_(
            "Tôi đồng ý để Ban Tổ chức lưu họ tên, số điện thoại, địa bàn của tôi để chấm, xếp "
            "hạng và liên hệ trao giải. Số điện thoại không được công khai."
        ),
    )
    base_form_class = RoundPageForm
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("category"),
                FieldRowPanel(
                    [
                        FieldPanel("question_count"),
                        FieldPanel("time_limit_minutes"),
                        FieldPanel("max_entries_per_phone"),
                        FieldPanel("top_n"),
                    ]
                ),
            ],
            heading=_("Đề thi"),
        ),
        FieldPanel("rules"),
        FieldPanel("prizes"),
        FieldPanel("consent_text"),
    ]
    parent_page_types = ["contests.ContestPage"]
    subpage_types: list[str] = []
    template = "contests/round_page.html"

    class Meta:
        verbose_name = _("đợt thi")
        verbose_name_plural = _("đợt thi")

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return RoundStatus.UPCOMING
        if now >= self.closes_at:
            return RoundStatus.CLOSED
        return RoundStatus.OPEN

    def is_open(self, now=None) -> bool:
        return self.status(now) == RoundStatus.OPEN

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Keep the engine's quiz in step with the round (window, draw, time limit).
        from .services import round_quiz_sync

        round_quiz_sync(round_page=self)

    # Public routes (the views live in views.py).
    @path("")
    def round_home(self, request):
        from .views import round_view

        return round_view(request, self)

    @path("du-thi/")
    def enter(self, request):
        from .views import enter_view

        return enter_view(request, self)

    @path("bai-thi/<int:entry_id>/")
    def entry_attempt(self, request, entry_id):
        from .views import entry_attempt_view

        return entry_attempt_view(request, self, entry_id)

    @path("bai-thi/<int:entry_id>/nop-bai/")
    def entry_submit(self, request, entry_id):
        from .views import entry_submit_view

        return entry_submit_view(request, self, entry_id)

    @path("bai-thi/<int:entry_id>/du-doan/")
    def entry_predict(self, request, entry_id):
        from .views import entry_predict_view

        return entry_predict_view(request, self, entry_id)

    @path("bai-thi/<int:entry_id>/ket-qua/")
    def entry_result(self, request, entry_id):
        from .views import entry_result_view

        return entry_result_view(request, self, entry_id)

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": MSG_CLOSE_BEFORE_OPEN})


class RoundState(models.Model):
    """What the system keeps for a round outside the page's revisions: its quiz and its result.

    Kept off the page so that publishing an older revision never unlinks the quiz or the result.
    """

    round = models.OneToOneField(
        ContestRoundPage, on_delete=models.CASCADE, primary_key=True, related_name="state"
    )
    quiz = models.OneToOneField(
        "assessments.Quiz", on_delete=models.PROTECT, related_name="contest_round_state"
    )
    closed_at = models.DateTimeField(_("đã tổng kết lúc"), null=True, blank=True)
    fully_correct_count = models.PositiveIntegerField(
        _("số người có bài đúng hoàn toàn"), null=True, blank=True
    )

    def __str__(self) -> str:
        return str(self.round_id)


class Entry(models.Model):
    """One entry (lượt thi) of a citizen in a round: an attempt of the round's quiz + a prediction."""

    round = models.ForeignKey(
        ContestRoundPage,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("đợt thi"),
    )
    number = models.PositiveSmallIntegerField(_("lượt thứ"), default=1)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    phone = models.CharField(_("số điện thoại"), max_length=20)
    commune = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường")
    )
    hamlet = models.CharField(_("thôn, ấp, khu phố"), max_length=200, blank=True)
    attempt = models.OneToOneField(
        "assessments.Attempt",
        on_delete=models.CASCADE,
        related_name="contest_entry",
        verbose_name=_("bài làm"),
    )
    prediction = models.PositiveIntegerField(
        _("dự đoán số bài đúng hoàn toàn"), null=True, blank=True
    )
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("đăng ký lúc"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lượt thi")
        verbose_name_plural = _("lượt thi")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "phone", "number"], name="contest_entry_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["round", "phone"], name="contest_entry_phone"),
            models.Index(fields=["round", "commune"], name="contest_entry_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.round} #{self.number}"


class RoundCommuneActivity(models.Model):
    """The dissemination activity (form “contest”) recorded for a commune when a round closes."""

    round = models.ForeignKey(
        ContestRoundPage, on_delete=models.CASCADE, related_name="commune_activities"
    )
    commune = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    activity_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "commune"], name="contest_round_commune_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.commune_id} · {self.activity_id}"


class ContestCertificate(models.Model):
    """A winner's certificate, issued at most once per round and phone."""

    round = models.ForeignKey(
        ContestRoundPage, on_delete=models.CASCADE, related_name="certificates"
    )
    phone = models.CharField(max_length=20)
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(_("hạng"))
    serial = models.CharField(_("số"), max_length=60)
    code = models.CharField(_("mã xác minh"), max_length=40, unique=True)
    pdf = models.FileField(upload_to="contests/certificates/%Y/", blank=True)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "phone"], name="contest_certificate_once"),
        ]

    def __str__(self) -> str:
        return self.serial


__all__ = [
    "ContestCertificate",
    "ContestPage",
    "ContestRoundPage",
    "Entry",
    "RoundCommuneActivity",
    "RoundStatus",
]
