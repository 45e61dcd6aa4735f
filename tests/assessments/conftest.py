"""Fixtures for the assessment engine tests: a reviewed bank with every question type, quizzes, learners."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.test import Client

from assessments.models import (
    Choice,
    LegalTag,
    MatchPair,
    Question,
    QuestionBank,
    QuestionCategory,
    Quiz,
    QuizSlot,
)
from assessments.services import attempt_start
from tests.factories import PersonFactory

SECRET_MARKERS = ("BÍ-MẬT-GIẢI-THÍCH", "BÍ-MẬT-NHẬN-XÉT", "BÍ-MẬT-PHẢN-HỒI")


def make_question(
    bank, category, qtype, name, *, status="reviewed", article=5, difficulty="", **extra
):
    q = Question(
        bank=bank,
        category=category,
        qtype=qtype,
        name=name,
        text=f"<p>{name}: nội dung câu hỏi</p>",
        explanation=f"BÍ-MẬT-GIẢI-THÍCH {name} theo Điều {article}",
        general_feedback=f"BÍ-MẬT-NHẬN-XÉT {name}",
        status=status,
        difficulty=difficulty,
        **extra,
    )
    q.save()
    LegalTag.objects.create(question=q, law="10/2022/QH15", article=article)
    return q


def add_choices(q, specs):
    for i, (text, fraction, *rest) in enumerate(specs):
        Choice.objects.create(
            question=q,
            text=text,
            fraction=Decimal(str(fraction)),
            feedback=f"BÍ-MẬT-PHẢN-HỒI {text}",
            tolerance=Decimal(str(rest[0])) if rest else None,
            sort_order=i,
        )
    return q


@pytest.fixture
def bank(db):
    return QuestionBank.objects.create(name="Luật Dân chủ cơ sở", slug="dccs")


@pytest.fixture
def categories(bank):
    top = QuestionCategory.objects.create(bank=bank, name="Luật 10/2022")
    sub = QuestionCategory.objects.create(bank=bank, name="Chương II", parent=top)
    return top, sub


@pytest.fixture
def questions(bank, categories):
    """One reviewed question of each type (keyed by type)."""
    top, sub = categories
    qs = {}
    qs["single"] = add_choices(
        make_question(bank, top, "single", "Một lựa chọn", article=3),
        [("Đúng là A", 1), ("Sai B", 0), ("Sai C", -0.5)],
    )
    qs["multiple"] = add_choices(
        make_question(bank, top, "multiple", "Nhiều lựa chọn", article=4),
        [("Đúng 1", 0.5), ("Đúng 2", 0.5), ("Sai 3", -1), ("Sai 4", -0.5)],
    )
    qs["truefalse"] = add_choices(
        make_question(bank, top, "truefalse", "Đúng sai", article=5), [("Đúng", 1), ("Sai", 0)]
    )
    qs["shortanswer"] = add_choices(
        make_question(bank, sub, "shortanswer", "Trả lời ngắn", article=6, ignore_accents=True),
        [("Hội nghị thôn", 1), ("hội nghị*", 0.5)],
    )
    qs["numerical"] = add_choices(
        make_question(bank, sub, "numerical", "Số", article=7), [("50", 1, "2"), ("40", 0.5, "0")]
    )
    m = make_question(bank, sub, "matching", "Ghép đôi", article=8)
    for i, (prompt, answer) in enumerate(
        [
            ("Nhân dân biết", "Công khai"),
            ("Nhân dân bàn", "Thảo luận"),
            ("Nhân dân kiểm tra", "Giám sát"),
            ("", "Gây nhiễu"),
        ]
    ):
        MatchPair.objects.create(question=m, prompt=prompt, answer=answer, sort_order=i)
    qs["matching"] = m
    qs["ordering"] = add_choices(
        make_question(bank, sub, "ordering", "Sắp xếp", article=9),
        [("Bước 1", 0), ("Bước 2", 0), ("Bước 3", 0), ("Bước 4", 0)],
    )
    return qs


@pytest.fixture
def make_quiz(bank):
    def _make(questions, **kwargs):
        kwargs.setdefault("title", "Kiểm tra cuối khóa")
        kwargs.setdefault("time_limit", 600)
        kwargs.setdefault("attempts_allowed", 0)
        quiz = Quiz.objects.create(bank=bank, **kwargs)
        for i, q in enumerate(questions):
            QuizSlot.objects.create(quiz=quiz, sort_order=i, kind="fixed", question=q)
        return quiz

    return _make


@pytest.fixture
def quiz(make_quiz, questions):
    return make_quiz(
        list(questions.values()), review_answers="immediately", review_explanations="immediately"
    )


@pytest.fixture
def learner(db):
    return PersonFactory(full_name="Nguyễn Văn Học")


@pytest.fixture
def learner_client(learner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner.user)
    return client


@pytest.fixture
def start(learner):
    def _start(quiz, person=None, seed=1):
        return attempt_start(quiz=quiz, person=person or learner, rng=random.Random(seed))

    return _start
