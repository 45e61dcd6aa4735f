"""Quizzes, public entrants and attempts. Imported into ``assessments.models`` so Django registers them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

REVIEW_AFTER_CLOSE_NEEDS_CLOSE = _("Chế độ “sau khi đóng đề” cần có thời điểm đóng đề.")
WINDOW_INVALID = _("Thời điểm đóng đề phải sau thời điểm mở đề.")


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Lần cao nhất")
    LAST = "last", _("Lần cuối cùng")
    FIRST = "first", _("Lần đầu tiên")
    AVERAGE = "average", _("Trung bình các lần")


class ReviewWhen(models.TextChoices):
    IMMEDIATELY = "immediately", _("Ngay sau khi nộp bài")
    AFTER_CLOSE = "after_close", _("Sau khi đóng đề")
    NEVER = "never", _("Không hiển thị")


class Quiz(ClusterableModel):
    title = models.CharField(_("tên bài kiểm tra"), max_length=255)
    bank = models.ForeignKey(
        "assessments.QuestionBank",
        on_delete=models.PROTECT,
        related_name="quizzes",
        verbose_name=_("ngân hàng câu hỏi"),
    )
    intro = models.TextField(_("hướng dẫn, quy chế"), blank=True)
    shuffle_questions = models.BooleanField(_("xáo trộn câu hỏi"), default=True)
    shuffle_choices = models.BooleanField(
        _("xáo trộn phương án"),
        default=True,
        help_text=_("Chỉ áp dụng cho câu hỏi cho phép xáo trộn phương án."),
    )
    time_limit = models.PositiveIntegerField(
        _("thời gian làm bài (giây)"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu không giới hạn thời gian."),
    )
    open_at = models.DateTimeField(_("mở đề lúc"), null=True, blank=True)
    close_at = models.DateTimeField(_("đóng đề lúc"), null=True, blank=True)
    attempts_allowed = models.PositiveIntegerField(
        _("số lần làm bài tối đa"), default=1, help_text=_("0 = không giới hạn.")
    )
    pass_percent = models.DecimalField(
        _("điểm đạt (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    grading_method = models.CharField(
        _("cách tính điểm"),
        max_length=10,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
    )
    review_score = models.CharField(
        _("xem điểm"), max_length=12, choices=ReviewWhen.choices, default=ReviewWhen.IMMEDIATELY
    )
    review_answers = models.CharField(
        _("xem đáp án đúng"),
        max_length=12,
        choices=ReviewWhen.choices,
        default=ReviewWhen.AFTER_CLOSE,
    )
    review_explanations = models.CharField(
        _("xem giải thích"),
        max_length=12,
        choices=ReviewWhen.choices,
        default=ReviewWhen.AFTER_CLOSE,
    )
    is_public = models.BooleanField(_("mở cho người dân (không cần tài khoản)"), default=False)
    is_knowledge_check = models.BooleanField(
        _("câu hỏi ôn tập trong bài học (không tính điểm)"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bài kiểm tra")
        verbose_name_plural = _("bài kiểm tra")
        constraints = [
            models.CheckConstraint(
                condition=Q(open_at__isnull=True)
                | Q(close_at__isnull=True)
                | Q(close_at__gt=models.F("open_at")),
                name="assess_quiz_window_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.open_at and self.close_at and self.close_at <= self.open_at:
            errors["close_at"] = WINDOW_INVALID
        if not self.close_at:
            for field in ("review_score", "review_answers", "review_explanations"):
                if getattr(self, field) == ReviewWhen.AFTER_CLOSE:
                    errors[field] = REVIEW_AFTER_CLOSE_NEEDS_CLOSE
        if errors:
            raise ValidationError(errors)

    @property
    def time_limit_minutes(self) -> int | None:
        return None if not self.time_limit else -(-self.time_limit // 60)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.open_at is None or self.open_at <= now) and (
            self.close_at is None or now < self.close_at
        )

    def is_closed(self, now=None) -> bool:
        now = now or timezone.now()
        return self.close_at is not None and now >= self.close_at


class QuizSlot(models.Model):
    class Kind(models.TextChoices):
        FIXED = "fixed", _("Câu hỏi cố định")
        RANDOM = "random", _("Ngẫu nhiên từ danh mục")

    class Spread(models.TextChoices):
        NONE = "", _("Không")
        ARTICLE = "article", _("Rải đều theo điều luật")
        DIFFICULTY = "difficulty", _("Rải đều theo độ khó")

    quiz = ParentalKey(
        Quiz, on_delete=models.CASCADE, related_name="slots", verbose_name=_("bài kiểm tra")
    )
    sort_order = models.IntegerField(_("thứ tự"), default=0, editable=False)
    kind = models.CharField(_("kiểu"), max_length=10, choices=Kind.choices, default=Kind.FIXED)
    question = models.ForeignKey(
        "assessments.Question",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("câu hỏi"),
    )
    category = models.ForeignKey(
        "assessments.QuestionCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("danh mục"),
    )
    count = models.PositiveIntegerField(_("số câu"), default=1)
    include_subcategories = models.BooleanField(_("gồm cả danh mục con"), default=True)
    spread = models.CharField(
        _("rải đều"), max_length=12, choices=Spread.choices, blank=True, default=""
    )
    sort_order_field = "sort_order"

    mark = models.DecimalField(
        _("điểm mỗi câu"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Để trống để dùng điểm mặc định của câu hỏi."),
    )

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("mục của đề")
        verbose_name_plural = _("các mục của đề")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="fixed") & Q(question__isnull=False))
                | (Q(kind="random") & Q(category__isnull=False) & Q(count__gte=1)),
                name="assess_slot_kind_fields",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.FIXED:
            return str(self.question)
        return _("%(n)s câu ngẫu nhiên từ %(c)s") % {"n": self.count, "c": self.category}


class PublicEntrant(models.Model):
    """A citizen taking a public quiz without an account. One per phone number and quiz."""

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="entrants", verbose_name=_("bài kiểm tra")
    )
    full_name = models.CharField(_("họ và tên"), max_length=200)
    phone = models.CharField(_("số điện thoại"), max_length=20)
    locality = models.CharField(_("xã, phường, đơn vị"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("người dự thi")
        verbose_name_plural = _("người dự thi")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "phone"], name="assess_entrant_one_per_phone"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.phone})"


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Đang làm")
    SUBMITTED = "submitted", _("Đã nộp")
    ABANDONED = "abandoned", _("Bỏ dở")


class AttemptQuerySet(models.QuerySet):
    def open(self) -> AttemptQuerySet:
        return self.filter(state=AttemptState.IN_PROGRESS)

    def graded(self) -> AttemptQuerySet:
        return self.filter(state=AttemptState.SUBMITTED, graded_at__isnull=False)


class Attempt(models.Model):
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("bài kiểm tra")
    )
    person = models.ForeignKey(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        verbose_name=_("người làm bài"),
    )
    public_entrant = models.ForeignKey(
        PublicEntrant,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempts",
        verbose_name=_("người dự thi"),
    )
    number = models.PositiveIntegerField(_("lần thứ"), default=1)
    state = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=AttemptState.choices,
        default=AttemptState.IN_PROGRESS,
    )
    started_at = models.DateTimeField(_("bắt đầu lúc"), default=timezone.now)
    deadline = models.DateTimeField(_("hạn nộp"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("hệ thống tự nộp"), default=False)
    score = models.DecimalField(_("điểm"), max_digits=9, decimal_places=3, null=True, blank=True)
    max_score = models.DecimalField(
        _("điểm tối đa"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    percent = models.DecimalField(
        _("tỉ lệ (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("đạt"), null=True, blank=True)
    graded_at = models.DateTimeField(_("chấm lúc"), null=True, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("lượt làm bài")
        verbose_name_plural = _("lượt làm bài")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "person"],
                condition=Q(state="in_progress") & Q(person__isnull=False),
                name="assess_one_open_attempt_per_person",
            ),
            models.UniqueConstraint(
                fields=["quiz", "person", "number"],
                condition=Q(person__isnull=False),
                name="assess_attempt_number_unique",
            ),
            # One counted attempt per phone number and quiz (the entrant is unique per phone).
            models.UniqueConstraint(
                fields=["public_entrant"],
                condition=Q(public_entrant__isnull=False),
                name="assess_one_attempt_per_entrant",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(public_entrant__isnull=False),
                name="assess_attempt_has_owner",
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS


class AttemptQuestion(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    question = models.ForeignKey("assessments.Question", on_delete=models.PROTECT, related_name="+")
    mark = models.DecimalField(max_digits=6, decimal_places=2)
    # What the question looked like when the attempt started; grading and rendering use this, never the live row.
    snapshot = models.JSONField()
    fraction = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    score = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="assess_aq_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.position}"


class AttemptChoice(models.Model):
    """One shown option, in its frozen position. For matching: prompts and answer options are both rows."""

    attempt_question = models.ForeignKey(
        AttemptQuestion, on_delete=models.CASCADE, related_name="options"
    )
    position = models.PositiveIntegerField()
    choice = models.ForeignKey(
        "assessments.Choice", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pair = models.ForeignKey(
        "assessments.MatchPair", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Source ids are kept as plain integers too: grading must work even if the bank row is later deleted.
    source_id = models.BigIntegerField()
    is_prompt = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt_question", "is_prompt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt_question", "is_prompt", "position"],
                name="assess_ac_position_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_question_id}:{'p' if self.is_prompt else 'o'}{self.position}"


class Response(models.Model):
    attempt_question = models.OneToOneField(
        AttemptQuestion, on_delete=models.CASCADE, related_name="response"
    )
    answer = models.JSONField(null=True, blank=True)
    seq = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.attempt_question_id}@{self.seq}"
