"""Wagtail admin for the “Ngân hàng câu hỏi” menu: banks, categories, questions (with revisions), quizzes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from lms.core.text import normalize_text
from lms.org.api import StaffRole, has_role

from .models import Question, QuestionBank, QuestionCategory, QuestionRevision, QuestionType, Quiz

AUTHOR_ROLES = (StaffRole.Role.TRAINER, StaffRole.Role.ADMIN)
TRUEFALSE_NEEDS_TWO = _("Câu hỏi Đúng/Sai cần đúng hai phương án “Đúng” và “Sai”.")
NEEDS_CHOICES = _("Loại câu hỏi này cần ít nhất hai phương án.")
NEEDS_CORRECT = _("Cần ít nhất một phương án có tỉ lệ điểm dương (đáp án đúng).")
NEEDS_PAIRS = _("Câu hỏi ghép đôi cần ít nhất hai cặp có vế trái.")
NEEDS_ANSWER = _("Cần ít nhất một đáp án được chấp nhận.")
NUMBER_INVALID = _("Đáp án “%(text)s” không phải là số.")


class AuthorPolicy(BasePermissionPolicy):
    """Question banks and quizzes: trainers and administrators only (any unit scope)."""

    def user_has_permission(self, user, action):
        return bool(getattr(user, "is_active", False)) and has_role(user, *AUTHOR_ROLES)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, "view")

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(
                Q(is_superuser=True) | Q(staff_roles__role__in=AUTHOR_ROLES), is_active=True
            )
            .distinct()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_permission(user, "view"):
            return self.model._default_manager.all()
        return self.model._default_manager.none()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


def _live_rows(form, name: str) -> list[dict]:
    formset = form.formsets.get(name)
    return [
        f.cleaned_data
        for f in getattr(formset, "forms", [])
        if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
    ]


class QuestionForm(WagtailAdminModelForm):
    """Checks that the inline rows make a gradable question of the chosen type."""

    def clean(self):
        cleaned = super().clean()
        for key in ("text", "name", "explanation", "general_feedback"):
            if cleaned.get(key):
                cleaned[key] = normalize_text(cleaned[key])
        return cleaned

    def is_valid(self):
        # Inline formsets are cleaned after the parent form, so cross-row rules are checked here.
        if not super().is_valid():
            return False
        for problem in self.row_problems():
            self.add_error(None, problem)
        return not self.errors

    def row_problems(self) -> list:
        from .grading import _parse_number

        qtype = self.cleaned_data.get("qtype")
        choices, pairs = _live_rows(self, "choices"), _live_rows(self, "pairs")
        problems = []
        if (
            qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.ORDERING)
            and len(choices) < 2
        ):
            problems.append(NEEDS_CHOICES)
        elif qtype == QuestionType.TRUEFALSE and len(choices) != 2:
            problems.append(TRUEFALSE_NEEDS_TWO)
        elif qtype in (QuestionType.SHORTANSWER, QuestionType.NUMERICAL) and not choices:
            problems.append(NEEDS_ANSWER)
        elif (
            qtype == QuestionType.MATCHING
            and sum(1 for p in pairs if (p.get("prompt") or "").strip()) < 2
        ):
            problems.append(NEEDS_PAIRS)
        graded_by_fraction = (
            QuestionType.SINGLE,
            QuestionType.MULTIPLE,
            QuestionType.TRUEFALSE,
            QuestionType.SHORTANSWER,
            QuestionType.NUMERICAL,
        )
        if (
            qtype in graded_by_fraction
            and choices
            and not any((c.get("fraction") or 0) > 0 for c in choices)
        ):
            problems.append(NEEDS_CORRECT)
        if qtype == QuestionType.NUMERICAL:
            for c in choices:
                text = (c.get("text") or "").strip()
                if text != "*" and _parse_number(text) is None:
                    problems.append(NUMBER_INVALID % {"text": text})
        return problems


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = _("Ngân hàng")
    url_prefix = "ngan-hang-cau-hoi/ngan-hang"
    list_display = ["name", "slug", Column("question_count", label=_("Số câu hỏi")), "created_at"]
    search_fields = ["name", "description"]
    search_backend_name = None
    add_to_reference_index = False
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    def get_queryset(self, request):
        return QuestionBank.objects.annotate(question_count=Count("questions"))


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-inverse"
    menu_label = _("Danh mục")
    url_prefix = "ngan-hang-cau-hoi/danh-muc"
    list_display = ["full_path", "bank", "sort_order"]
    list_filter = ["bank"]
    search_fields = ["full_path"]
    search_backend_name = None
    add_to_reference_index = False
    panels = [
        FieldPanel("bank"),
        FieldPanel("parent"),
        FieldPanel("name"),
        FieldPanel("sort_order"),
    ]

    def get_queryset(self, request):
        return QuestionCategory.objects.select_related("bank")


class QuestionRevisionsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "assessments/admin/question_revisions.html"
    page_title = _("Lịch sử phiên bản")
    permission_policy = None

    def dispatch(self, request, *args, **kwargs):
        if not has_role(request.user, *AUTHOR_ROLES):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        self.question = get_object_or_404(Question, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.question.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["question"] = self.question
        context["revisions"] = QuestionRevision.objects.filter(
            question=self.question
        ).select_related("created_by")[:50]
        return context


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Câu hỏi")
    url_prefix = "ngan-hang-cau-hoi/cau-hoi"
    list_display = ["name", "qtype", "category", "difficulty", "status", "updated_at"]
    list_filter = ["bank", "qtype", "status", "difficulty"]
    search_fields = ["name", "text", "idnumber"]
    search_backend_name = None
    add_to_reference_index = False
    list_per_page = 50
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("bank"), FieldPanel("category")]),
                    FieldRowPanel(
                        [FieldPanel("qtype"), FieldPanel("status"), FieldPanel("difficulty")]
                    ),
                    FieldPanel("name"),
                    FieldPanel("text", widget=forms.Textarea(attrs={"rows": 5})),
                    FieldPanel("text_format"),
                    InlinePanel("choices", label=_("Phương án / đáp án chấp nhận")),
                    InlinePanel("pairs", label=_("Cặp ghép (chỉ cho câu ghép đôi)")),
                ],
                heading=_("Nội dung"),
            ),
            ObjectList(
                [
                    FieldPanel("explanation"),
                    FieldPanel("general_feedback"),
                    InlinePanel("legal_tags", label=_("Căn cứ pháp lý (luật, điều, khoản, điểm)")),
                ],
                heading=_("Giải thích và căn cứ"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("default_mark"), FieldPanel("penalty")]),
                            FieldPanel("shuffle_choices"),
                            FieldRowPanel(
                                [FieldPanel("case_sensitive"), FieldPanel("ignore_accents")]
                            ),
                            FieldPanel("idnumber"),
                        ],
                        heading=_("Chấm điểm"),
                    )
                ],
                heading=_("Cài đặt"),
            ),
        ],
        base_form_class=QuestionForm,
    )

    def get_queryset(self, request):
        return Question.objects.select_related("category", "bank")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("lich-su/<int:pk>/", QuestionRevisionsView.as_view(), name="revisions"),
        ]


class QuizForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        bank = cleaned.get("bank")
        slots = self.formsets.get("slots")
        for form in getattr(slots, "forms", []):
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            if data.get("kind") == "fixed" and not data.get("question"):
                form.add_error("question", _("Chọn câu hỏi cho mục cố định."))
            if data.get("kind") == "random" and not data.get("category"):
                form.add_error("category", _("Chọn danh mục để rút câu ngẫu nhiên."))
            q = data.get("question")
            if bank and q and q.bank_id != bank.pk:
                form.add_error("question", _("Câu hỏi phải thuộc ngân hàng của đề."))
            c = data.get("category")
            if bank and c and c.bank_id != bank.pk:
                form.add_error("category", _("Danh mục phải thuộc ngân hàng của đề."))
        return cleaned


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "form"
    menu_label = _("Bài kiểm tra")
    url_prefix = "ngan-hang-cau-hoi/bai-kiem-tra"
    list_display = ["title", "bank", "time_limit", "close_at", "is_public", "is_knowledge_check"]
    list_filter = ["bank", "is_public", "is_knowledge_check"]
    search_fields = ["title"]
    search_backend_name = None
    add_to_reference_index = False
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("title"),
                    FieldPanel("bank"),
                    FieldPanel("intro"),
                    InlinePanel("slots", label=_("Câu hỏi của đề (cố định hoặc ngẫu nhiên)")),
                    FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_choices")]),
                ],
                heading=_("Đề"),
            ),
            ObjectList(
                [
                    FieldPanel("time_limit"),
                    FieldRowPanel([FieldPanel("open_at"), FieldPanel("close_at")]),
                    FieldRowPanel(
                        [
                            FieldPanel("attempts_allowed"),
                            FieldPanel("pass_percent"),
                            FieldPanel("grading_method"),
                        ]
                    ),
                    FieldRowPanel([FieldPanel("is_public"), FieldPanel("is_knowledge_check")]),
                ],
                heading=_("Thời gian và chấm điểm"),
            ),
            ObjectList(
                [
                    FieldPanel("review_score"),
                    FieldPanel("review_answers"),
                    FieldPanel("review_explanations"),
                ],
                heading=_("Xem lại bài"),
            ),
        ],
        base_form_class=QuizForm,
    )

    def get_queryset(self, request):
        return Quiz.objects.select_related("bank")


class AssessmentsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Ngân hàng câu hỏi")
    menu_icon = "help"
    menu_order = 300
    items = (QuestionBankViewSet, QuestionCategoryViewSet, QuestionViewSet, QuizViewSet)


__all__ = ["AUTHOR_ROLES", "AssessmentsViewSetGroup", "AuthorPolicy"]
