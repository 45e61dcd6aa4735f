"""Writes: issue, render, re-render, revoke certificates; expiry reminders; bulk ZIP exports.

Races are decided by the database: one live certificate per (person, series, cycle) is a
partial unique constraint, and serial numbers come from a counter row incremented by an UPDATE
inside the issuing transaction, so a failed issue rolls its number back (no gaps, no duplicates).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import tempfile
import zipfile
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lms.org.api import (
    Person,
    Unit,
    can_manage_person,
    can_manage_unit,
    is_system_admin,
    unit_name_on,
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


def _next_serial(prefix: str, year: int) -> int:
    """Increment and read the issuer's counter; the UPDATE's row lock serialises issuers."""
    counter = SerialCounter.objects.filter(serial_prefix=prefix, year=year)
    if not counter.update(last_number=F("last_number") + 1):
        try:
            with transaction.atomic():
                SerialCounter.objects.create(serial_prefix=prefix, year=year, last_number=1)
            return 1
        except IntegrityError:  # another issuer created this year's row first
            counter.update(last_number=F("last_number") + 1)
    return counter.values_list("last_number", flat=True).get()


def _salutation(person: Person) -> str:
    return {"male": "Ông", "female": "Bà"}.get(person.gender, "Ông/Bà")


def _holder_unit(person: Person, day: dt.date) -> Unit | None:
    position = (
        person.positions.active_on(day).select_related("unit").order_by("start_date", "id").first()
        or person.positions.select_related("unit").order_by("-start_date", "-id").first()
    )
    return position.unit if position else None


def _live(person_id: int, series: str, cycle_year: int) -> Certificate | None:
    return (
        Certificate.objects.not_revoked()
        .filter(person_id=person_id, series=series, cycle_year=cycle_year)
        .first()
    )


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
    which may be one issued earlier (or concurrently) for the same cycle.
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
        return None
    completed_on = timezone.localdate(completed_at) if completed_at else timezone.localdate()
    series, cycle_year = setting.series_key, completed_on.year
    existing = _live(person_id, series, cycle_year)
    if existing is not None:
        return existing

    person = Person.objects.get(pk=person_id)
    template, course = setting.template, setting.course
    issued_on = timezone.localdate()
    unit = _holder_unit(person, completed_on)
    code = secrets.token_urlsafe(24)  # 192 bits
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                person=person,
                course=course,
                template=template,
                unit=unit,
                series=series,
                cycle_year=cycle_year,
                serial_prefix=template.serial_prefix,
                serial_year=issued_on.year,
                serial_number=_next_serial(template.serial_prefix, issued_on.year),
                code=code,
                code_digest=code_digest(code),
                holder_salutation=_salutation(person),
                holder_name=person.full_name,
                unit_name=unit_name_on(unit=unit, day=issued_on) if unit else "",
                course_title=course.title,
                duration_text=duration_text(course.estimated_minutes),
                result_text=setting.result_text,
                parent_body=template.parent_body,
                issuing_body=template.issuing_body,
                place_name=template.place_name,
                started_on=timezone.localdate(started_at) if started_at else None,
                completed_on=completed_on,
                issued_on=issued_on,
                valid_until=(
                    _add_months(issued_on, setting.validity_months) - dt.timedelta(days=1)
                    if setting.validity_months
                    else None
                ),
                manual_reason=(reason or "").strip(),
                issued_by=actor if getattr(actor, "pk", None) else None,
            )
            # Recertification: the earlier live certificate of the series is archived, not deleted.
            Certificate.objects.filter(
                person_id=person_id,
                series=series,
                status=Certificate.Status.ACTIVE,
                cycle_year__lt=cycle_year,
            ).update(status=Certificate.Status.ARCHIVED, superseded_by=certificate)
    except IntegrityError:
        # A concurrent completion issued it first; its serial number rolled back with us.
        existing = _live(person_id, series, cycle_year)
        if existing is None:
            raise
        return existing
    certificate_render_enqueue(certificate_id=certificate.pk)
    return certificate


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
