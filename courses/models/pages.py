"""Course index → course → optional module → lesson, as Wagtail pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from lms.core.text import fold

from ..blocks import RICH_FEATURES, LessonStreamBlock, block_plain_text


class CourseIndexPage(Page):
    """The catalogue root in the page tree; the learner catalogue itself is a view."""

    intro = RichTextField(_("giới thiệu"), blank=True, features=RICH_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("danh mục khóa học")
        verbose_name_plural = _("danh mục khóa học")

    def serve(self, request, *args, **kwargs):
        return redirect("learner:catalogue")


def login_redirect_if_needed(request, course: CoursePage):
    """Staff-only courses (and their lessons) are read by logged-in officials only."""
    if course.audience == CoursePage.Audience.STAFF:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request.user, "is_citizen", False):
            raise PermissionDenied
    return None


class CoursePage(Page):
    class Audience(models.TextChoices):
        STAFF = "staff", _("Cán bộ, người thực hiện (cần đăng nhập)")
        PUBLIC = "public", _("Mở cho Nhân dân")

    class CompletionRule(models.TextChoices):
        REQUIRED_LESSONS = "required", _("Hoàn thành mọi bài học bắt buộc")
        ALL_LESSONS = "all", _("Hoàn thành mọi bài học")

    summary = models.TextField(_("tóm tắt"), max_length=600)
    description = RichTextField(_("giới thiệu khóa học"), blank=True, features=RICH_FEATURES)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ảnh bìa"),
    )
    target_groups = ParentalManyToManyField(
        "org.TargetGroup", blank=True, related_name="courses", verbose_name=_("nhóm đối tượng")
    )
    estimated_minutes = models.PositiveIntegerField(_("thời lượng dự kiến (phút)"), default=60)
    audience = models.CharField(
        _("đối tượng xem"), max_length=10, choices=Audience.choices, default=Audience.STAFF
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    version_label = models.CharField(
        _("phiên bản"),
        max_length=60,
        blank=True,
        help_text=_("Ví dụ: “Bản cập nhật tháng 7/2025”."),
    )
    prerequisites = ParentalManyToManyField(
        "self", blank=True, symmetrical=False, verbose_name=_("khóa học cần hoàn thành trước")
    )
    completion_rule = models.CharField(
        _("điều kiện hoàn thành"),
        max_length=10,
        choices=CompletionRule.choices,
        default=CompletionRule.REQUIRED_LESSONS,
        help_text=_("Ngoài các bài học, người học còn phải đạt bài kiểm tra cuối khóa (nếu có)."),
    )
    final_quiz = models.ForeignKey(
        "assessments.Quiz",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bài kiểm tra cuối khóa"),
        help_text=_(
            "Khi có, khóa học chỉ hoàn thành khi người học đạt điểm đạt của bài kiểm tra này."
        ),
    )
    search_text = models.TextField(editable=False, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audience"),
                FieldPanel("year"),
                FieldPanel("version_label"),
                FieldPanel("estimated_minutes"),
            ],
            heading=_("Đối tượng và phiên bản"),
        ),
        MultiFieldPanel(
            [FieldPanel("completion_rule"), FieldPanel("final_quiz"), FieldPanel("prerequisites")],
            heading=_("Điều kiện"),
        ),
        InlinePanel("legal_basis", label=_("Căn cứ pháp lý")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage", "courses.LessonPage"]

    class Meta:
        verbose_name = _("khóa học")
        verbose_name_plural = _("khóa học")

    def serve(self, request, *args, **kwargs):
        return login_redirect_if_needed(request, self) or super().serve(request, *args, **kwargs)

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join([self.title, self.summary, strip_tags(self.description)]))
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        context["outline"] = outline = course_outline(course=self, request=request)
        if self.final_quiz_id:
            from assessments.api import Quiz, quiz_passed

            context["final_quiz"] = (
                Quiz.objects.filter(pk=self.final_quiz_id)
                .only("id", "title", "time_limit", "pass_percent")
                .first()
            )
            context["final_quiz_passed"] = bool(
                outline.person
                and quiz_passed(quiz_id=self.final_quiz_id, person_id=outline.person.pk)
            )
        return context


class CourseLegalBasis(Orderable):
    """One document a course is based on, and which version of it."""

    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="legal_basis")
    document = models.CharField(_("tên văn bản"), max_length=255)
    number = models.CharField(_("số hiệu"), max_length=60)
    version = models.CharField(_("phiên bản áp dụng"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("number"), FieldPanel("version")]

    class Meta(Orderable.Meta):
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")

    def __str__(self) -> str:
        return f"{self.document} ({self.number})"


class ModulePage(Page):
    """A group of lessons inside a course (chương, chuyên đề)."""

    summary = models.TextField(_("tóm tắt"), blank=True, max_length=600)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("chuyên đề")
        verbose_name_plural = _("chuyên đề")

    def course_for_access(self) -> CoursePage:
        return CoursePage.objects.ancestor_of(self).get()

    def serve(self, request, *args, **kwargs):
        course = self.course_for_access()
        # A module has no page of its own: its lessons are listed in the course outline.
        return login_redirect_if_needed(request, course) or redirect(
            course.get_url(request) + f"#chuyen-de-{self.pk}"
        )

    def get_context(self, request, *args, **kwargs):
        # Used by the admin preview only (live modules redirect to the course outline).
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = (
            LessonPage.objects.child_of(self).order_by("path").only("title") if self.pk else []
        )
        return context


class LessonPage(Page):
    summary = models.TextField(_("tóm tắt"), blank=True, max_length=600)
    estimated_minutes = models.PositiveIntegerField(_("thời lượng dự kiến (phút)"), default=15)
    required = models.BooleanField(
        _("bắt buộc"), default=True, help_text=_("Bài bắt buộc được tính vào điều kiện hoàn thành.")
    )
    body = StreamField(LessonStreamBlock(), verbose_name=_("nội dung bài học"))
    search_text = models.TextField(editable=False, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("required")], heading=_("Thiết lập")
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage", "courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("bài học")
        verbose_name_plural = _("bài học")

    def course_for_access(self) -> CoursePage:
        return CoursePage.objects.ancestor_of(self).get()

    def save(self, *args, **kwargs):
        texts = [self.title, self.summary]
        texts += [block_plain_text(block.block_type, block.value) for block in self.body]
        self.search_text = fold(" ".join(texts))
        super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        from ..views import lesson_serve

        course = self.course_for_access()
        return login_redirect_if_needed(request, course) or lesson_serve(
            request, lesson=self, course=course
        )

    def serve_preview(self, request, mode_name):
        from ..views import lesson_serve

        return lesson_serve(request, lesson=self, course=self.course_for_access())

    def check_block(self, block_id: str):
        """The knowledge-check block with this id, or None."""
        for block in self.body:
            if block.block_type == "check" and block.id == block_id:
                return block
        return None
