"""In-person sessions: who is invited, signed QR codes, and recording attendance.

The trainer's screen shows a QR code for a token signed with TimestampSigner; a fresh token is
drawn every QR_ROTATE_SECONDS and each one is accepted for QR_MAX_AGE_SECONDS, so a photo of
the code passed around after the session is useless. Attendance is unique per person and
session, so scanning twice is harmless.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments.api import quiz_passed
from courses.api import Enrolment
from lms.core.uploads import validate_upload
from lms.org.api import Person, PositionAssignment

from .audit import assignment_snapshot, audit_record
from .models import Assignment, Attendance, AttendanceEvidence, AuditEntry, Session
from .services import assignments_complete_for_course

QR_ROTATE_SECONDS = 60
QR_MAX_AGE_SECONDS = 150  # a scan just before the code rotates still works after login
QR_SALT = "training.session.checkin"
CHECKIN_MARGIN = dt.timedelta(hours=1)  # QR check-in opens an hour early, closes an hour late
EVIDENCE_EXTENSIONS = {"pdf", "jpg", "jpeg", "png"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024

MSG_QR_EXPIRED = gettext_noop(
    "Mã điểm danh đã hết hạn. Hãy quét lại mã đang hiển thị trên màn hình của lớp."
)
MSG_QR_INVALID = gettext_noop("Mã điểm danh không hợp lệ.")
MSG_NO_PERSON = gettext_noop(
    "Tài khoản của anh/chị chưa gắn với hồ sơ người học. Hãy liên hệ cán bộ quản lý."
)
MSG_NOT_OPEN_YET = gettext_noop("Lớp chưa mở điểm danh. Điểm danh bằng mã QR mở từ {time}.")
MSG_CLOSED = gettext_noop(
    "Lớp đã kết thúc, không điểm danh bằng mã QR được nữa. Hãy liên hệ giảng viên."
)
MSG_REMOVE_REASON_REQUIRED = gettext_noop("Cần ghi rõ lý do hủy điểm danh.")
MSG_CHECKED_IN = gettext_noop("Đã điểm danh: {session}.")
MSG_ALREADY_CHECKED_IN = gettext_noop(
    "Anh/chị đã được điểm danh lớp này lúc {time}. Không cần điểm danh lại."
)


def session_invitees(*, session: Session) -> QuerySet[Person]:
    """People holding, on the session's day, a position in an invited unit subtree and group."""
    paths = [u.path for u in session.invited_units.all()]
    if not paths:
        return Person.objects.none()
    where = Q()
    for path in paths:
        where |= Q(unit__path__startswith=path)
    positions = PositionAssignment.objects.active_on(
        timezone.localtime(session.starts_at).date()
    ).filter(where)
    group_ids = [g.pk for g in session.invited_target_groups.all()]
    if group_ids:
        positions = positions.filter(target_group_id__in=group_ids)
    return Person.objects.filter(pk__in=positions.values("person_id")).order_by("sort_key", "id")


def checkin_token(*, session: Session) -> str:
    return signing.TimestampSigner(salt=QR_SALT).sign(str(session.pk))


def checkin_session_from_token(*, token: str, max_age: int = QR_MAX_AGE_SECONDS) -> Session:
    """The session a QR token names, or ValidationError (expired or forged)."""
    signer = signing.TimestampSigner(salt=QR_SALT)
    try:
        session_id = signer.unsign(token, max_age=dt.timedelta(seconds=max_age))
    except signing.SignatureExpired as exc:
        raise ValidationError(_(MSG_QR_EXPIRED), code="expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(_(MSG_QR_INVALID), code="invalid") from exc
    session = Session.objects.select_related("course").filter(pk=int(session_id)).first()
    if session is None:
        raise ValidationError(_(MSG_QR_INVALID), code="invalid")
    return session


def checkin_window_check(*, session: Session, now: dt.datetime | None = None) -> None:
    """QR check-in is open from an hour before the start to an hour after the end."""
    now = now or timezone.now()
    opens = session.starts_at - CHECKIN_MARGIN
    if now < opens:
        when = timezone.localtime(opens).strftime("%H:%M %d/%m/%Y")
        raise ValidationError(_(MSG_NOT_OPEN_YET).format(time=when), code="not_open")
    if now > session.ends_at + CHECKIN_MARGIN:
        raise ValidationError(_(MSG_CLOSED), code="closed")


@transaction.atomic
def attendance_record(
    *,
    session: Session,
    person: Person,
    method: str,
    actor,
    evidence: AttendanceEvidence | None = None,
) -> tuple[Attendance, bool]:
    """Record that the person attended; returns (attendance, created). Idempotent."""
    existing = Attendance.objects.filter(session=session, person=person).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session,
                person=person,
                method=method,
                recorded_by=actor if getattr(actor, "pk", None) else None,
                evidence=evidence,
            )
    except IntegrityError:  # the same person scanned twice at the same instant
        return Attendance.objects.get(session=session, person=person), False
    audit_record(
        obj=attendance,
        action=AuditEntry.Action.ATTENDED,
        actor=actor,
        after={"session_id": session.pk, "person_id": person.pk, "method": method},
    )
    # In-person attendance completes the course's assignments where the plan allows it (and,
    # when the session's quiz must be passed, once it is).
    if attendance_completes(session=session, person_id=person.pk):
        assignments_complete_for_course(
            person_id=person.pk,
            course_id=session.course_id,
            completed_at=_completed_at_for(session),
            via=Assignment.Via.IN_PERSON,
            actor=actor,
            attendance_only=True,
        )
    return attendance, True


def _completed_at_for(session: Session) -> dt.datetime:
    # The session's time, so the completion falls in the session's year.
    return min(session.starts_at, timezone.now())


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def attendance_completes(*, session: Session, person_id: int) -> bool:
    """Whether this attendance completes the requirement: always, or once the quiz is passed."""
    if session.completes_on_attendance:
        return True
    return quiz_passed(quiz_id=session.quiz_id, person_id=person_id)


@transaction.atomic
def attendance_quiz_passed(*, person_id: int, quiz_id: int) -> list[Assignment]:
    """An attendee passed a session's post-session quiz: complete where that was awaited.

    Only people recorded as present count (the quiz alone is not attendance). Idempotent:
    a second passing attempt finds the assignment completed and changes nothing.
    """
    sessions = list(
        Session.objects.filter(quiz_id=quiz_id, attendances__person_id=person_id).distinct()
    )
    if not sessions or not quiz_passed(quiz_id=quiz_id, person_id=person_id):
        return []
    done: list[Assignment] = []
    for session in sessions:
        done += assignments_complete_for_course(
            person_id=person_id,
            course_id=session.course_id,
            completed_at=_completed_at_for(session),
            via=Assignment.Via.IN_PERSON,
            attendance_only=True,
        )
    return done


def _still_completed_by(
    *, person_id: int, course_id: int, year: int
) -> tuple[str, dt.datetime] | None:
    """What else completes the person's assignment for the course in the year, if anything."""
    start, end = _year_bounds(year)
    others = Session.objects.filter(
        course_id=course_id,
        attendances__person_id=person_id,
        starts_at__gte=start,
        starts_at__lt=end,
    ).order_by("starts_at")
    for other in others:
        if attendance_completes(session=other, person_id=person_id):
            return Assignment.Via.IN_PERSON, _completed_at_for(other)
    online = (
        Enrolment.objects.filter(
            person_id=person_id,
            course_id=course_id,
            status=Enrolment.Status.COMPLETED,
            completed_at__gte=start,
            completed_at__lt=end,
        )
        .values_list("completed_at", flat=True)
        .first()
    )
    if online is not None:
        return Assignment.Via.ONLINE, online
    return None


def _status_before_completion(assignment: Assignment) -> str:
    """The open status the assignment had before it was completed (from the audit trail)."""
    entry = (
        AuditEntry.objects.for_object(assignment)
        .filter(action=AuditEntry.Action.COMPLETED)
        .order_by("-created_at", "-id")
        .first()
    )
    previous = (entry.before or {}).get("status") if entry else None
    if previous in (Assignment.Status.NOT_STARTED, Assignment.Status.IN_PROGRESS):
        return previous
    return Assignment.Status.NOT_STARTED


def _revert_in_person_completions(
    *, session: Session, person_id: int, actor, reason: str
) -> list[Assignment]:
    year = timezone.localtime(session.starts_at).year
    assignments = list(
        Assignment.objects.select_for_update().filter(
            person_id=person_id,
            requirement__course_id=session.course_id,
            year=year,
            status=Assignment.Status.COMPLETED,
            completed_via=Assignment.Via.IN_PERSON,
        )
    )
    if not assignments:
        return []
    other = _still_completed_by(person_id=person_id, course_id=session.course_id, year=year)
    changed = []
    for assignment in assignments:
        before = assignment_snapshot(assignment)
        if other is not None:
            via, completed_at = other
            if via == assignment.completed_via:
                continue  # another attendance still completes it: nothing to change
            assignment.completed_via, assignment.completed_at = via, completed_at
        else:
            assignment.status = _status_before_completion(assignment)
            assignment.completed_at = None
            assignment.completed_via = ""
        assignment.save(update_fields=["status", "completed_at", "completed_via", "updated_at"])
        audit_record(
            obj=assignment,
            action=AuditEntry.Action.REVERTED if other is None else AuditEntry.Action.UPDATED,
            actor=actor,
            before=before,
            after=assignment_snapshot(assignment),
            note=reason,
        )
        changed.append(assignment)
    return changed


@transaction.atomic
def attendance_remove(*, attendance: Attendance, reason: str, actor) -> list[Assignment]:
    """Undo an attendance recorded by mistake (ticked, scanned or from a paper list).

    The reason is required and audited. Assignments this attendance had completed go back to
    their status before completion, unless another attendance or an online completion in the
    same year still completes them. Returns the assignments that changed.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_(MSG_REMOVE_REASON_REQUIRED), code="reason")
    attendance = (
        Attendance.objects.select_for_update()
        .select_related("session", "person")
        .get(pk=attendance.pk)
    )
    session, person_id = attendance.session, attendance.person_id
    audit_record(
        obj=attendance,
        action=AuditEntry.Action.UNATTENDED,
        actor=actor,
        before={
            "session_id": session.pk,
            "person_id": person_id,
            "method": attendance.method,
            "recorded_at": attendance.recorded_at.isoformat(),
            "recorded_by_id": attendance.recorded_by_id,
        },
        note=reason,
    )
    attendance.delete()
    return _revert_in_person_completions(
        session=session, person_id=person_id, actor=actor, reason=reason
    )


def attendance_record_many(
    *, session: Session, people: list[Person], method: str, actor, evidence=None
) -> int:
    created = 0
    for person in people:
        _attendance, new = attendance_record(
            session=session, person=person, method=method, actor=actor, evidence=evidence
        )
        created += new
    return created


@transaction.atomic
def attendance_evidence_upload(
    *, session: Session, file, people: list[Person], actor
) -> AttendanceEvidence:
    """Keep a scanned signed paper list and tick the people on it."""
    validate_upload(file=file, allowed=EVIDENCE_EXTENSIONS, max_bytes=EVIDENCE_MAX_BYTES)
    evidence = AttendanceEvidence.objects.create(session=session, file=file, uploaded_by=actor)
    audit_record(
        obj=evidence,
        action=AuditEntry.Action.EVIDENCE,
        actor=actor,
        after={"session_id": session.pk, "file": evidence.file.name, "people": len(people)},
    )
    attendance_record_many(
        session=session,
        people=people,
        method=Attendance.Method.PAPER,
        actor=actor,
        evidence=evidence,
    )
    return evidence
