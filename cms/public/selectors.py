"""Reads for the public pages. Each runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from cms.legal.models import LegalProvision, search_key
from lms.core.text import normalize_text

from .models import (
    MaterialKind,
    MaterialPage,
    MaterialsIndexPage,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    QAIndexPage,
    QAPage,
    QATopic,
    SearchEntry,
    SearchKind,
)

NEWS_PER_PAGE = 10
QA_PER_PAGE = 15
MATERIALS_PER_PAGE = 12
SEARCH_PER_PAGE = 20
QUERY_MAX_LENGTH = 200
PAGE_PARAM = "trang"


def _news_cards(qs: QuerySet[NewsPage]) -> QuerySet[NewsPage]:
    return (
        qs.select_related("image", "category")
        .prefetch_related("image__renditions")
        .defer_streamfields()
        .order_by("-date", "-pk")
    )


def news_latest(*, limit: int = 3, exclude: Q | None = None) -> list[NewsPage]:
    """The newest public articles. `exclude`: a caller's `Page.objects.private_q()`, to save
    looking up the restricted sections again."""
    qs = NewsPage.objects.live()
    qs = qs.public() if exclude is None else qs.exclude(exclude)
    return list(_news_cards(qs)[:limit])


def news_listing(*, index: NewsIndexPage, params) -> dict:
    """Articles under the index, newest first, by category (?chuyen-muc=) or tag (?the=)."""
    qs = NewsPage.objects.child_of(index).live().public()
    categories = list(NewsCategory.objects.all())
    category = next((c for c in categories if c.slug == params.get("chuyen-muc")), None)
    if category is not None:
        qs = qs.filter(category=category)
    tag = normalize_text(params.get("the", ""))[:100]
    if tag:
        qs = qs.filter(tags__slug=tag)
    listing = Paginator(_news_cards(qs), NEWS_PER_PAGE).get_page(params.get(PAGE_PARAM))
    return {"news": listing, "categories": categories, "category": category, "tag": tag}


def news_feed_items(*, index: NewsIndexPage, limit: int = 20) -> list[NewsPage]:
    return list(
        NewsPage.objects.child_of(index)
        .live()
        .public()
        .select_related("category")
        .defer_streamfields()
        .order_by("-date", "-pk")[:limit]
    )


def qa_listing(*, index: QAIndexPage, params) -> dict:
    """Answered questions under the index, newest first, filtered by topic (?chu-de=)."""
    topics = list(QATopic.objects.all())
    topic = next((t for t in topics if t.slug == params.get("chu-de")), None)
    qs = QAPage.objects.child_of(index).live().public().select_related("topic")
    if topic is not None:
        qs = qs.filter(topic=topic)
    qs = qs.defer_streamfields().defer("answer").order_by("-answered_on", "-pk")
    listing = Paginator(qs, QA_PER_PAGE).get_page(params.get(PAGE_PARAM))
    return {"questions": listing, "topics": topics, "topic": topic}


def materials_listing(*, index: MaterialsIndexPage, params) -> dict:
    """Materials under the index, newest first, filtered by kind (?loai=)."""
    qs = MaterialPage.objects.child_of(index).live().public()
    kind = params.get("loai", "")
    if kind in MaterialKind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    qs = (
        qs.select_related("document", "cover")
        .prefetch_related("cover__renditions")
        .defer("transcript")
        .order_by("-date", "-pk")
    )
    listing = Paginator(qs, MATERIALS_PER_PAGE).get_page(params.get(PAGE_PARAM))
    return {"materials": listing, "kinds": MaterialKind.choices, "kind": kind}


# --- Site search -----------------------------------------------------------------------------


@dataclass
class SearchResult:
    kind: str
    kind_label: str
    title: str
    url: str
    summary: str
    date: date | None = None


class _Chained:
    """Pages first, then provisions, as one sliceable sequence for the paginator (two counts,
    then at most one query per table for the requested slice)."""

    def __init__(self, first: QuerySet, second: QuerySet, convert):
        self.first, self.second, self.convert = first, second, convert
        self._counts: tuple[int, int] | None = None

    def counts(self) -> tuple[int, int]:
        if self._counts is None:
            self._counts = (self.first.count(), self.second.count())
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[SearchResult]:
        start, stop = item.start or 0, item.stop if item.stop is not None else self.count()
        n_first, _n_second = self.counts()
        rows = []
        if start < n_first:
            rows += list(self.first[start : min(stop, n_first)])
        if stop > n_first:
            rows += list(self.second[max(start - n_first, 0) : stop - n_first])
        return self.convert(rows)


def _entries(key: str) -> QuerySet[SearchEntry]:
    qs = SearchEntry.objects.all()
    for word in key.split():
        qs = qs.filter(folded__contains=f" {word}")
    phrase = key.rstrip()
    in_title = Q()
    for word in key.split():
        in_title &= Q(folded_title__contains=f" {word}")
    return (
        qs.annotate(
            rank=Case(
                When(in_title, then=Value(0)),
                When(folded__contains=phrase, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .select_related("page")
        .defer("folded", "folded_title")
        .order_by("rank", "-date", "title", "page_id")
    )


def _provisions(query: str) -> QuerySet[LegalProvision]:
    return (
        LegalProvision.objects.live()
        .matching(query)
        .filter(document__live=True)
        .select_related("document")
        .only(
            "id",
            "anchor",
            "citation",
            "title",
            "text",
            "kind",
            "number",
            "document__id",
            "document__title",
            "document__url_path",
            "document__path",
            "document__number",
        )  # fmt: skip
        .order_by("phrase_rank", "document__path", "sort_order")
    )


def _excerpt(text: str, length: int = 240) -> str:
    text = normalize_text(text)
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def _converter(request):
    labels = dict(SearchKind.choices)

    def convert(rows) -> list[SearchResult]:
        results = []
        for row in rows:
            if isinstance(row, SearchEntry):
                results.append(
                    SearchResult(
                        kind=row.kind,
                        kind_label=str(labels.get(row.kind, "")),
                        title=row.title,
                        url=row.page.get_url(request) or "",
                        summary=row.summary,
                        date=row.date,
                    )
                )
            else:
                document = row.document
                heading = row.citation or str(row)
                if row.title:
                    heading = f"{heading}. {row.title}"
                results.append(
                    SearchResult(
                        kind="provision",
                        kind_label=_("Điều khoản"),
                        title=heading,
                        url=f"{document.get_url(request) or ''}#{row.anchor}",
                        summary=_excerpt(row.text) or document.title,
                    )
                )
        return results

    return convert


def site_search(*, query: str, page_number=None, request=None) -> dict:
    """Accent-insensitive search of the whole public site: pages first (title matches, then the
    whole phrase, then all words), then individual provisions of legal documents."""
    query = normalize_text(query)[:QUERY_MAX_LENGTH]
    key = search_key(query)
    if not key:
        return {"query": query, "results": None}
    chained = _Chained(_entries(key), _provisions(query), _converter(request))
    results = Paginator(chained, SEARCH_PER_PAGE).get_page(page_number)
    return {"query": query, "results": results}
