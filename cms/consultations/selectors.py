"""Reads for the public consultation pages and the moderation screens."""

from __future__ import annotations

from collections import OrderedDict

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lms.org.api import Unit, unit_scope_q

from .models import ConsultationComment, ConsultationPage, quarter_of

PUBLIC_COMMENTS_LIMIT = 200


def consultations_live(*, index=None) -> QuerySet[ConsultationPage]:
    pages = ConsultationPage.objects.live().public().select_related("issuing_unit")
    if index is not None:
        pages = pages.child_of(index)
    return pages.defer("draft", "explanation")


def _int_param(params, name: str, allowed) -> int | None:
    try:
        value = int(params.get(name, ""))
    except (TypeError, ValueError):
        return None
    return value if value in allowed else None


def consultations_by_quarter(*, index, params) -> dict:
    """Consultations grouped by (year, quarter) of their opening date, newest first. Two queries."""
    pages = consultations_live(index=index).annotate(
        approved_count=Count("comments", filter=Q(comments__status="approved"))
    )
    years = sorted({d.year for d in pages.values_list("opens_on", flat=True)}, reverse=True)
    year = _int_param(params, "nam", set(years))
    quarter = _int_param(params, "quy", {1, 2, 3, 4})
    if year:
        pages = pages.filter(opens_on__year=year)
    if quarter:
        pages = pages.filter(opens_on__month__gte=3 * quarter - 2, opens_on__month__lte=3 * quarter)
    groups: OrderedDict[tuple[int, int], list] = OrderedDict()
    for page in pages.order_by("-opens_on", "-pk"):
        groups.setdefault((page.opens_on.year, quarter_of(page.opens_on)), []).append(page)
    return {
        "quarters": [{"year": y, "quarter": q, "pages": items} for (y, q), items in groups.items()],
        "years": years,
        "selected_year": year,
        "selected_quarter": quarter,
        "today": timezone.localdate(),
    }


def comments_public(*, page: ConsultationPage) -> list[ConsultationComment]:
    """Approved comments only; contact details and IP hashes are never loaded for the public."""
    return list(
        page.comments.approved()
        .select_related("locality_unit")
        .only("name", "locality", "locality_unit__name", "body", "created_at", "page_id")
        .order_by("created_at", "pk")[:PUBLIC_COMMENTS_LIMIT]
    )


def locality_units() -> QuerySet[Unit]:
    """Active communes and hamlets a citizen can say they live in."""
    return (
        Unit.objects.active()
        .filter(kind__is_locality=True, depth__gt=1)
        .only("pk", "name", "path", "depth")
        .order_by("path")
    )


def comments_visible(*, user) -> QuerySet[ConsultationComment]:
    """Comments on consultations issued inside the user's unit subtree (all for system admins)."""
    return ConsultationComment.objects.scoped(unit_scope_q(user, "page__issuing_unit"))


def consultations_moderated_by(*, user) -> QuerySet[ConsultationPage]:
    condition = unit_scope_q(user, "issuing_unit")
    pages = ConsultationPage.objects.all().defer("draft", "explanation")
    return pages if condition is None else pages.filter(condition)
