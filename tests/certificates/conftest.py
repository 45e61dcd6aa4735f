"""Fixtures for certificate tests: a course with a certificate setting, staff around the small tree."""

from __future__ import annotations

import itertools

import pytest

from certificates.models import CertificateTemplate, CourseCertificateSetting
from courses.demo import course_index_ensure, course_load
from tests import factories

_counter = itertools.count(1)


@pytest.fixture
def world(tree, groups):
    return factories.staff_world(tree, groups)


@pytest.fixture
def cert_template(tree):
    return CertificateTemplate.objects.create(
        name="Mẫu UBND xã Bắc Tân Uyên",
        issuer_unit=tree.commune_a,
        parent_body="UBND Thành phố Hồ Chí Minh",
        issuing_body="Ủy ban nhân dân xã Bắc Tân Uyên",
        place_name="Bắc Tân Uyên",
        serial_prefix="GCN-UBND",
        intro="Ủy ban nhân dân xã Bắc Tân Uyên chứng nhận:",
        signer_prefix="TM.",
        signer_authority="Ủy ban nhân dân",
        signer_title="Chủ tịch",
        signer_name="Trần Văn Đặng",
    )


@pytest.fixture
def make_course(db):
    index = course_index_ensure()

    def build(*, year: int = 2026, title: str | None = None):
        n = next(_counter)
        data = {
            "slug": f"khoa-gcn-{n}",
            "title": title or f"Thực hiện dân chủ ở cơ sở — khóa {n}",
            "summary": "Những nội dung cơ bản của Luật Thực hiện dân chủ ở cơ sở.",
            "target_groups": [],
            "estimated_minutes": 240,
            "audience": "staff",
            "year": year,
            "modules": [
                {
                    "title": "Chuyên đề 1",
                    "lessons": [
                        {
                            "slug": f"bai-{n}-1",
                            "title": "Bài 1",
                            "summary": "Tóm tắt.",
                            "estimated_minutes": 10,
                            "required": True,
                            "body": [{"type": "paragraph", "value": "<p>Nội dung.</p>"}],
                        }
                    ],
                }
            ],
        }
        return course_load(data=data, index=index)

    return build


@pytest.fixture
def course(make_course, cert_template):
    course = make_course()
    CourseCertificateSetting.objects.create(
        course=course, template=cert_template, validity_months=12, series="dccs"
    )
    return course
