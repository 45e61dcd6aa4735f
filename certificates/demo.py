"""Demo data: a certificate template and a setting for every course, so the demo learner gets a
certificate the moment a course is completed. Idempotent (seed_demo may call it repeatedly)."""

from __future__ import annotations

import re

from .models import CertificateTemplate, CourseCertificateSetting

DEMO_TEMPLATE_NAME = "Mẫu giấy chứng nhận bồi dưỡng (UBND xã)"


def certificates_demo_ensure(*, issuer_unit=None) -> CertificateTemplate:
    from courses.models import CoursePage

    template, _created = CertificateTemplate.objects.get_or_create(
        name=DEMO_TEMPLATE_NAME,
        defaults={
            "issuer_unit": issuer_unit,
            "parent_body": "UBND Thành phố Hồ Chí Minh",
            "issuing_body": "Ủy ban nhân dân xã Bắc Tân Uyên",
            "place_name": "Bắc Tân Uyên",
            "serial_prefix": "GCN-UBND",
            "intro": "Ủy ban nhân dân xã Bắc Tân Uyên chứng nhận:",
            "signer_prefix": CertificateTemplate.SignerPrefix.TM,
            "signer_authority": "Ủy ban nhân dân",
            "signer_title": "Chủ tịch",
            "signer_name": "Nguyễn Văn Thành",
        },
    )
    for course in CoursePage.objects.filter(certificate_setting__isnull=True):
        CourseCertificateSetting.objects.get_or_create(
            course=course,
            # Next year's refresher copy is "<slug>-<year>": same series, so it recertifies.
            defaults={
                "template": template,
                "validity_months": 12,
                "series": re.sub(r"-\d{4}$", "", course.slug)[:80],
            },
        )
    return template


def load_demo_certificates(*, stdout=None) -> CertificateTemplate:
    """seed_demo entry point: the template, issued by the demo commune, for every demo course."""
    from lms.org.api import Unit

    issuer = Unit.objects.active().filter(code="BTU").first()
    template = certificates_demo_ensure(issuer_unit=issuer)
    if stdout is not None:
        stdout.write(f"Mẫu giấy chứng nhận “{template.name}” cho mọi khóa học.")
    return template
