"""Wagtail admin hooks: the “Ngân hàng câu hỏi” menu group, permissions, revisions, quiz readiness."""

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.permissions import register_permission_policy

from . import wagtail_hooks_import, wagtail_hooks_statistics  # noqa: F401
from .models import Question, QuestionBank, QuestionCategory, Quiz
from .selection import quiz_problems
from .services import question_revision_create
from .viewsets import AssessmentsViewSetGroup, AuthorPolicy

for _model in (QuestionBank, QuestionCategory, Question, Quiz):
    register_permission_policy(_model, AuthorPolicy(_model))


@hooks.register("register_admin_viewset")
def register_assessments_viewsets():
    return AssessmentsViewSetGroup()


def _after_save(request, instance):
    if isinstance(instance, Question):
        question_revision_create(question=instance, user=request.user)
    elif isinstance(instance, Quiz):
        for problem in quiz_problems(quiz=instance):
            messages.warning(request, problem)


hooks.register("after_create_snippet", _after_save)
hooks.register("after_edit_snippet", _after_save)


@hooks.register("register_snippet_listing_buttons")
def question_listing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Question):
        yield ListingButton(
            _("Lịch sử phiên bản"),
            reverse("wagtailsnippets_assessments_question:revisions", args=[snippet.pk]),
            icon_name="history",
            priority=60,
        )
    elif isinstance(snippet, Quiz):
        yield ListingButton(
            _("Trang của người học"),
            reverse("assessments:quiz_intro", args=[snippet.pk]),
            icon_name="view",
            priority=60,
        )
