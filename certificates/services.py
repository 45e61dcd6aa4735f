"""Writes: issue, render, re-render, revoke certificates; expiry reminders; bulk ZIP exports.

Races are decided by the database: one live certificate per (person, series, cycle) is a
partial unique constraint, and serial numbers come from a counter row incremented by an UPDATE
inside the issuing transaction, so a failed issue rolls its number back (no gaps, no duplicates).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import secrets
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lms.org.api import (
    Person,
    PositionAssignment,
    Unit,
    can_manage_person,
    can_manage_unit,
    is_system_admin,
    unit_names_on,
)

from .formatting import duration_text, vn_short_date
from .models import (
    BulkExport,
    Certificate,
    CertificateRender,
    CourseCertificateSetting,
    SerialCounter,
)
from .rendering import CertificateText, layout_for, render_pdf, render_png

if TYPE_CHECKING:
    from courses.models import CoursePage

MSG_NO_SETTING = _("Khóa học này chưa được thiết lập mẫu giấy chứng nhận.")
MSG_REASON_REQUIRED = _("Vui lòng ghi lý do.")
MSG_ALREADY_REVOKED = _("Giấy chứng nhận này đã bị thu hồi.")
MSG_OUT_OF_SCOPE = _("Bạn không quản lý đơn vị này.")
MSG_BUSY = _("Hệ thống đang cấp giấy chứng nhận cho cùng người học; vui lòng thử lại.")
RENDER_CHUNK = 100  # certificates per render task: chunks run in parallel on the workers
BULK_BATCH = 500
BACKFILL_BATCH = 500  # people per issuing transaction when catching up
REMINDER_DAYS_BEFORE = 30
EXPIRY_SUBJECT = _("Giấy chứng nhận “%(course)s” sắp hết hạn")
EXPIRY_BODY = _(
    "Kính gửi %(name)s,\n\nGiấy chứng nhận số %(serial)s (khóa “%(course)s”) có giá trị đến hết "
    "ngày %(until)s. Vui lòng tham gia bồi dưỡng lại trước thời hạn này.\n\n"
    "Xác minh giấy chứng nhận: %(url)s\n"
)


class CertificateError(ValidationError):
    pass


def code_digest(code: str) -> str:
    """Lookups go through a hash of the code, so timing never depends on a matching prefix."""
    return hashlib.sha256(code.encode()).hexdigest()


def verify_url(code: str) -> str:
    base = getattr(settings, "CERTIFICATES_PUBLIC_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL
    return base.rstrip("/") + reverse("certificates_verify:detail", args=[code])


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def _reserve_serials(prefix: str, year: int, count: int) -> int:
    """Reserve `count` consecutive numbers of the issuer's counter; returns the first.

    One UPDATE increments the counter by the whole block: its row lock serialises issuers until
    the issuing transaction ends, and a rollback returns the block (no gaps, no duplicates).
    """
    counter = SerialCounter.objects.filter(serial_prefix=prefix, year=year)
    if not counter.update(last_number=F("last_number") + count):
        try:
            with transaction.atomic():
                SerialCounter.objects.create(serial_prefix=prefix, year=year, last_number=count)
            return 1
        except IntegrityError:  # another issuer created this year's row first
            counter.update(last_number=F("last_number") + count)
    return counter.values_list("last_number", flat=True).get() - count + 1


def _next_serial(prefix: str, year: int) -> int:
    """One number of the issuer's counter (see `_reserve_serials`)."""
    return _reserve_serials(prefix, year, 1)


def _salutation(person: Person) -> str:
    return {"male": "Ông", "female": "Bà"}.get(person.gender, "Ông/Bà")


def _holder_units(days: dict[tuple, dt.date]) -> dict[tuple, Unit | None]:
    """For each (person id, cycle year) and its completion day: the unit of the position held
    that day (the earliest-started if several), else of the person's latest position. One query."""
    by_person: dict[int, list] = {}
    for key in days:
        by_person.setdefault(key[0], []).append(key)
    best: dict[tuple, tuple] = {}
    positions = PositionAssignment.objects.filter(person_id__in=list(by_person)).select_related(
        "unit"
    )
    for position in positions:
        for key in by_person[position.person_id]:
            day = days[key]
            active = position.start_date <= day and (
                position.end_date is None or position.end_date > day
            )
            rank = (
                (0, position.start_date.toordinal(), position.pk)
                if active
                else (1, -position.start_date.toordinal(), -position.pk)
            )
            if key not in best or rank < best[key][0]:
                best[key] = (rank, position.unit)
    return {key: unit for key, (_rank, unit) in best.items()}


@dataclass(frozen=True)
class Completion:
    """One person's completion of a course, the input of an issue."""

    person_id: int
    completed_at: dt.datetime | None = None
    started_at: dt.datetime | None = None


def _live_many(
    person_ids: Iterable[int], series: str, years: Iterable[int]
) -> dict[tuple, Certificate]:
    """The live certificates of these people in the series, by (person id, cycle year)."""
    rows = Certificate.objects.not_revoked().filter(
        person_id__in=list(person_ids), series=series, cycle_year__in=sorted(set(years))
    )
    return {(c.person_id, c.cycle_year): c for c in rows}


def certificate_issue(
    *,
    person_id: int,
    course_id: int,
    reason: str | None = None,
    actor=None,
    completed_at: dt.datetime | None = None,
    started_at: dt.datetime | None = None,
) -> Certificate | None:
    """Issue the certificate for a completed course, exactly once per person, series and year.

    Automatic issues (no `reason`) happen only for courses with an active certificate setting and
    return None otherwise. Manual issues need a reason and a setting. Returns the live certificate,
    which may be one issued earlier (or concurrently) for the same cycle. This is
    `certificates_issue_batch` with one completion.
    """
    issued = certificates_issue_batch(
        course_id=course_id,
        completions=[Completion(person_id, completed_at, started_at)],
        reason=reason,
        actor=actor,
    )
    return issued[0] if issued else None


def certificates_issue_batch(
    *,
    course_id: int,
    completions: Sequence[Completion],
    reason: str | None = None,
    actor=None,
    render_chunk: int = RENDER_CHUNK,
) -> list[Certificate]:
    """Issue the certificates of many completions of one course with a constant number of queries.

    Returns the live certificate of each completion, in order (earlier or concurrent issues are
    returned as they are; a person listed twice for one year gets one certificate). Serial
    numbers are reserved as one block in the issuing transaction and the rows are inserted
    together; if a concurrent issue wins a race on one of the people, the whole block rolls back
    and the remaining people are issued again, so numbers never have gaps. The PDFs are rendered
    after commit by Celery tasks of `render_chunk` certificates each (parallel across workers).
    Automatic issues (no `reason`) of a course without an active setting return [].
    """
    setting = (
        CourseCertificateSetting.objects.select_related("template", "course")
        .filter(course_id=course_id)
        .first()
    )
    manual = reason is not None
    if manual and not reason.strip():
        raise CertificateError(MSG_REASON_REQUIRED)
    if setting is None or (not setting.is_active and not manual):
        if manual:
            raise CertificateError(MSG_NO_SETTING)
        return []
    if not completions:
        return []
    today = timezone.localdate()
    series = setting.series_key
    wanted: dict[tuple, Completion] = {}
    for completion in completions:
        completed_on = (
            timezone.localdate(completion.completed_at) if completion.completed_at else today
        )
        wanted.setdefault((completion.person_id, completed_on.year), completion)
    keys = list(wanted)
    live = _live_many((k[0] for k in keys), series, (k[1] for k in keys))
    todo = sorted(k for k in keys if k not in live)  # one lock order for racing batches
    for _attempt in range(5):
        if not todo:
            break
        try:
            live.update(
                _issue_block(
                    setting=setting,
                    todo=todo,
                    wanted=wanted,
                    today=today,
                    reason=reason,
                    actor=actor,
                    render_chunk=render_chunk,
                )
            )
            todo = []
        except IntegrityError:
            # A concurrent issue won the race for some of them; our block rolled back whole.
            won = _live_many((k[0] for k in todo), series, (k[1] for k in todo))
            if not won:
                raise
            live.update(won)
            todo = [k for k in todo if k not in won]
    if todo:
        raise CertificateError(MSG_BUSY)
    return [
        live[(c.person_id, (timezone.localdate(c.completed_at) if c.completed_at else today).year)]
        for c in completions
    ]


def _issue_block(
    *, setting, todo, wanted, today, reason, actor, render_chunk
) -> dict[tuple, Certificate]:
    """Insert the certificates of `todo` with one block of serial numbers; returns them by key."""
    template, course, series = setting.template, setting.course, setting.series_key
    people = Person.objects.in_bulk([k[0] for k in todo])
    days = {}
    for key in todo:
        completed_at = wanted[key].completed_at
        days[key] = timezone.localdate(completed_at) if completed_at else today
    units = _holder_units(days)
    unit_names = unit_names_on(units={u for u in units.values() if u}, day=today)
    valid_until = (
        _add_months(today, setting.validity_months) - dt.timedelta(days=1)
        if setting.validity_months
        else None
    )
    duration = duration_text(course.estimated_minutes)
    issued_by = actor if getattr(actor, "pk", None) else None
    manual_reason = (reason or "").strip()
    with transaction.atomic():
        first = _reserve_serials(template.serial_prefix, today.year, len(todo))
        certificates = []
        for offset, (person_id, cycle_year) in enumerate(todo):
            person, completion = people[person_id], wanted[(person_id, cycle_year)]
            holder_unit = units.get((person_id, cycle_year))
            # A citizen holds no position: the certificate belongs to the template's issuing
            # unit, so its managers find (and may revoke) it; no "Đơn vị" line for the holder.
            unit = holder_unit or template.issuer_unit
            code = secrets.token_urlsafe(24)  # 192 bits
            certificates.append(
                Certificate(
                    person=person,
                    course=course,
                    template=template,
                    unit=unit,
                    series=series,
                    cycle_year=cycle_year,
                    serial_prefix=template.serial_prefix,
                    serial_year=today.year,
                    serial_number=first + offset,
                    code=code,
                    code_digest=code_digest(code),
                    holder_salutation=_salutation(person),
                    holder_name=person.full_name,
                    unit_name=unit_names[holder_unit.pk] if holder_unit else "",
                    course_title=course.title,
                    duration_text=duration,
                    result_text=setting.result_text,
                    parent_body=template.parent_body,
                    issuing_body=template.issuing_body,
                    place_name=template.place_name,
                    started_on=(
                        timezone.localdate(completion.started_at) if completion.started_at else None
                    ),
                    completed_on=days[(person_id, cycle_year)],
                    issued_on=today,
                    valid_until=valid_until,
                    manual_reason=manual_reason,
                    issued_by=issued_by,
                )
            )
        Certificate.objects.bulk_create(certificates, batch_size=BULK_BATCH)
        # Recertification: the earlier live certificate of the series is archived, not deleted.
        new_by_person = {c.person_id: c for c in certificates}
        earlier = list(
            Certificate.objects.filter(
                person_id__in=list(new_by_person),
                series=series,
                status=Certificate.Status.ACTIVE,
                cycle_year__lt=max(k[1] for k in todo),
            ).only("pk", "person_id", "cycle_year", "status", "superseded_by")
        )
        archived = []
        for old in earlier:
            new = new_by_person[old.person_id]
            if old.cycle_year < new.cycle_year:
                old.status, old.superseded_by = Certificate.Status.ARCHIVED, new
                archived.append(old)
        if archived:
            Certificate.objects.bulk_update(
                archived, ["status", "superseded_by"], batch_size=BULK_BATCH
            )
        ids = [c.pk for c in certificates]
        for i in range(0, len(ids), render_chunk):
            certificates_render_enqueue(certificate_ids=ids[i : i + render_chunk])
    return {(c.person_id, c.cycle_year): c for c in certificates}


def certificates_issue_for_completed(*, course_id: int, batch: int = BACKFILL_BATCH) -> int:
    """Issue the certificates of everyone who completed the course and has none for that year:
    completions from before the course had an active setting, online or recorded by a manager.

    People who ever had a certificate of the series for that year (even a revoked one) are left
    alone. Each batch of `batch` people is one issuing transaction; returns how many were issued.
    """
    from courses.api import Enrolment
    from lms.training.api import Assignment

    setting = CourseCertificateSetting.objects.filter(course_id=course_id, is_active=True).first()
    if setting is None:
        return 0
    done: dict[tuple, Completion] = {}
    enrolments = Enrolment.objects.filter(
        course_id=course_id, status=Enrolment.Status.COMPLETED, completed_at__isnull=False
    ).order_by("completed_at", "pk")
    assignments = Assignment.objects.filter(
        requirement__course_id=course_id,
        status=Assignment.Status.COMPLETED,
        completed_at__isnull=False,
    ).order_by("completed_at", "pk")
    rows = list(enrolments.values_list("person_id", "completed_at", "started_at"))
    rows += [(p, at, None) for p, at in assignments.values_list("person_id", "completed_at")]
    for person_id, completed_at, started_at in sorted(rows, key=lambda r: r[1]):
        key = (person_id, timezone.localdate(completed_at).year)
        done.setdefault(key, Completion(person_id, completed_at, started_at))
    had = set(
        Certificate.objects.filter(series=setting.series_key).values_list("person_id", "cycle_year")
    )
    missing = [completion for key, completion in done.items() if key not in had]
    for i in range(0, len(missing), batch):
        certificates_issue_batch(course_id=course_id, completions=missing[i : i + batch])
    return len(missing)


def certificates_issue_for_completed_enqueue(*, course_id: int) -> None:
    from .tasks import certificates_issue_for_completed_task

    transaction.on_commit(lambda: certificates_issue_for_completed_task.delay(course_id))


def certificates_render_enqueue(*, certificate_ids: list[int]) -> None:
    """Render the issue PDFs after commit, in one Celery task for the chunk."""
    from .tasks import certificates_render_many_task

    ids = list(certificate_ids)
    transaction.on_commit(lambda: certificates_render_many_task.delay(ids))


def certificate_render_enqueue(*, certificate_id: int, rerender: bool = False) -> None:
    from .tasks import certificate_render_task

    transaction.on_commit(lambda: certificate_render_task.delay(certificate_id, rerender))


def certificate_text(certificate: Certificate) -> CertificateText:
    return CertificateText(
        serial=certificate.serial,
        holder_salutation=certificate.holder_salutation,
        holder_name=certificate.holder_name,
        unit_name=certificate.unit_name,
        course_title=certificate.course_title,
        duration_text=certificate.duration_text,
        result_text=certificate.result_text,
        parent_body=certificate.parent_body,
        issuing_body=certificate.issuing_body,
        place_name=certificate.place_name,
        started_on=certificate.started_on,
        completed_on=certificate.completed_on,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        verify_url=verify_url(certificate.code),
        code=certificate.code,
    )


def certificate_render(*, certificate_id: int, rerender: bool = False) -> CertificateRender | None:
    """Render and store a PDF version. Idempotent: an issue render happens once; a re-render
    happens only when the template changed since the current version."""
    certificate = Certificate.objects.select_related("template").get(pk=certificate_id)
    template = certificate.template
    if not rerender and certificate.render_version:
        return None  # the issue render happened already (a retried task)
    latest = (
        certificate.renders.order_by("-version").first() if certificate.render_version else None
    )
    if latest is not None and (not rerender or latest.template_updated_at == template.updated_at):
        return None
    pdf = render_pdf(layout=layout_for(template), text=certificate_text(certificate))
    version = (latest.version if latest else 0) + 1
    name = f"{certificate.pk}-v{version}-{secrets.token_hex(8)}.pdf"
    try:
        with transaction.atomic():
            render = CertificateRender(
                certificate=certificate, version=version, template_updated_at=template.updated_at
            )
            render.pdf.save(name, ContentFile(pdf), save=False)
            render.save()
            Certificate.objects.filter(pk=certificate.pk).update(
                pdf=render.pdf.name, render_version=version, preview_png=""
            )
    except IntegrityError:
        return None  # a parallel worker stored this version
    return render


def certificates_render_many(*, certificate_ids: Iterable[int]) -> int:
    """Render and store the issue PDF of many certificates: one read, one insert of the render
    rows and one UPDATE of the certificates for the whole chunk, plus one file per certificate.

    The files of a chunk share a random token (“<id>-v1-<token>.pdf”), so the UPDATE can set
    every certificate's file name from its id. Certificates already rendered are skipped (a
    retried task). Returns how many were rendered.
    """
    certificates = list(
        Certificate.objects.filter(pk__in=list(certificate_ids), render_version=0)
        .select_related("template")
        .order_by("pk")
    )
    if not certificates:
        return 0
    field = CertificateRender._meta.get_field("pdf")
    directory = posixpath.dirname(field.generate_filename(None, "x.pdf"))
    token = secrets.token_hex(8)
    renders, renamed = [], {}
    for certificate in certificates:
        template = certificate.template
        pdf = render_pdf(layout=layout_for(template), text=certificate_text(certificate))
        expected = f"{directory}/{certificate.pk}-v1-{token}.pdf"
        stored = field.storage.save(expected, ContentFile(pdf), max_length=field.max_length)
        if stored != expected:  # the storage chose another name: set that one separately
            renamed[certificate.pk] = stored
        renders.append(
            CertificateRender(
                certificate=certificate,
                version=1,
                template_updated_at=template.updated_at,
                pdf=stored,
            )
        )
    ids = [c.pk for c in certificates]
    try:
        with transaction.atomic():
            CertificateRender.objects.bulk_create(renders, batch_size=BULK_BATCH)
            Certificate.objects.filter(pk__in=ids, render_version=0).exclude(
                pk__in=list(renamed)
            ).update(
                pdf=Concat(
                    Value(directory + "/"),
                    Cast("pk", output_field=CharField()),
                    Value(f"-v1-{token}.pdf"),
                ),
                render_version=1,
                preview_png="",
            )
            for pk, name in renamed.items():
                Certificate.objects.filter(pk=pk).update(pdf=name, render_version=1, preview_png="")
    except IntegrityError:
        # A parallel worker stored some of them first: settle each one on its own.
        for render in renders:
            field.storage.delete(render.pdf.name)
        return sum(certificate_render(certificate_id=pk) is not None for pk in ids)
    return len(certificates)


def certificate_preview_png(*, certificate: Certificate) -> bytes:
    """The sharing image, rasterised from the stored PDF once and kept next to it."""
    if certificate.preview_png:
        with certificate.preview_png.open("rb") as fh:
            return fh.read()
    if not certificate.pdf:
        certificate_render(certificate_id=certificate.pk)
        certificate.refresh_from_db()
    with certificate.pdf.open("rb") as fh:
        png = render_png(fh.read())
    certificate.preview_png.save(
        f"{certificate.pk}-v{certificate.render_version}-{secrets.token_hex(8)}.png",
        ContentFile(png),
        save=False,
    )
    Certificate.objects.filter(pk=certificate.pk).update(preview_png=certificate.preview_png.name)
    return png


def certificate_in_scope(*, user, certificate: Certificate) -> bool:
    """Certificates follow the holder's unit at issue; unit-less ones are for system admins."""
    if certificate.unit is None:
        return is_system_admin(user)
    return can_manage_unit(user=user, unit=certificate.unit)


def _check_scope(user, certificate: Certificate) -> None:
    if not certificate_in_scope(user=user, certificate=certificate):
        raise PermissionDenied(MSG_OUT_OF_SCOPE)


def certificate_revoke(*, certificate: Certificate, reason: str, actor) -> Certificate:
    """Revoke with a reason; the verification page shows “đã thu hồi” from now on."""
    _check_scope(actor, certificate)
    if not (reason or "").strip():
        raise CertificateError(MSG_REASON_REQUIRED)
    changed = (
        Certificate.objects.filter(pk=certificate.pk)
        .exclude(status=Certificate.Status.REVOKED)
        .update(
            status=Certificate.Status.REVOKED,
            revoked_at=timezone.now(),
            revoked_reason=reason.strip(),
            revoked_by=actor,
        )
    )
    if not changed:
        raise CertificateError(MSG_ALREADY_REVOKED)
    certificate.refresh_from_db()
    return certificate


def certificate_rerender(*, certificate: Certificate, actor) -> None:
    """Queue a new PDF version with the current template; serial and code never change."""
    _check_scope(actor, certificate)
    certificate_render_enqueue(certificate_id=certificate.pk, rerender=True)


def certificate_issue_manual(*, person: Person, course: CoursePage, reason: str, actor):
    """A manager issues a certificate with a reason, for a person in their subtree."""
    if not can_manage_person(user=actor, person=person):
        raise PermissionDenied(MSG_OUT_OF_SCOPE)
    return certificate_issue(person_id=person.pk, course_id=course.pk, reason=reason, actor=actor)


def certificates_send_expiry_reminders(*, today: dt.date | None = None) -> int:
    """Email each holder once, REMINDER_DAYS_BEFORE days before expiry. Safe to run repeatedly."""
    today = today or timezone.localdate()
    due = (
        Certificate.objects.filter(
            status=Certificate.Status.ACTIVE,
            expiry_reminded_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + dt.timedelta(days=REMINDER_DAYS_BEFORE),
        )
        .select_related("person__user")
        .order_by("pk")
    )
    sent = 0
    for certificate in due.iterator(chunk_size=500):
        person = certificate.person
        address = person.email or (person.user.email if person.user_id else "")
        # The conditional UPDATE is the idempotency key: one winner per certificate, ever.
        claimed = Certificate.objects.filter(
            pk=certificate.pk, expiry_reminded_at__isnull=True
        ).update(expiry_reminded_at=timezone.now())
        if not claimed or not address:
            continue
        values = {
            "name": certificate.holder_name,
            "serial": certificate.serial,
            "course": certificate.course_title,
            "until": vn_short_date(certificate.valid_until),
            "url": verify_url(certificate.code),
        }
        send_mail(
            str(EXPIRY_SUBJECT) % values,
            str(EXPIRY_BODY) % values,
            settings.DEFAULT_FROM_EMAIL,
            [address],
        )
        sent += 1
    return sent


# --- Bulk ZIP ------------------------------------------------------------------------------


def bulk_export_queryset(*, unit: Unit, course_id: int, year: int):
    return (
        Certificate.objects.not_revoked()
        .filter(course_id=course_id, cycle_year=year, unit__path__startswith=unit.path)
        .order_by("serial_year", "serial_number")
    )


def bulk_export_create(*, user, unit: Unit, course: CoursePage, year: int) -> BulkExport:
    if not can_manage_unit(user=user, unit=unit):
        raise PermissionDenied(MSG_OUT_OF_SCOPE)
    export = BulkExport.objects.create(requested_by=user, unit=unit, course=course, year=year)
    from .tasks import bulk_export_task

    export_id = export.pk
    transaction.on_commit(lambda: bulk_export_task.delay(export_id))
    return export


def bulk_export_build(*, export_id: int, progress_every: int = 200) -> BulkExport:
    """Write every certificate PDF into one ZIP (stored, not recompressed: PDFs are compressed)."""
    export = BulkExport.objects.select_related("unit").get(pk=export_id)
    if export.status == BulkExport.Status.DONE:
        return export
    certificates = bulk_export_queryset(
        unit=export.unit, course_id=export.course_id, year=export.year
    )
    total = certificates.count()
    BulkExport.objects.filter(pk=export.pk).update(
        status=BulkExport.Status.RUNNING, total=total, done=0
    )
    rows = certificates.values_list("pk", "serial_number", "holder_name", "pdf")
    with tempfile.TemporaryFile() as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            for index, (pk, number, name, pdf_name) in enumerate(rows.iterator(2000), start=1):
                if not pdf_name:
                    certificate_render(certificate_id=pk)
                    pdf_name = Certificate.objects.values_list("pdf", flat=True).get(pk=pk)
                entry = f"{number:04d}-{slugify(name) or pk}.pdf"
                with Certificate.pdf.field.storage.open(pdf_name, "rb") as fh:
                    archive.writestr(entry, fh.read())
                if index % progress_every == 0:
                    BulkExport.objects.filter(pk=export.pk).update(done=index)
        tmp.seek(0)
        filename = f"gcn-{export.year}-{slugify(export.unit.code)}-{secrets.token_hex(6)}.zip"
        export.file.save(filename, File(tmp), save=False)
    BulkExport.objects.filter(pk=export.pk).update(
        status=BulkExport.Status.DONE, done=total, file=export.file.name, finished_at=timezone.now()
    )
    export.refresh_from_db()
    return export


def bulk_export_fail(*, export_id: int, error: str) -> None:
    BulkExport.objects.filter(pk=export_id).update(
        status=BulkExport.Status.FAILED, error=error[:300], finished_at=timezone.now()
    )


def award_certificate_render(
    *,
    template_id: int,
    holder_name: str,
    unit_name: str,
    award_title: str,
    result_text: str,
    completed_on: dt.date,
    verify_url: str,
    code: str = "",
) -> tuple[str, bytes]:
    """A certificate for someone outside the organisation (a contest winner): (serial, PDF).

    Drawn from the same template as course certificates; the serial comes from the template's
    yearly counter, so call it inside the caller's transaction (a failure rolls the number back).
    """
    from .models import CertificateTemplate

    template = CertificateTemplate.objects.get(pk=template_id)
    issued_on = timezone.localdate()
    number = _next_serial(template.serial_prefix, issued_on.year)
    serial = f"{number:04d}/{template.serial_prefix}"
    text = CertificateText(
        serial=serial,
        holder_salutation="Ông/Bà",
        holder_name=holder_name,
        unit_name=unit_name,
        course_title=award_title,
        duration_text="",
        result_text=result_text,
        parent_body=template.parent_body,
        issuing_body=template.issuing_body,
        place_name=template.place_name,
        started_on=None,
        completed_on=completed_on,
        issued_on=issued_on,
        valid_until=None,
        verify_url=verify_url,
        code=code,
    )
    return serial, render_pdf(layout=layout_for(template), text=text)
