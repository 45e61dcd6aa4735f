"""Item analysis and per-article results against hand-computed numbers.

Five graded attempts of a three-question quiz (marks 1, 1, 2):

    attempt  Q1 single  Q2 true/false  Q3 short answer (mark 2)   total
    A1       1          1              2 ("Quốc hội")             4
    A2       1          0              2 ("quốc hội")             3
    A3       0          1              1 ("QH", 50 %)             2
    A4       1          1              0 ("Chính phủ")            2
    A5       —          0              0 ("Chính phủ")            0

Facility = mean fraction: Q1 3/5 = 0.600, Q2 0.600, Q3 (1 + 1 + 0.5)/5 = 0.500.
Discrimination = r(x, total − x):
    Q1: x = 1,1,0,1,0; rest = 3,2,2,1,0 → Σdxdy 1.2 / √(1.2 × 5.2) = 0.480
    Q2: x = 1,0,1,1,0; rest = 3,3,1,1,0 → 0.2 / √(1.2 × 7.2)      = 0.068
    Q3: x = 2,2,1,0,0; rest = 2,1,1,2,0 → 1.0 / √(4 × 2.8)        = 0.299
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import statistics
from assessments.models import (
    Attempt,
    AttemptChoice,
    AttemptQuestion,
    Choice,
    LegalTag,
    Question,
    QuestionBank,
    Quiz,
    Response,
)
from assessments.services import attempt_start, attempt_submit, response_save
from tests.factories import PersonFactory, PositionFactory

LAW = "10/2022/QH15"


def _question(bank, qtype, name, choices, articles, mark=Decimal("1")):
    question = Question.objects.create(
        bank=bank, qtype=qtype, name=name, text=name, status="reviewed", default_mark=mark
    )
    for i, (text, fraction) in enumerate(choices):
        Choice.objects.create(
            question=question, text=text, fraction=Decimal(fraction), sort_order=i
        )
    for article in articles:
        LegalTag.objects.create(question=question, law=LAW, article=article)
    return question


def _attempt(quiz, person, answers, number=1):
    """answers: [(question, fraction, answer)] where answer is a choice text, typed text or None."""
    total = sum(Decimal(fraction) * q.default_mark for q, fraction, _a in answers)
    attempt = Attempt.objects.create(
        quiz=quiz, person=person, number=number, state="submitted", score=total,
        submitted_at=timezone.now(), graded_at=timezone.now(),
    )  # fmt: skip
    for position, (question, fraction, answer) in enumerate(answers, start=1):
        aq = AttemptQuestion.objects.create(
            attempt=attempt, position=position, question=question, mark=question.default_mark,
            snapshot={"qtype": question.qtype}, fraction=Decimal(fraction),
            score=Decimal(fraction) * question.default_mark,
        )  # fmt: skip
        options = {}
        for index, choice in enumerate(question.choices.all()):
            option = AttemptChoice.objects.create(
                attempt_question=aq, position=index, choice=choice, source_id=choice.pk
            )
            options[choice.text] = option.pk
        if question.qtype in statistics.CHOICE_TYPES and answer is not None:
            answer = options[answer]
        Response.objects.create(attempt_question=aq, answer=answer, seq=1 if answer else 0)
    return attempt


@pytest.fixture
def item_data(db, tree, groups):
    bank = QuestionBank.objects.create(name="Thống kê", slug="thong-ke")
    quiz = Quiz.objects.create(title="Kiểm tra", bank=bank)
    q1 = _question(
        bank, "single", "Q1", [("Nhân dân", "1"), ("Công an", "0"), ("Doanh nghiệp", "0")], [11]
    )
    q2 = _question(bank, "truefalse", "Q2", [("Đúng", "1"), ("Sai", "0")], [12])
    q3 = _question(
        bank, "shortanswer", "Q3", [("Quốc hội", "1"), ("QH", "0.5")], [11, 15], Decimal("2")
    )
    start = dt.date(2025, 7, 1)
    people = [PersonFactory() for _ in range(5)]
    PositionFactory(
        person=people[0], unit=tree.hamlet_a1, target_group=groups.hamlet_head, start_date=start
    )
    PositionFactory(
        person=people[0], unit=tree.board_a, target_group=groups.inspection, start_date=start
    )
    PositionFactory(
        person=people[1], unit=tree.commune_a, target_group=groups.official, start_date=start
    )
    PositionFactory(
        person=people[2], unit=tree.board_a, target_group=groups.inspection, start_date=start
    )
    PositionFactory(
        person=people[3], unit=tree.hamlet_b1, target_group=groups.hamlet_head, start_date=start
    )
    PositionFactory(
        person=people[4],
        unit=tree.commune_b,
        target_group=groups.official,
        start_date=start,
        end_date=dt.date(2025, 12, 31),
    )
    plan = [
        [(q1, "1", "Nhân dân"), (q2, "1", "Đúng"), (q3, "1", "Quốc hội")],
        [(q1, "1", "Nhân dân"), (q2, "0", "Sai"), (q3, "1", "quốc hội")],
        [(q1, "0", "Công an"), (q2, "1", "Đúng"), (q3, "0.5", "QH")],
        [(q1, "1", "Nhân dân"), (q2, "1", "Đúng"), (q3, "0", "Chính phủ")],
        [(q1, "0", None), (q2, "0", "Sai"), (q3, "0", "Chính phủ")],
    ]  # fmt: skip
    for person, answers in zip(people, plan, strict=True):
        _attempt(quiz, person, answers)
    # An unfinished attempt is never counted.
    Attempt.objects.create(quiz=quiz, person=people[0], number=2, state="in_progress")
    return quiz, (q1, q2, q3), tree


def by_name(rows):
    return {row.name: row for row in rows}


def test_facility_sd_and_discrimination_match_hand_computation(item_data):
    quiz, _questions, _tree = item_data
    stats = by_name(statistics.question_statistics(quiz=quiz))
    assert {name: round(s.facility, 3) for name, s in stats.items()} == {
        "Q1": 0.6, "Q2": 0.6, "Q3": 0.5,
    }  # fmt: skip
    assert {name: round(s.discrimination, 3) for name, s in stats.items()} == {
        "Q1": 0.480, "Q2": 0.068, "Q3": 0.299,
    }  # fmt: skip
    assert round(stats["Q1"].sd, 3) == 0.548  # √(1.2 / 4)
    assert round(stats["Q3"].sd, 3) == 0.5
    assert stats["Q1"].attempts == 5
    assert (stats["Q1"].facility_percent, stats["Q1"].discrimination_percent) == (60.0, 48.04)


def test_answer_distribution_per_option_and_per_typed_answer(item_data):
    quiz, _questions, _tree = item_data
    stats = by_name(statistics.question_statistics(quiz=quiz))
    assert [(a.label, a.fraction, a.count, a.frequency) for a in stats["Q1"].distribution] == [
        ("Nhân dân", Decimal("1"), 3, 0.6),
        ("Công an", Decimal("0"), 1, 0.2),
        ("Doanh nghiệp", Decimal("0"), 0, 0.0),
    ]
    assert stats["Q1"].unanswered == 1
    assert [(a.label, a.count) for a in stats["Q2"].distribution] == [("Đúng", 3), ("Sai", 2)]
    typed = {(a.label, a.count, a.fraction) for a in stats["Q3"].distribution}
    assert typed == {
        ("Chính phủ", 2, Decimal("0")),
        ("Quốc hội", 1, Decimal("1")),
        ("quốc hội", 1, Decimal("1")),
        ("QH", 1, Decimal("0.5")),
    }
    assert stats["Q3"].distribution[0].label == "Chính phủ"  # most frequent first


def test_too_few_attempts_or_no_variation_gives_no_discrimination(item_data):
    quiz, (q1, q2, q3), _tree = item_data
    graded = Attempt.objects.filter(quiz=quiz, state="submitted").order_by("pk")
    graded.exclude(pk=graded.first().pk).update(state="abandoned")
    stats = by_name(statistics.question_statistics(quiz=quiz))
    assert stats["Q1"].attempts == 1
    assert stats["Q1"].discrimination is None and stats["Q1"].sd is None


def test_question_statistics_query_count_is_constant(item_data, django_assert_max_num_queries):
    quiz, _questions, _tree = item_data
    with django_assert_max_num_queries(5):
        statistics.question_statistics(quiz=quiz)


def shares(rows):
    return {(r.unit.code if r.unit else None, r.article): (r.correct, r.answered) for r in rows}


def test_share_correct_per_article_overall(item_data):
    quiz, _questions, _tree = item_data
    rows = statistics.article_statistics(quiz=quiz)
    assert shares(rows) == {(None, 11): (5, 10), (None, 12): (3, 5), (None, 15): (2, 5)}
    assert rows[0].share_correct == 0.5


def test_share_correct_per_article_rolled_up_to_each_commune(
    item_data, django_assert_max_num_queries
):
    quiz, _questions, tree = item_data
    with django_assert_max_num_queries(3):
        rows = statistics.article_statistics_by_unit(
            root=tree.city, quiz=quiz, day=dt.date(2026, 3, 1)
        )
    # A1's person holds two positions in commune A: counted once there. A5's position has ended.
    assert shares(rows) == {
        ("BTU", 11): (4, 6), ("BTU", 12): (2, 3), ("BTU", 15): (2, 3),
        ("TT", 11): (1, 2), ("TT", 12): (1, 1), ("TT", 15): (0, 1),
    }  # fmt: skip


def test_per_unit_inside_a_commune_and_the_commune_total(item_data):
    quiz, _questions, tree = item_data
    day = dt.date(2026, 3, 1)
    rows = statistics.article_statistics_by_unit(root=tree.commune_a, quiz=quiz, day=day)
    assert {k: v for k, v in shares(rows).items() if k[1] == 12} == {
        ("BTU-A1", 12): (1, 1),  # A1
        ("BTU-TTND", 12): (2, 2),  # A1 (second position) and A3
        ("BTU", 12): (0, 1),  # A2, placed directly in the commune
    }
    total = statistics.article_statistics(quiz=quiz, root=tree.commune_a, day=day)
    assert shares(total)[("BTU", 12)] == (2, 3)
    # Before the positions started nobody counts.
    assert statistics.article_statistics(quiz=quiz, root=tree.city, day=dt.date(2024, 1, 1)) == []


def test_with_the_real_attempt_engine(bank, questions, make_quiz):
    """Answers saved and graded by the engine show up in the distribution (multiple response too)."""
    quiz = make_quiz([questions["single"], questions["multiple"]])
    learners = [PersonFactory() for _ in range(3)]
    picks = [(0, [0, 1]), (0, [0, 2]), (1, [1])]  # index of the chosen bank choice(s)
    for person, (single_pick, multiple_picks) in zip(learners, picks, strict=True):
        attempt = attempt_start(quiz=quiz, person=person, rng=random.Random(7))
        for aq in attempt.questions.all():
            by_source = {o.source_id: o.pk for o in aq.options.all()}
            choices = list(Choice.objects.filter(question=aq.question_id).order_by("sort_order"))
            if aq.question_id == questions["single"].pk:
                answer = by_source[choices[single_pick].pk]
            else:
                answer = [by_source[choices[i].pk] for i in multiple_picks]
            response_save(attempt=attempt, attempt_question_id=aq.pk, answer=answer, seq=1)
        attempt_submit(attempt_id=attempt.pk)
    stats = by_name(statistics.question_statistics(quiz=quiz))
    assert [a.count for a in stats["Một lựa chọn"].distribution] == [2, 1, 0]
    assert [a.count for a in stats["Nhiều lựa chọn"].distribution] == [2, 2, 1, 0]
    assert round(stats["Một lựa chọn"].facility, 3) == round(2 / 3, 3)
    # multiple: 1st learner 0.5 + 0.5 = 1; 2nd 0.5 - 1 → 0; 3rd 0.5
    assert round(stats["Nhiều lựa chọn"].facility, 3) == 0.5
