"""Assessments data: question banks (this module) and quizzes/attempts (``assessments.quiz_models``).

The question-bank field names are a contract shared with ``assessments.formats``/``importing``
(see ASSESSMENTS_MODEL.md); change them only together.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import PreviewableMixin


class QuestionBank(models.Model):
    name = models.CharField(_("tên ngân hàng"), max_length=200)
    slug = models.SlugField(_("mã (slug)"), max_length=100, unique=True)
    description = models.TextField(_("mô tả"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ngân hàng câu hỏi")
        verbose_name_plural = _("ngân hàng câu hỏi")

    def __str__(self) -> str:
        return self.name


class QuestionCategory(models.Model):
    bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.CASCADE,
        related_name="categories",
        verbose_name=_("ngân hàng"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("danh mục cha"),
    )
    name = models.CharField(_("tên danh mục"), max_length=200)
    # Denormalised "Top/Sub/Leaf" path: cheap subtree queries (full_path__startswith) and import round-trips.
    full_path = models.CharField(_("đường dẫn đầy đủ"), max_length=1000, editable=False)
    sort_order = models.IntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["bank", "full_path"]
        verbose_name = _("danh mục câu hỏi")
        verbose_name_plural = _("danh mục câu hỏi")
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "full_path"], name="assess_category_path_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank} › {self.full_path}"

    def save(self, *args, **kwargs):
        if self.parent_id and self.parent.bank_id != self.bank_id:
            self.bank_id = self.parent.bank_id
        old_path = self.full_path
        self.full_path = self.compute_full_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.full_path:
            for child in self.children.all():
                child.save()

    def compute_full_path(self) -> str:
        name = self.name.replace("/", "-").strip()
        return f"{self.parent.full_path}/{name}" if self.parent_id else name

    def subtree_q(
        self, *, include_subcategories: bool = True, prefix: str = "category"
    ) -> models.Q:
        """Filter for questions in this category (and, optionally, every category below it)."""
        q = models.Q(**{f"{prefix}_id": self.pk})
        if include_subcategories:
            q |= models.Q(
                **{
                    f"{prefix}__bank_id": self.bank_id,
                    f"{prefix}__full_path__startswith": self.full_path + "/",
                }
            )
        return q


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Một lựa chọn đúng")
    MULTIPLE = "multiple", _("Nhiều lựa chọn đúng")
    TRUEFALSE = "truefalse", _("Đúng/Sai")
    SHORTANSWER = "shortanswer", _("Trả lời ngắn")
    MATCHING = "matching", _("Ghép đôi")
    ORDERING = "ordering", _("Sắp xếp thứ tự")
    NUMERICAL = "numerical", _("Số")


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    REVIEWED = "reviewed", _("Đã duyệt")
    RETIRED = "retired", _("Ngừng sử dụng")


class Difficulty(models.TextChoices):
    NONE = "", _("Chưa xác định")
    EASY = "easy", _("Dễ")
    MEDIUM = "medium", _("Trung bình")
    HARD = "hard", _("Khó")


class TextFormat(models.TextChoices):
    HTML = "html", _("HTML")
    PLAIN = "plain", _("Văn bản thuần")


class QuestionQuerySet(models.QuerySet):
    def reviewed(self) -> QuestionQuerySet:
        return self.filter(status=QuestionStatus.REVIEWED)

    def in_category(
        self, category: QuestionCategory, *, include_subcategories: bool
    ) -> QuestionQuerySet:
        return self.filter(category__isnull=False).filter(
            category.subtree_q(include_subcategories=include_subcategories)
        )


class Question(PreviewableMixin, ClusterableModel):
    bank = models.ForeignKey(
        QuestionBank,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("ngân hàng"),
    )
    category = models.ForeignKey(
        QuestionCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name=_("danh mục"),
    )
    qtype = models.CharField(_("loại câu hỏi"), max_length=20, choices=QuestionType.choices)
    name = models.CharField(_("tiêu đề"), max_length=255)
    text = models.TextField(_("nội dung câu hỏi"))
    text_format = models.CharField(
        _("định dạng nội dung"), max_length=10, choices=TextFormat.choices, default=TextFormat.HTML
    )
    general_feedback = models.TextField(_("nhận xét chung"), blank=True)
    explanation = models.TextField(
        _("giải thích"),
        blank=True,
        help_text=_("Hiển thị sau khi trả lời; nêu rõ điều, khoản áp dụng."),
    )
    difficulty = models.CharField(
        _("độ khó"), max_length=10, choices=Difficulty.choices, blank=True, default=""
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.DRAFT
    )
    default_mark = models.DecimalField(
        _("điểm mặc định"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    shuffle_choices = models.BooleanField(_("xáo trộn phương án"), default=True)
    case_sensitive = models.BooleanField(_("phân biệt chữ hoa/thường"), default=False)
    ignore_accents = models.BooleanField(_("bỏ qua dấu tiếng Việt"), default=False)
    penalty = models.DecimalField(
        _("hệ số trừ điểm"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    idnumber = models.CharField(_("mã tham chiếu ngoài"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tạo"),
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["bank", "category__full_path", "name"]
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        indexes = [models.Index(fields=["bank", "status", "category"])]

    def __str__(self) -> str:
        return self.name

    # Admin preview: how a learner sees the question, and (second mode) the answer key.
    @property
    def preview_modes(self):
        return [("", _("Người học nhìn thấy")), ("answers", _("Đáp án và giải thích"))]

    def get_preview_template(self, request, mode_name):
        return "assessments/question_preview.html"

    def get_preview_context(self, request, mode_name):
        from .preview import question_preview_context

        context = super().get_preview_context(request, mode_name)
        context.update(question_preview_context(self, show_answers=mode_name == "answers"))
        return context


class Choice(models.Model):
    question = ParentalKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("câu hỏi")
    )
    text = models.TextField(_("nội dung phương án"))
    fraction = models.DecimalField(
        _("tỉ lệ điểm"),
        max_digits=8,
        decimal_places=5,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("-1")), MaxValueValidator(Decimal("1"))],
        help_text=_("1 = 100% số điểm; có thể âm (tối thiểu -1) để trừ điểm khi chọn sai."),
    )
    feedback = models.TextField(_("nhận xét cho phương án"), blank=True)
    tolerance = models.DecimalField(
        _("sai số cho phép (±)"), max_digits=14, decimal_places=6, null=True, blank=True
    )
    sort_order = models.IntegerField(_("thứ tự"), default=0)

    # The admin's inline ordering (drag / up-down) writes sort_order; it is not a form field.
    sort_order_field = "sort_order"
    panels = [
        FieldPanel("text"),
        FieldPanel("fraction"),
        FieldPanel("tolerance"),
        FieldPanel("feedback"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("phương án")
        verbose_name_plural = _("phương án")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fraction__gte=-1) & models.Q(fraction__lte=1),
                name="assess_choice_fraction_range",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class MatchPair(models.Model):
    question = ParentalKey(
        Question, on_delete=models.CASCADE, related_name="pairs", verbose_name=_("câu hỏi")
    )
    prompt = models.TextField(
        _("vế trái (câu hỏi con)"), blank=True, help_text=_("Để trống nếu là đáp án gây nhiễu.")
    )
    answer = models.CharField(_("vế phải (đáp án)"), max_length=500)
    sort_order = models.IntegerField(_("thứ tự"), default=0)

    sort_order_field = "sort_order"
    panels = [FieldPanel("prompt"), FieldPanel("answer")]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("cặp ghép")
        verbose_name_plural = _("cặp ghép")

    def __str__(self) -> str:
        return f"{self.prompt[:40]} → {self.answer[:40]}"


class LegalTag(models.Model):
    question = ParentalKey(
        Question, on_delete=models.CASCADE, related_name="legal_tags", verbose_name=_("câu hỏi")
    )
    law = models.CharField(_("văn bản"), max_length=50, help_text=_("Ví dụ: 10/2022/QH15"))
    article = models.PositiveIntegerField(_("điều"))
    clause = models.PositiveIntegerField(_("khoản"), null=True, blank=True)
    point = models.CharField(_("điểm"), max_length=5, blank=True)

    class Meta:
        ordering = ["law", "article", "clause", "point"]
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        indexes = [models.Index(fields=["law", "article"])]

    def __str__(self) -> str:
        return self.label(law=self.law, article=self.article, clause=self.clause, point=self.point)

    @staticmethod
    def label(*, law: str, article: int, clause: int | None, point: str) -> str:
        """“khoản 2 Điều 11 10/2022/QH15”: the citation as learners read it."""
        parts = []
        if point:
            parts.append(_("điểm %(p)s") % {"p": point})
        if clause:
            parts.append(_("khoản %(c)s") % {"c": clause})
        parts.append(_("Điều %(a)s") % {"a": article})
        return " ".join(str(p) for p in parts) + f" {law}"


class QuestionRevision(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("câu hỏi")
    )
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người sửa"),
    )
    data = models.JSONField(_("nội dung"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("phiên bản câu hỏi")
        verbose_name_plural = _("phiên bản câu hỏi")

    def __str__(self) -> str:
        return f"{self.question} @ {self.created_at:%d/%m/%Y %H:%M}"


# Quiz and attempt models live in their own module; importing them here registers them with Django.
from .quiz_models import (  # noqa: E402
    Attempt,
    AttemptChoice,
    AttemptQuestion,
    AttemptState,
    GradingMethod,
    PublicEntrant,
    Quiz,
    QuizSlot,
    Response,
    ReviewWhen,
)

__all__ = [
    "Attempt",
    "AttemptChoice",
    "AttemptQuestion",
    "AttemptState",
    "Choice",
    "Difficulty",
    "GradingMethod",
    "LegalTag",
    "MatchPair",
    "PublicEntrant",
    "Question",
    "QuestionBank",
    "QuestionCategory",
    "QuestionRevision",
    "QuestionStatus",
    "QuestionType",
    "Quiz",
    "QuizSlot",
    "Response",
    "ReviewWhen",
    "TextFormat",
]
