"""The site-wide search index: one folded row per public page (news, Q&A, materials, open courses,
consultations, legal documents). Provisions of legal documents are searched in their own table
(`LegalProvision.folded_text`), so they need no entries here.

Folding uses `lms.core.text.fold` through `cms.legal.models.search_key` (" dan chu o co so "), and
matching is a plain `LIKE '% word%'`: accent-insensitive in the same way on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.html import strip_tags
from wagtail.models import Page

from cms.consultations.models import ConsultationPage
from cms.legal.models import LegalDocumentPage, search_key
from courses.api import CoursePage

from .models import MaterialPage, NewsPage, QAPage, SearchEntry, SearchKind

SUMMARY_LENGTH = 300


def _stream_text(value) -> str:
    """Plain text of a StreamField value (rich text, quotes, citations…)."""
    if not value:
        return ""
    return " ".join(
        strip_tags(str(part)) for part in value.stream_block.get_searchable_content(value)
    )


def _news(page: NewsPage) -> tuple[str, str, list[str], object]:
    texts = [page.summary, _stream_text(page.body), *(tag.name for tag in page.tags.all())]
    if page.category_id:
        texts.append(page.category.name)
    return SearchKind.NEWS, page.summary, texts, page.date


def _qa(page: QAPage) -> tuple[str, str, list[str], object]:
    texts = [page.question, strip_tags(page.answer), _stream_text(page.citations)]
    if page.topic_id:
        texts.append(page.topic.name)
    return SearchKind.QA, page.question, texts, page.answered_on


def _material(page: MaterialPage) -> tuple[str, str, list[str], object]:
    return SearchKind.MATERIAL, page.summary, [page.summary, page.transcript], page.date


def _consultation(page: ConsultationPage) -> tuple[str, str, list[str], object]:
    return (
        SearchKind.CONSULTATION,
        page.summary,
        [page.summary, strip_tags(page.draft)],
        page.opens_on,
    )


def _course(page: CoursePage) -> tuple[str, str, list[str], object] | None:
    if page.audience != CoursePage.Audience.PUBLIC:
        return None  # courses for officials are not offered to citizens
    return SearchKind.COURSE, page.summary, [page.summary, strip_tags(page.description)], None


def _legal(page: LegalDocumentPage) -> tuple[str, str, list[str], object]:
    summary = " · ".join(x for x in (page.number, page.issuer) if x)
    return (
        SearchKind.LEGAL,
        summary,
        [page.number, page.short_code, page.issuer, page.get_document_type_display()],
        page.issue_date,
    )


BUILDERS: dict[type[Page], Callable] = {
    NewsPage: _news,
    QAPage: _qa,
    MaterialPage: _material,
    ConsultationPage: _consultation,
    CoursePage: _course,
    LegalDocumentPage: _legal,
}
INDEXED_TYPES = tuple(BUILDERS)


def _is_public(page: Page) -> bool:
    return page.live and not page.get_view_restrictions().exists()


def search_entry_update(*, page: Page) -> SearchEntry | None:
    """Create, refresh or remove the search entry of one page (any specific page type)."""
    page = page.specific
    builder = BUILDERS.get(type(page))
    built = builder(page) if builder is not None and _is_public(page) else None
    if built is None:
        SearchEntry.objects.filter(page_id=page.pk).delete()
        return None
    kind, summary, texts, date = built
    entry, _created = SearchEntry.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "kind": kind,
            "title": page.title[:255],
            "summary": strip_tags(summary or "")[:SUMMARY_LENGTH],
            "date": date,
            "folded_title": search_key(page.title),
            "folded": search_key(" ".join([page.title, *(t or "" for t in texts)])),
        },
    )
    return entry


def search_entry_remove(*, page_id: int) -> None:
    SearchEntry.objects.filter(page_id=page_id).delete()


@transaction.atomic
def search_index_rebuild() -> int:
    """Re-index every live page of the indexed types; drop entries of pages no longer public."""
    kept: list[int] = []
    for model in INDEXED_TYPES:
        for page in model.objects.live():
            if search_entry_update(page=page) is not None:
                kept.append(page.pk)
    SearchEntry.objects.exclude(page_id__in=kept).delete()
    return len(kept)
