"""Public contest pages: the round (countdown, counts per commune, ranking after close), the entrant
form, the attempt (the assessments engine's page and endpoints), the prediction and the result."""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from assessments.api import TOO_MANY_REQUESTS as ASSESS_TOO_MANY
from assessments.api import attempt_question_views, session_entrant_remember
from lms.core.http import client_ip

from . import selectors, services
from .forms import EntrantForm, PredictionForm
from .models import ContestRoundPage, Entry, RoundStatus
from .ranking import abbreviate_name, mask_phone
from .selectors import Standing

SESSION_ENTRIES = "contests_entries"
WINNERS_CACHE_SECONDS = 600


def _ms(value) -> int | None:
    return None if value is None else int(value.timestamp() * 1000)


def sub_url(round_page: ContestRoundPage, request: HttpRequest, name: str, *args) -> str:
    return round_page.get_url(request) + round_page.reverse_subpage(name, args=args)


def _owned_entry(request: HttpRequest, round_page: ContestRoundPage, entry_id: int) -> Entry:
    """The entry, if this browser started it; 404 otherwise (no probing)."""
    if entry_id not in request.session.get(SESSION_ENTRIES, []):
        raise Http404
    entry = (
        Entry.objects.select_related("attempt", "commune", "round")
        .filter(pk=entry_id, round=round_page)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def _my_entries(request: HttpRequest, round_page: ContestRoundPage) -> list[Entry]:
    owned = request.session.get(SESSION_ENTRIES, [])
    if not owned:
        return []
    return list(
        Entry.objects.filter(round=round_page, pk__in=owned)
        .select_related("attempt", "commune")
        .order_by("created_at")
    )


def _public_rows(standing, limit: int) -> list[dict]:
    return [
        {
            "rank": row.rank,
            "name": abbreviate_name(row.entry.full_name),
            "phone": mask_phone(row.entry.phone),
            "commune": row.entry.commune_name,
            "score": row.entry.score,
            "max_score": row.entry.max_score,
            "distance": row.distance,
            "seconds": row.entry.duration_seconds,
        }
        for row in standing.rows[:limit]
    ]


def round_view(request: HttpRequest, round_page: ContestRoundPage) -> HttpResponse:
    now = timezone.now()
    status = round_page.status(now)
    context = round_page.get_context(request)
    standing, winners = None, []
    if status == RoundStatus.CLOSED:
        # The final ranking never changes once summed up: computed once, then served from cache.
        key = f"contests:winners:{round_page.pk}"
        standing, winners = cache.get(key) or (None, [])
        if standing is None:
            standing = selectors.round_standing(round_page=round_page)
            if standing.final:
                winners = _public_rows(standing, round_page.top_n)
                standing = Standing(rows=[], final=True, actual=standing.actual)
                cache.set(key, (standing, winners), WINNERS_CACHE_SECONDS)
            else:
                standing = None  # summing up: the final ranking appears once the round is closed
    context.update(
        {
            "status": status,
            "now": now,
            "server_now_ms": _ms(now),
            "target": round_page.opens_at
            if status == RoundStatus.UPCOMING
            else round_page.closes_at,
            "counts": selectors.commune_counts(round_page=round_page),
            "standing": standing,
            "winners": winners,
            "my_entries": _my_entries(request, round_page),
            "enter_url": sub_url(round_page, request, "enter"),
        }
    )
    context["total_people"] = sum(c.people for c in context["counts"])
    return TemplateResponse(request, "contests/round_page.html", context)


@require_http_methods(["GET", "POST"])
def enter_view(request: HttpRequest, round_page: ContestRoundPage) -> HttpResponse:
    for entry in _my_entries(request, round_page):
        if entry.attempt.is_open:
            return redirect(sub_url(round_page, request, "entry_attempt", entry.pk))
    is_open = round_page.is_open()
    communes = services.communes_active()
    form = EntrantForm(request.POST or None, communes=communes)
    status = 200
    if request.method == "POST" and is_open and form.is_valid():
        try:
            entry = services.entry_start(
                round_page=round_page,
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                commune=form.cleaned_data["commune"],
                hamlet=form.cleaned_data["hamlet"],
                ip=client_ip(request),
            )
        except services.ContestError as exc:
            if str(exc.message) in (str(services.TOO_MANY_REQUESTS), str(ASSESS_TOO_MANY)):
                status = 429
            form.add_error(None, exc.message)
        else:
            request.session[SESSION_ENTRIES] = [
                *request.session.get(SESSION_ENTRIES, []),
                entry.pk,
            ]
            session_entrant_remember(
                session=request.session, entrant_id=entry.attempt.public_entrant_id
            )
            return redirect(sub_url(round_page, request, "entry_attempt", entry.pk))
    context = round_page.get_context(request)
    context.update({"form": form, "is_open": is_open, "round_url": round_page.get_url(request)})
    return TemplateResponse(request, "contests/enter.html", context, status=status)


def entry_attempt_view(request: HttpRequest, round_page: ContestRoundPage, entry_id: int):
    entry = _owned_entry(request, round_page, entry_id)
    services.entry_close_if_expired(entry=entry)
    if not entry.attempt.is_open:
        return redirect(sub_url(round_page, request, "entry_predict", entry.pk))
    attempt = entry.attempt
    context = round_page.get_context(request)
    context.update(
        {
            "entry": entry,
            "attempt": attempt,
            "questions": attempt_question_views(attempt=attempt),
            "deadline_ms": _ms(attempt.deadline),
            "server_now_ms": _ms(timezone.now()),
            "submit_url": sub_url(round_page, request, "entry_submit", entry.pk),
            "next_url": sub_url(round_page, request, "entry_predict", entry.pk),
        }
    )
    response = TemplateResponse(request, "contests/attempt.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["POST"])
def entry_submit_view(request: HttpRequest, round_page: ContestRoundPage, entry_id: int):
    entry = _owned_entry(request, round_page, entry_id)
    services.entry_submit(entry=entry)
    next_url = sub_url(round_page, request, "entry_predict", entry.pk)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": True, "result_url": next_url})
    return redirect(next_url)


@require_http_methods(["GET", "POST"])
def entry_predict_view(request: HttpRequest, round_page: ContestRoundPage, entry_id: int):
    entry = _owned_entry(request, round_page, entry_id)
    services.entry_close_if_expired(entry=entry)
    if entry.attempt.is_open:
        return redirect(sub_url(round_page, request, "entry_attempt", entry.pk))
    result_url = sub_url(round_page, request, "entry_result", entry.pk)
    if not services.prediction_open(entry=entry):
        return redirect(result_url)
    form = PredictionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_predict(entry=entry, prediction=form.cleaned_data["prediction"])
        except services.ContestError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(result_url)
    context = round_page.get_context(request)
    context.update({"entry": entry, "form": form, "result_url": result_url})
    return TemplateResponse(request, "contests/predict.html", context)


def entry_result_view(request: HttpRequest, round_page: ContestRoundPage, entry_id: int):
    entry = _owned_entry(request, round_page, entry_id)
    services.entry_close_if_expired(entry=entry)
    if entry.attempt.is_open:
        return redirect(sub_url(round_page, request, "entry_attempt", entry.pk))
    attempt = entry.attempt
    seconds = (
        int((attempt.submitted_at - attempt.started_at).total_seconds())
        if attempt.submitted_at
        else None
    )
    context = round_page.get_context(request)
    context.update(
        {
            "entry": entry,
            "attempt": attempt,
            "seconds": seconds,
            "commune_count": selectors.commune_count_for(
                round_page=round_page, commune_id=entry.commune_id
            ),
            "round_url": round_page.get_url(request),
            "can_predict": services.prediction_open(entry=entry),
            "predict_url": sub_url(round_page, request, "entry_predict", entry.pk),
            "entries_left": max(
                round_page.max_entries_per_phone
                - Entry.objects.filter(round=round_page, phone=entry.phone).count(),
                0,
            ),
            "is_open": round_page.is_open(),
            "enter_url": sub_url(round_page, request, "enter"),
        }
    )
    return TemplateResponse(request, "contests/result.html", context)
