"""Admin: the news categories and Q&A topics as snippets, and the citizens' questions to review."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import NewsCategory, QATopic, SubmittedQuestion


class NewsCategoryViewSet(SnippetViewSet):
    model = NewsCategory
    icon = "folder-open-inverse"
    menu_label = _("Chuyên mục tin")
    list_display = ["name", "slug", "sort_order"]
    add_to_admin_menu = False


class QATopicViewSet(SnippetViewSet):
    model = QATopic
    icon = "help"
    menu_label = _("Chủ đề hỏi – đáp")
    list_display = ["name", "slug", "sort_order"]
    add_to_admin_menu = False


class SubmittedQuestionViewSet(SnippetViewSet):
    model = SubmittedQuestion
    icon = "help"
    menu_label = _("Câu hỏi của người dân")
    list_display = ["name", "locality", "topic", "status", "created_at"]
    list_filter = ["status", "topic"]
    add_to_admin_menu = True
    menu_order = 250


register_snippet(NewsCategoryViewSet)
register_snippet(QATopicViewSet)
register_snippet(SubmittedQuestionViewSet)
