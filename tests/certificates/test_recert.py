"""Validity, recertification, re-rendering, revocation and expiry reminders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateRender, CourseCertificateSetting
from certificates.services import (
    MSG_ALREADY_REVOKED,
    CertificateError,
    certificate_issue,
    certificate_rerender,
    certificate_revoke,
    certificates_send_expiry_reminders,
)

pytestmark = pytest.mark.django_db


def test_next_years_refresher_archives_the_old_certificate(
    client, world, course, make_course, cert_template
):
    old = certificate_issue(
        person_id=world.person_a.pk,
        course_id=course.pk,
        completed_at=timezone.now() - dt.timedelta(days=370),
    )
    refresher = make_course(year=2027)
    CourseCertificateSetting.objects.create(
        course=refresher, template=cert_template, validity_months=12, series="dccs"
    )
    new = certificate_issue(person_id=world.person_a.pk, course_id=refresher.pk)
    old.refresh_from_db()
    assert old.status == Certificate.Status.ARCHIVED and old.superseded_by_id == new.pk
    assert new.status == Certificate.Status.ACTIVE and new.cycle_year == old.cycle_year + 1
    old_page = client.get(reverse("certificates_verify:detail", args=[old.code])).content.decode()
    assert "Hết hạn" in old_page
    new_page = client.get(reverse("certificates_verify:detail", args=[new.code])).content.decode()
    assert "Còn hiệu lực" in new_page


def test_past_valid_until_shows_expired(world, course):
    certificate = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    assert certificate.display_status(certificate.valid_until) == "valid"
    assert certificate.display_status(certificate.valid_until + dt.timedelta(days=1)) == "expired"


def test_rerender_after_a_template_fix_keeps_serial_and_code(
    world, course, cert_template, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    certificate.refresh_from_db()
    first_pdf, serial, code = certificate.pdf.name, certificate.serial, certificate.code
    cert_template.signer_name = "Trần Văn Đặng Khoa"
    cert_template.save()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_rerender(certificate=certificate, actor=world.admin)
        certificate_rerender(certificate=certificate, actor=world.admin)  # a retry adds nothing
    certificate.refresh_from_db()
    renders = list(CertificateRender.objects.filter(certificate=certificate).order_by("version"))
    assert [r.version for r in renders] == [1, 2]
    assert renders[0].pdf.name == first_pdf and renders[0].pdf.storage.exists(first_pdf)
    assert certificate.pdf.name == renders[1].pdf.name != first_pdf
    assert (certificate.serial, certificate.code) == (serial, code)


def test_revocation_needs_a_reason_and_happens_once(world, course):
    certificate = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    with pytest.raises(CertificateError):
        certificate_revoke(certificate=certificate, reason="  ", actor=world.manager_a)
    certificate_revoke(certificate=certificate, reason="Cấp nhầm", actor=world.manager_a)
    assert (
        certificate.status == Certificate.Status.REVOKED
        and certificate.revoked_reason == "Cấp nhầm"
    )
    with pytest.raises(CertificateError) as exc:
        certificate_revoke(certificate=certificate, reason="Lần nữa", actor=world.manager_a)
    assert exc.value.messages == [str(MSG_ALREADY_REVOKED)]


def test_a_revoked_certificate_can_be_issued_again(world, course):
    first = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    certificate_revoke(certificate=first, reason="Sai đơn vị", actor=world.admin)
    second = certificate_issue(
        person_id=world.person_a.pk, course_id=course.pk, reason="Cấp lại", actor=world.admin
    )
    assert second.pk != first.pk and second.serial_number == first.serial_number + 1


def test_expiry_reminder_is_sent_once_per_certificate(world, course):
    world.person_a.email = "an@example.vn"
    world.person_a.save()
    certificate = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    before = certificate.valid_until - dt.timedelta(days=40)
    assert certificates_send_expiry_reminders(today=before) == 0
    soon = certificate.valid_until - dt.timedelta(days=10)
    assert certificates_send_expiry_reminders(today=soon) == 1
    assert certificates_send_expiry_reminders(today=soon) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["an@example.vn"]
    assert "sắp hết hạn" in mail.outbox[0].subject
    assert certificate.serial in mail.outbox[0].body


def test_beat_schedule_runs_the_reminders(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "certificates.send_expiry_reminders" in tasks
