"""Wagtail admin views for in-person sessions: QR screen, roster ticking, paper list upload."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import ListingButton

from lms.org.api import Person

from .admin_views import _ScopedObjectMixin, _TrainingFormView
from .attendance import (
    QR_ROTATE_SECONDS,
    attendance_evidence_upload,
    attendance_record_many,
    attendance_remove,
    checkin_token,
    session_invitees,
)
from .forms import AttendanceRemoveForm, EvidenceForm, RosterForm
from .models import Attendance, Session
from .permissions import SESSION_POLICY
from .selectors import session_quiz_results

MSG_ROSTER_SAVED = _("Đã ghi nhận thêm %(count)s người có mặt.")
MSG_EVIDENCE_SAVED = _("Đã lưu danh sách ký nhận và ghi nhận thêm %(count)s người có mặt.")
MSG_ATTENDANCE_REMOVED = _("Đã hủy điểm danh của %(name)s.")
MSG_ASSIGNMENT_REVERTED = _(
    "Nhiệm vụ bồi dưỡng của %(name)s được trả về trạng thái trước khi hoàn thành."
)


class SessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            SESSION_POLICY.instances_user_has_any_permission_for(self.request.user, ["view"])
            .select_related("course", "trainer")
            .order_by("-starts_at", "id")
        )

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if SESSION_POLICY.user_has_permission(self.request.user, "attendance"):
            buttons.append(
                ListingButton(
                    _("Điểm danh"),
                    url=reverse("training_sessions:attendance", args=[instance.pk]),
                    icon_name="list-ul",
                    priority=5,
                )
            )
        return buttons


class SessionCreateView(generic.CreateView):
    def save_instance(self):
        instance = self.form.instance
        instance.created_by = self.request.user
        if instance.trainer_id is None:
            instance.trainer = self.request.user
        return super().save_instance()


class SessionEditView(_ScopedObjectMixin, generic.EditView):
    policy = SESSION_POLICY
    scoped_action = "change"


def _session_for(request, pk: int) -> Session:
    if not SESSION_POLICY.user_has_permission(request.user, "attendance"):
        raise PermissionDenied
    scope = SESSION_POLICY.instances_user_has_any_permission_for(request.user, ["attendance"])
    return get_object_or_404(scope.select_related("course", "quiz"), pk=pk)


def session_qr(request, pk: int):
    """Full-screen code for the projector; the page reloads itself as the code rotates."""
    session = _session_for(request, pk)
    url = request.build_absolute_uri(
        reverse("training_checkin:checkin", args=[checkin_token(session=session)])
    )
    qr = segno.make(url, error="m")
    return TemplateResponse(
        request,
        "training/admin/session_qr.html",
        {
            "session": session,
            "qr_svg": qr.svg_inline(scale=8, title=str(_("Mã QR điểm danh"))),
            "checkin_url": url,
            "refresh_seconds": QR_ROTATE_SECONDS,
        },
    )


class SessionAttendanceView(_TrainingFormView):
    """The trainer's roster: invited people plus anyone already recorded; tick who came."""

    template_name = "training/admin/session_attendance.html"
    page_title = _("Điểm danh")
    submit_button_label = _("Lưu điểm danh")
    index_url_name = "training_sessions:index"
    index_label = _("Lớp tập huấn")
    form_class = RosterForm

    def dispatch(self, request, *args, **kwargs):
        self.session = _session_for(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def people(self):
        invited = session_invitees(session=self.session).order_by().values("pk")
        attended = Attendance.objects.filter(session=self.session).values("person_id")
        return Person.objects.filter(Q(pk__in=invited) | Q(pk__in=attended)).order_by(
            "sort_key", "id"
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people": self.people()}

    def get_context_data(self, **kwargs):
        attendances = {
            a.person_id: a
            for a in Attendance.objects.filter(session=self.session).select_related("evidence")
        }
        people = list(self.people())
        quiz_results = session_quiz_results(session=self.session, person_ids=list(attendances))
        return super().get_context_data(
            session=self.session,
            rows=[(p, attendances.get(p.pk), quiz_results.get(p.pk)) for p in people],
            attended_count=len(attendances),
            quiz_passed_count=sum(1 for r in quiz_results.values() if r.passed),
            evidence_form=kwargs.pop("evidence_form", None)
            or EvidenceForm(people=self.people(), prefix="paper"),
            evidence=list(self.session.evidence.all()),
            **kwargs,
        )

    def form_valid(self, form):
        count = attendance_record_many(
            session=self.session,
            people=list(form.cleaned_data["people"]),
            method=Attendance.Method.ROSTER,
            actor=self.request.user,
        )
        messages.success(self.request, MSG_ROSTER_SAVED % {"count": count})
        return redirect("training_sessions:attendance", self.session.pk)


class SessionEvidenceView(SessionAttendanceView):
    """Upload a scanned signed paper list; the people ticked on it are recorded."""

    def get_form(self, form_class=None):
        return EvidenceForm(
            people=self.people(),
            prefix="paper",
            data=self.request.POST or None,
            files=self.request.FILES or None,
        )

    def form_invalid(self, form):
        messages.error(self.request, _("Vui lòng sửa các lỗi bên dưới."))
        return self.render_to_response(
            self.get_context_data(form=RosterForm(people=self.people()), evidence_form=form)
        )

    def form_valid(self, form):
        before = Attendance.objects.filter(session=self.session).count()
        try:
            attendance_evidence_upload(
                session=self.session,
                file=form.cleaned_data["file"],
                people=list(form.cleaned_data["people"]),
                actor=self.request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        added = Attendance.objects.filter(session=self.session).count() - before
        messages.success(self.request, MSG_EVIDENCE_SAVED % {"count": added})
        return redirect("training_sessions:attendance", self.session.pk)


def session_evidence_file(request, pk: int, evidence_pk: int):
    """Signed paper lists carry personal data: served only to those who run the session."""
    session = _session_for(request, pk)
    evidence = get_object_or_404(session.evidence, pk=evidence_pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=False)


class SessionAttendanceRemoveView(_TrainingFormView):
    """Undo an attendance recorded by mistake (ticked, QR or paper list), with a reason."""

    template_name = "training/admin/attendance_remove.html"
    page_title = _("Hủy điểm danh")
    submit_button_label = _("Hủy điểm danh")
    index_url_name = "training_sessions:index"
    index_label = _("Lớp tập huấn")
    form_class = AttendanceRemoveForm

    def dispatch(self, request, *args, **kwargs):
        self.session = _session_for(request, kwargs["pk"])
        self.attendance = get_object_or_404(
            Attendance.objects.filter(session=self.session).select_related("person", "recorded_by"),
            pk=kwargs["attendance_pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, attendance=self.attendance, **kwargs)

    def form_valid(self, form):
        name = self.attendance.person.full_name
        reverted = attendance_remove(
            attendance=self.attendance, reason=form.cleaned_data["reason"], actor=self.request.user
        )
        messages.success(self.request, MSG_ATTENDANCE_REMOVED % {"name": name})
        if any(a.status != "completed" for a in reverted):
            messages.warning(self.request, MSG_ASSIGNMENT_REVERTED % {"name": name})
        return redirect("training_sessions:attendance", self.session.pk)
