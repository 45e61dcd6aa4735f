"""Reads for the public contest pages, the home page and the staff screens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from lms.org.api import unit_scope_q

from .models import ContestRoundPage, Entry, RoundState
from .ranking import Ranked, Scored, fully_correct_count, rank

COUNTS_CACHE_SECONDS = 60


def running_rounds(*, limit: int = 3, now: dt.datetime | None = None) -> list[ContestRoundPage]:
    """Rounds open now (live, public), closing soonest first: objects with .title, .url, .closes_at."""
    now = now or timezone.now()
    return list(
        ContestRoundPage.objects.live()
        .public()
        .filter(opens_at__lte=now, closes_at__gt=now)
        .only("id", "title", "url_path", "opens_at", "closes_at")
        .order_by("closes_at")[:limit]
    )


def _submitted(round_page: ContestRoundPage):
    return Entry.objects.filter(
        round=round_page, attempt__state="submitted", attempt__score__isnull=False
    )


def scored_entries(*, round_page: ContestRoundPage, scope: Q | None = None) -> list[Scored]:
    """Every submitted, graded entry of the round as plain rows (one query)."""
    rows = _submitted(round_page)
    if scope is not None:
        rows = rows.filter(scope)
    return [
        Scored(
            entry_id=pk,
            phone=phone,
            full_name=name,
            commune_id=commune_id,
            commune_name=commune_name,
            hamlet=hamlet,
            score=score,
            max_score=max_score,
            prediction=prediction,
            duration=submitted_at - started_at,
            submitted_at=submitted_at,
        )
        for (
            pk,
            phone,
            name,
            commune_id,
            commune_name,
            hamlet,
            score,
            max_score,
            prediction,
            started_at,
            submitted_at,
        ) in rows.values_list(
            "pk",
            "phone",
            "full_name",
            "commune_id",
            "commune__name",
            "hamlet",
            "attempt__score",
            "attempt__max_score",
            "prediction",
            "attempt__started_at",
            "attempt__submitted_at",
        )
    ]


def communes_in_scope(*, round_page: ContestRoundPage, user) -> set[int] | None:
    """The round's communes the user manages; None when unrestricted (one query at most)."""
    scope = unit_scope_q(user, "commune")
    if scope is None:
        return None
    return set(
        Entry.objects.filter(round=round_page).filter(scope).values_list("commune_id", flat=True)
    )


@dataclass(frozen=True)
class Standing:
    rows: list[Ranked]
    final: bool  # the actual number is known and the prediction tie-break applies
    actual: int | None


def round_standing(*, round_page: ContestRoundPage, user=None) -> Standing:
    """The ranking: final once the round is summed up, provisional (score, time) before.

    With a user, only the rows of communes in their scope are returned (ranks stay global).
    """
    state = RoundState.objects.filter(round_id=round_page.pk).first()
    actual = state.fully_correct_count if state and state.closed_at else None
    rows = rank(scored_entries(round_page=round_page), actual=actual)
    if user is not None:
        allowed = communes_in_scope(round_page=round_page, user=user)
        if allowed is not None:
            rows = [r for r in rows if r.entry.commune_id in allowed]
    return Standing(rows=rows, final=actual is not None, actual=actual)


@dataclass(frozen=True)
class CommuneCount:
    commune_id: int
    commune_name: str
    people: int
    entries: int


def commune_counts_uncached(*, round_page: ContestRoundPage) -> list[CommuneCount]:
    """Submitted entries and distinct people (phones) per commune, most people first. One query."""
    rows = (
        _submitted(round_page)
        .values("commune_id", "commune__name")
        .annotate(people=Count("phone", distinct=True), entries=Count("id"))
        .order_by("-people", "commune__name")
    )
    return [
        CommuneCount(
            commune_id=r["commune_id"],
            commune_name=r["commune__name"],
            people=r["people"],
            entries=r["entries"],
        )
        for r in rows
    ]


def commune_counts(*, round_page: ContestRoundPage) -> list[CommuneCount]:
    """The public participation table, cached for up to a minute."""
    key = f"contests:counts:{round_page.pk}"
    rows = cache.get(key)
    if rows is None:
        rows = commune_counts_uncached(round_page=round_page)
        cache.set(key, rows, COUNTS_CACHE_SECONDS)
    return rows


def commune_count_for(*, round_page: ContestRoundPage, commune_id: int) -> CommuneCount:
    """One commune's live count (shown to an entrant right after submitting)."""
    row = (
        _submitted(round_page)
        .filter(commune_id=commune_id)
        .aggregate(people=Count("phone", distinct=True), entries=Count("id"))
    )
    return CommuneCount(
        commune_id=commune_id, commune_name="", people=row["people"], entries=row["entries"]
    )


def entries_visible(*, round_page: ContestRoundPage, user):
    """Staff list: the round's entries in the user's scope (communes of their subtree)."""
    entries = Entry.objects.filter(round=round_page).select_related("commune", "attempt")
    scope = unit_scope_q(user, "commune")
    return entries if scope is None else entries.filter(scope)


def rounds_for_staff(*, user) -> list[dict]:
    """Every round with the number of entries in the user's scope (two queries)."""
    scope = unit_scope_q(user, "entries__commune")
    condition = Q(entries__attempt__state="submitted")
    if scope is not None:
        condition &= scope
    rounds = (
        ContestRoundPage.objects.all()
        .annotate(entry_count=Count("entries", filter=condition))
        .order_by("-opens_at")
        .only("id", "title", "opens_at", "closes_at")
    )
    return list(rounds)


def actual_fully_correct(*, round_page: ContestRoundPage) -> int:
    return fully_correct_count(scored_entries(round_page=round_page))
