"""Learner-facing views: QR check-in on the phone, the session page, notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST

from .attendance import (
    MSG_ALREADY_CHECKED_IN,
    MSG_CHECKED_IN,
    MSG_NO_PERSON,
    attendance_record,
    checkin_session_from_token,
    checkin_window_check,
)
from .models import Attendance
from .reminders import notifications_mark_read
from .selectors import notifications_page_queryset, session_quiz_results


def _person_of(user):
    return getattr(user, "person", None)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request, token: str):
    """GET shows what the code is for; POST records attendance (once)."""
    template = "training/checkin.html"
    try:
        session = checkin_session_from_token(token=token)
        checkin_window_check(session=session)
    except ValidationError as error:
        return TemplateResponse(request, template, {"error": error.messages[0]}, status=400)
    person = _person_of(request.user)
    if person is None:
        return TemplateResponse(
            request, template, {"session": session, "error": _(MSG_NO_PERSON)}, status=403
        )
    existing = Attendance.objects.filter(session=session, person=person).first()
    if request.method == "POST":
        attendance, created = attendance_record(
            session=session, person=person, method=Attendance.Method.QR, actor=request.user
        )
        if created:
            messages.success(request, _(MSG_CHECKED_IN).format(session=session.title))
        else:
            messages.info(request, _already(attendance))
        return redirect("training_checkin:done", session_id=session.pk)
    return TemplateResponse(
        request,
        template,
        {
            "session": session,
            "token": token,
            "already": _already(existing) if existing else "",
        },
    )


def _already(attendance: Attendance) -> str:
    when = timezone.localtime(attendance.recorded_at).strftime("%H:%M %d/%m/%Y")
    return _(MSG_ALREADY_CHECKED_IN).format(time=when)


@login_required
def checkin_done(request, session_id: int):
    """The attendee's page for a session: attendance recorded, then the post-session quiz."""
    person = _person_of(request.user)
    attendance = (
        Attendance.objects.filter(session_id=session_id, person=person)
        .select_related("session__course", "session__quiz")
        .first()
        if person
        else None
    )
    quiz_result = None
    if attendance is not None and attendance.session.quiz_id:
        quiz_result = session_quiz_results(session=attendance.session, person_ids=[person.pk]).get(
            person.pk
        )
    return TemplateResponse(
        request,
        "training/checkin_done.html",
        {"attendance": attendance, "quiz_result": quiz_result},
    )


# --- Notifications (“Thông báo”) -------------------------------------------------------------

NOTIFICATIONS_PER_PAGE = 20
MSG_MARKED_ONE = gettext_noop("Đã đánh dấu thông báo là đã đọc.")
MSG_MARKED_ALL = gettext_noop("Đã đánh dấu tất cả thông báo là đã đọc.")


def _page_number(value: str) -> str:
    return value if value.isdigit() else "1"


@login_required
def notifications(request):
    """The signed-in user's notifications, newest first, unread ones highlighted."""
    page = Paginator(
        notifications_page_queryset(user=request.user), NOTIFICATIONS_PER_PAGE
    ).get_page(request.GET.get("trang"))
    return TemplateResponse(
        request,
        "training/notifications.html",
        {
            "page": page,
            "notifications": list(page.object_list),
            "unread_total": notifications_page_queryset(user=request.user).unread().count(),
        },
    )


def _back_to_list(request):
    url = "training_notifications:list"
    number = _page_number(request.POST.get("trang", ""))
    response = redirect(url)
    if number != "1":
        response["Location"] += f"?trang={number}"
    return response


@login_required
@require_POST
def notifications_mark_read_view(request):
    """POST `id` to mark one notification read; without it, all of them."""
    raw = request.POST.get("id", "")
    if raw:
        if not raw.isdigit():
            raise Http404
        get_object_or_404(notifications_page_queryset(user=request.user), pk=int(raw))
        notifications_mark_read(user=request.user, ids=[int(raw)])
        messages.success(request, _(MSG_MARKED_ONE))
    else:
        notifications_mark_read(user=request.user)
        messages.success(request, _(MSG_MARKED_ALL))
    return _back_to_list(request)


@login_required
@require_POST
def notification_open(request, pk: int):
    """Opening a notification marks it read and goes where it points (this site only)."""
    notification = get_object_or_404(notifications_page_queryset(user=request.user), pk=pk)
    notifications_mark_read(user=request.user, ids=[notification.pk])
    link = notification.link
    if link and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(link)
    return _back_to_list(request)
