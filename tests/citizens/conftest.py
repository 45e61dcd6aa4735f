"""Fixtures for citizens' accounts: a public and a staff course, and a sign-up helper."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from courses.demo import course_index_ensure, course_load

SIGNUP = "/tai-khoan/dang-ky/"
PASSWORD = "Hoc-phap-luat-2026"


def signup_data(**overrides) -> dict:
    data = {
        "full_name": "Lê Thị Hoa",
        "phone": "0987 654 321",
        "email": "",
        "residence_unit": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def _lesson(slug: str, title: str) -> dict:
    return {
        "slug": slug,
        "title": title,
        "summary": f"Tóm tắt {title}.",
        "estimated_minutes": 10,
        "required": True,
        "body": [
            {
                "type": "paragraph",
                "value": f"<p>{title}: hương ước do cộng đồng bàn và quyết định.</p>",
            },
            {
                "type": "check",
                "question": "Ai quyết định hương ước?",
                "explanation": "Cộng đồng dân cư bàn và quyết định.",
                "choices": [
                    {"text": "Cộng đồng dân cư", "correct": True},
                    {"text": "Trưởng thôn", "correct": False},
                ],
            },
        ],
    }


def build_course(*, slug: str, title: str, audience: str, lessons: int = 2):
    return course_load(
        data={
            "slug": slug,
            "title": title,
            "summary": "Những nội dung cơ bản về hương ước, quy ước.",
            "target_groups": ["truong-thon"],
            "estimated_minutes": 30,
            "audience": audience,
            "year": 2026,
            "modules": [
                {
                    "title": "Phần 1",
                    "lessons": [
                        _lesson(f"{slug}-bai-{n}", f"Bài {n} của {title}")
                        for n in range(1, lessons + 1)
                    ],
                }
            ],
        },
        index=course_index_ensure(),
    )


@pytest.fixture
def public_course(groups):
    return build_course(
        slug="huong-uoc-mo", title="Hương ước, quy ước cho Nhân dân", audience="public"
    )


@pytest.fixture
def staff_course(groups):
    return build_course(
        slug="dccs-can-bo", title="Luật Thực hiện dân chủ ở cơ sở cho cán bộ", audience="staff"
    )


@pytest.fixture
def citizen(db):
    """A citizen signed up through the service (the view is tested on its own)."""
    from lms.accounts.services import citizen_register

    return citizen_register(
        full_name="Phạm Văn Dân", phone="0977111222", email="dan@example.vn", password=PASSWORD
    )


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client


@pytest.fixture
def User():
    return get_user_model()
