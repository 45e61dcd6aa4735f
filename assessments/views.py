"""Learner pages (intro, attempt, result) and the JSON endpoints the attempt page calls."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.core.http import client_ip
from lms.org.api import Person

from . import selectors, services
from .access import SESSION_ENTRANTS, quiz_open_to_user
from .models import Attempt, AttemptState, Quiz
from .selection import QuizNotReady

NO_PERSON = _("Tài khoản của bạn chưa được gắn với hồ sơ cá nhân; vui lòng liên hệ quản trị viên.")
QUIZ_UNAVAILABLE = _("Bài kiểm tra hiện chưa sẵn sàng; vui lòng liên hệ giảng viên.")
BAD_REQUEST = _("Yêu cầu không hợp lệ.")
MAX_SAVE_BODY = 16 * 1024


def _ms(value) -> int | None:
    return None if value is None else int(value.timestamp() * 1000)


def _person_for(request: HttpRequest) -> Person | None:
    if not request.user.is_authenticated:
        return None
    return Person.objects.filter(user_id=request.user.pk).first()


# What the JSON endpoints (save, status) need of an attempt: no quiz, no person row beyond its user.
LIGHT_FIELDS = ("id", "state", "deadline", "person_id", "public_entrant_id", "person__user_id")


def _owned_attempt(request: HttpRequest, attempt_id: int, *, light: bool = False) -> Attempt:
    """The attempt, if it belongs to this browser's user or public entrant; 404 otherwise (no probing).

    ``light`` loads only what the ownership and deadline checks need (the save endpoint is the
    hottest path of an exam); otherwise the quiz comes along for the page."""
    queryset = Attempt.objects.select_related("person")
    queryset = queryset.only(*LIGHT_FIELDS) if light else queryset.select_related("quiz")
    attempt = queryset.filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404
    if attempt.person_id is not None:
        if request.user.is_authenticated and attempt.person.user_id == request.user.pk:
            return attempt
    elif attempt.public_entrant_id in request.session.get(SESSION_ENTRANTS, []):
        return attempt
    raise Http404


@require_GET
def quiz_intro(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    if not quiz.is_public and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not quiz_open_to_user(quiz=quiz, user=request.user):
        raise Http404
    person = _person_for(request)
    intro = selectors.quiz_intro_for(quiz=quiz, person_id=person.pk if person else None)
    return render(
        request,
        "assessments/quiz_intro.html",
        {
            "quiz": quiz,
            "person": person,
            "intro": intro,
            "is_open": quiz.is_open(),
            "now": timezone.now(),
        },
    )


@require_POST
def attempt_start_view(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("assessments:quiz_intro", args=[quiz.pk]))
    if not quiz_open_to_user(quiz=quiz, user=request.user):
        raise Http404
    person = _person_for(request)
    if person is None:
        messages.error(request, NO_PERSON)
        return redirect("assessments:quiz_intro", quiz_id=quiz.pk)
    try:
        attempt = services.attempt_start(quiz=quiz, person=person)
    except services.AssessmentError as exc:
        messages.error(request, exc.message)
        return redirect("assessments:quiz_intro", quiz_id=quiz.pk)
    except QuizNotReady:
        messages.error(request, QUIZ_UNAVAILABLE)
        return redirect("assessments:quiz_intro", quiz_id=quiz.pk)
    return redirect("assessments:attempt", attempt_id=attempt.pk)


class PublicEntrantForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        help_text=_("Mỗi số điện thoại chỉ được dự thi một lần."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    locality = forms.CharField(
        label=_("Xã, phường hoặc cơ quan, đơn vị"), max_length=200, required=False
    )


@require_http_methods(["GET", "POST"])
def public_register(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = get_object_or_404(Quiz, pk=quiz_id, is_public=True)
    owned = request.session.get(SESSION_ENTRANTS, [])
    mine = Attempt.objects.filter(quiz=quiz, public_entrant_id__in=owned).first() if owned else None
    if mine is not None:
        target = (
            "assessments:attempt"
            if mine.state == AttemptState.IN_PROGRESS
            else "assessments:attempt_result"
        )
        return redirect(target, attempt_id=mine.pk)
    form = PublicEntrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entrant = services.public_entrant_register(
                quiz=quiz,
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                locality=form.cleaned_data["locality"],
                ip=client_ip(request),
            )
            attempt = services.attempt_start(quiz=quiz, entrant=entrant)
        except QuizNotReady:
            form.add_error(None, QUIZ_UNAVAILABLE)
        except services.AssessmentError as exc:
            status = 429 if exc.message == services.TOO_MANY_REQUESTS else 200
            form.add_error(None, exc.message)
            return render(
                request,
                "assessments/public_register.html",
                {"quiz": quiz, "form": form},
                status=status,
            )
        else:
            request.session[SESSION_ENTRANTS] = [*owned, entrant.pk]
            return redirect("assessments:attempt", attempt_id=attempt.pk)
    return render(request, "assessments/public_register.html", {"quiz": quiz, "form": form})


@require_GET
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _owned_attempt(request, attempt_id)
    if attempt.state == AttemptState.IN_PROGRESS and services.attempt_is_expired(attempt):
        services.attempt_submit(attempt_id=attempt.pk, auto=True)
        return redirect("assessments:attempt_result", attempt_id=attempt.pk)
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect("assessments:attempt_result", attempt_id=attempt.pk)
    questions = selectors.attempt_question_views(attempt=attempt)
    response = render(
        request,
        "assessments/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "questions": questions,
            "deadline_ms": _ms(attempt.deadline),
            "server_now_ms": _ms(timezone.now()),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def _json_error(message, status: int, **extra) -> JsonResponse:
    return JsonResponse({"ok": False, "error": str(message), **extra}, status=status)


@require_POST
def attempt_save(request: HttpRequest, attempt_id: int) -> JsonResponse:
    """Body: {"question": <attempt question id>, "answer": ..., "seq": <int>}. CSRF header required."""
    attempt = _owned_attempt(request, attempt_id, light=True)
    if len(request.body) > MAX_SAVE_BODY:
        return _json_error(BAD_REQUEST, 400)
    try:
        payload = json.loads(request.body)
        question_id = int(payload["question"])
        seq = payload["seq"]
        answer = payload.get("answer")
    except (ValueError, KeyError, TypeError):
        return _json_error(BAD_REQUEST, 400)
    try:
        result = services.response_save(
            attempt=attempt, attempt_question_id=question_id, answer=answer, seq=seq
        )
    except services.AttemptClosed as exc:
        return _json_error(exc.message, 409, closed=True, server_now=_ms(timezone.now()))
    except services.AssessmentError as exc:
        return _json_error(exc.message, 400)
    return JsonResponse(
        {"ok": True, "stored": result.stored, "seq": result.seq, "server_now": _ms(timezone.now())}
    )


@require_GET
def attempt_status(request: HttpRequest, attempt_id: int) -> JsonResponse:
    attempt = _owned_attempt(request, attempt_id, light=True)
    return JsonResponse(
        {
            "state": attempt.state,
            "deadline": _ms(attempt.deadline),
            "server_now": _ms(timezone.now()),
            "grace_ms": int(services.grace().total_seconds() * 1000),
        }
    )


@require_POST
def attempt_submit_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _owned_attempt(request, attempt_id)
    services.attempt_submit(attempt_id=attempt.pk, attempt=attempt)
    result_url = reverse("assessments:attempt_result", args=[attempt.pk])
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": True, "result_url": result_url})
    return redirect(result_url)


@require_GET
def attempt_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _owned_attempt(request, attempt_id)
    if attempt.state == AttemptState.IN_PROGRESS:
        if not services.attempt_is_expired(attempt):
            return redirect("assessments:attempt", attempt_id=attempt.pk)
        services.attempt_submit(attempt_id=attempt.pk, auto=True)
        attempt = _owned_attempt(request, attempt_id)
    flags = selectors.review_flags(attempt=attempt)
    questions = selectors.attempt_question_views(attempt=attempt, flags=flags) if flags.any else []
    return render(
        request,
        "assessments/attempt_result.html",
        {"attempt": attempt, "quiz": attempt.quiz, "flags": flags, "questions": questions},
    )
