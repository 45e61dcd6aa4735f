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

from lms.core.uploads import validate_upload
from lms.org.api import Person, PositionAssignment

from .audit import audit_record
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
    # In-person attendance completes the course's assignments where the plan allows it.
    assignments_complete_for_course(
        person_id=person.pk,
        course_id=session.course_id,
        completed_at=min(session.starts_at, timezone.now()),
        via=Assignment.Via.IN_PERSON,
        actor=actor,
        attendance_only=True,
    )
    return attendance, True


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
