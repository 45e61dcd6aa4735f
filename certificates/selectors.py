"""Reads: a learner's certificates, the manager's scoped listing, public verification."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.org.api import unit_scope_q

from .models import Certificate
from .services import code_digest


@dataclass(frozen=True)
class PublicCertificate:
    """Exactly what the public verification page may show; nothing else leaves the database."""

    holder_name: str
    course_title: str
    issuing_body: str
    serial: str
    issued_on: object
    valid_until: object
    status: str  # valid / expired / revoked


PUBLIC_FIELDS = (
    "holder_name",
    "course_title",
    "issuing_body",
    "serial_prefix",
    "serial_number",
    "issued_on",
    "valid_until",
    "status",
    "code",
)

STATUS_LABELS = {
    "valid": _("Còn hiệu lực"),
    "expired": _("Hết hạn"),
    "revoked": _("Đã thu hồi"),
}


def certificate_by_code(*, code: str) -> Certificate | None:
    """Find by the code's hash and confirm with a constant-time comparison."""
    code = (code or "").strip()
    if not code or len(code) > 64:
        return None
    certificate = (
        Certificate.objects.filter(code_digest=code_digest(code)).only(*PUBLIC_FIELDS).first()
    )
    if certificate is None or not hmac.compare_digest(certificate.code, code):
        return None
    return certificate


def certificate_public(*, code: str) -> PublicCertificate | None:
    certificate = certificate_by_code(code=code)
    if certificate is None:
        return None
    return PublicCertificate(
        holder_name=certificate.holder_name,
        course_title=certificate.course_title,
        issuing_body=certificate.issuing_body,
        serial=certificate.serial,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        status=certificate.display_status(timezone.localdate()),
    )


def certificates_for_person(*, person) -> QuerySet[Certificate]:
    """The person's certificates, newest first (revoked ones included, shown as revoked)."""
    if person is None:
        return Certificate.objects.none()
    return Certificate.objects.filter(person=person).order_by("-issued_on", "-id")


def certificate_rows_for_person(*, person) -> list[dict]:
    """The person's certificates with their status as of today, for listings."""
    today = timezone.localdate()
    rows = []
    for certificate in certificates_for_person(person=person):
        status = certificate.display_status(today)
        rows.append({"certificate": certificate, "status": status, "label": STATUS_LABELS[status]})
    return rows


def certificates_visible_to(*, user) -> QuerySet[Certificate]:
    """Certificates of people in the user's unit subtree (system admins: all)."""
    qs = Certificate.objects.all()
    condition = unit_scope_q(user, "unit")
    return qs if condition is None else qs.filter(condition)
