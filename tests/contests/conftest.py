"""Fixtures for the contest tests: a site with a contest, an open round over a small reviewed bank."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale

from assessments.models import (
    AttemptChoice,
    Choice,
    LegalTag,
    Question,
    QuestionBank,
    QuestionCategory,
)
from assessments.services import response_save
from cms.contests import services
from cms.contests.models import ContestPage, ContestRoundPage
from cms.site_setup import home_page_ensure
from tests.factories import staff_world

SECRET = "BÍ-MẬT-ĐÁP-ÁN"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(tree, groups):
    return staff_world(tree, groups)


@pytest.fixture
def bank_category(db):
    return make_bank_category()


def make_bank_category():
    """A reviewed bank of six true/false questions on Law 10/2022 (“Đúng” is always right)."""
    bank = QuestionBank.objects.create(name="Luật Thực hiện dân chủ ở cơ sở", slug="ldccs")
    category = QuestionCategory.objects.create(bank=bank, name="Luật 10/2022")
    for i in range(1, 7):
        q = Question.objects.create(
            bank=bank,
            category=category,
            qtype="truefalse",
            name=f"Câu {i}",
            text=f"<p>Khẳng định số {i} về Luật 10/2022 có đúng không?</p>",
            explanation=f"{SECRET} giải thích {i}",
            general_feedback=f"{SECRET} nhận xét {i}",
            status="reviewed",
        )
        LegalTag.objects.create(question=q, law="10/2022/QH15", article=i)
        Choice.objects.create(
            question=q, text="Đúng", fraction=Decimal("1"), feedback=f"{SECRET} đúng", sort_order=0
        )
        Choice.objects.create(
            question=q, text="Sai", fraction=Decimal("0"), feedback=f"{SECRET} sai", sort_order=1
        )
    return category


def add_round(contest, category, *, slug="dot-1", opens_at=None, closes_at=None, **extra):
    now = timezone.now()
    page = ContestRoundPage(
        title=extra.pop("title", f"Đợt thi {slug}"),
        slug=slug,
        opens_at=opens_at or now - dt.timedelta(days=1),
        closes_at=closes_at or now + dt.timedelta(days=6),
        category=category,
        question_count=extra.pop("question_count", 4),
        time_limit_minutes=extra.pop("time_limit_minutes", 10),
        max_entries_per_phone=extra.pop("max_entries_per_phone", 3),
        top_n=extra.pop("top_n", 10),
        rules="<p>Mỗi lượt thi gồm 4 câu hỏi.</p>",
        prizes="<p>1 giải Nhất, 2 giải Nhì.</p>",
        **extra,
    )
    contest.add_child(instance=page)
    page.save_revision().publish()
    return ContestRoundPage.objects.get(pk=page.pk)


@pytest.fixture
def site(tree, bank_category):
    Locale.objects.get_or_create(language_code="vi")
    home = home_page_ensure(hostname="testserver", port=80)
    contest = ContestPage(title="Cuộc thi tìm hiểu Luật Thực hiện dân chủ ở cơ sở", slug="cuoc-thi")
    home.add_child(instance=contest)
    contest.save_revision().publish()
    contest = ContestPage.objects.get(pk=contest.pk)
    return SimpleNamespace(
        home=home,
        contest=contest,
        round=add_round(contest, bank_category),
        category=bank_category,
        tree=tree,
    )


def answer_all(entry, *, correct: int | None = None) -> None:
    """Answer the entry's questions: the first `correct` right, the rest wrong (all right by default)."""
    attempt = entry.attempt
    aqs = list(attempt.questions.order_by("position"))
    correct = len(aqs) if correct is None else correct
    for i, aq in enumerate(aqs):
        right = i < correct
        option = AttemptChoice.objects.get(
            attempt_question=aq, choice__fraction=Decimal("1") if right else Decimal("0")
        )
        response_save(attempt=attempt, attempt_question_id=aq.pk, answer=option.pk, seq=1)


def enter(round_page, *, phone="0912345678", name="Trần Thị Dân", commune, **extra):
    return services.entry_start(
        round_page=round_page, full_name=name, phone=phone, commune=commune, **extra
    )


def entrant_data(commune, **extra):
    data = {
        "full_name": "Trần Thị Dân",
        "phone": "0912 345 678",
        "commune": str(commune.pk),
        "hamlet": "Ấp 1",
        "consent": "on",
        "website": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def client():
    return Client()
