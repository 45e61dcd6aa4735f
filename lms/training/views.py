"""Learner-facing views: QR check-in on the phone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .attendance import (
    MSG_ALREADY_CHECKED_IN,
    MSG_CHECKED_IN,
    MSG_NO_PERSON,
    attendance_record,
    checkin_session_from_token,
    checkin_window_check,
)
from .models import Attendance


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
    person = _person_of(request.user)
    attendance = (
        Attendance.objects.filter(session_id=session_id, person=person)
        .select_related("session__course")
        .first()
        if person
        else None
    )
    return TemplateResponse(request, "training/checkin_done.html", {"attendance": attendance})
