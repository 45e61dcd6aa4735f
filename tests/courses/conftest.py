"""Fixtures for the courses tests: a course index, courses built through the demo loader, learners."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.demo import course_index_ensure, course_load
from tests import factories

_counter = itertools.count(1)


@pytest.fixture
def index(db):
    return course_index_ensure()


def lesson_data(n: int, *, required: bool = True, check: bool = True) -> dict:
    body = [
        {"type": "heading", "value": f"Mục {n}"},
        {"type": "paragraph", "value": f"<p>Nội dung bài {n} về quyền làm chủ của Nhân dân.</p>"},
        {"type": "citation", "law": "10/2022/QH15", "article": 11, "clause": 2, "point": None,
         "title": "Những nội dung công khai", "text": "Công khai thông tin."},
    ]  # fmt: skip
    if check:
        body.append(
            {
                "type": "check",
                "question": f"Câu hỏi bài {n}?",
                "explanation": "Theo Điều 11 khoản 2 Luật số 10/2022/QH15.",
                "choices": [
                    {"text": "Phương án sai", "correct": False},
                    {"text": "Phương án đúng", "correct": True},
                ],
            }
        )
    return {
        "slug": f"bai-{n}",
        "title": f"Bài {n}: Dân chủ ở cơ sở",
        "summary": f"Tóm tắt bài {n}.",
        "estimated_minutes": 10,
        "required": required,
        "body": body,
    }


@pytest.fixture
def make_course(index):
    """Build a published course through the loader: make_course(lessons=3, groups=[...])."""

    def build(
        *,
        lessons: int = 3,
        modules: int = 1,
        groups: tuple[str, ...] = ("nguoi-thuc-hien",),
        audience: str = "staff",
        title: str | None = None,
        year: int = 2026,
    ):
        n = next(_counter)
        per_module = [
            lessons // modules + (1 if i < lessons % modules else 0) for i in range(modules)
        ]
        numbers = iter(range(1, lessons + 1))
        data = {
            "slug": f"khoa-{n}",
            "title": title or f"Khóa học số {n} về thực hiện dân chủ",
            "summary": "Những nội dung cơ bản của Luật Thực hiện dân chủ ở cơ sở.",
            "target_groups": list(groups),
            "estimated_minutes": 60,
            "audience": audience,
            "year": year,
            "legal_basis": [
                {"document": "Luật Thực hiện dân chủ ở cơ sở", "number": "10/2022/QH15"}
            ],
            "modules": [
                {
                    "title": f"Chuyên đề {m + 1}",
                    "lessons": [lesson_data(next(numbers)) for _ in range(k)],
                }
                for m, k in enumerate(per_module)
            ],
        }
        return course_load(data=data, index=index)

    return build


@pytest.fixture
def learner(tree, groups):
    """A hamlet head, also assigned to implement the law, with a login."""
    person = factories.PersonFactory(full_name="Nguyễn Văn An")
    factories.PositionFactory(
        person=person, unit=tree.hamlet_a1, target_group=groups.implementer,
        start_date=dt.date(2025, 7, 1),
    )  # fmt: skip
    return person


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner.user)
    return client


@pytest.fixture
def count_queries():
    """count_queries(client, url) -> (queries, response), measured after a warm-up request."""

    def measure(client, url: str) -> tuple[int, object]:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        return len(ctx.captured_queries), response

    return measure


@pytest.fixture
def add_lesson():
    """add_lesson(parent_page, n, required=True) publishes one more lesson under a course/module."""
    from courses.demo import lesson_add

    def add(parent, n: int, *, required: bool = True):
        return lesson_add(parent, lesson_data(n, required=required), course_slug="extra")

    return add
