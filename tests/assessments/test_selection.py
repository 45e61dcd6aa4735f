"""Drawing questions for an attempt: random slots, subcategories, spreading, reviewed questions only."""

import random
from collections import Counter

import pytest

from assessments.models import AttemptQuestion, Question, QuestionCategory, QuizSlot
from assessments.selection import QUIZ_FIXED_NOT_REVIEWED, QuizNotReady, quiz_draw, quiz_problems
from tests.assessments.conftest import add_choices, make_question


def single(bank, category, name, **kw):
    return add_choices(make_question(bank, category, "single", name, **kw), [("A", 1), ("B", 0)])


def random_slot(quiz, category, count, **kw):
    return QuizSlot.objects.create(quiz=quiz, kind="random", category=category, count=count, **kw)


def test_category_full_path_follows_renames(categories):
    top, sub = categories
    # "/" separates path levels, so a "/" inside a name is stored as "-"
    assert sub.full_path == "Luật 10-2022/Chương II"
    top.name = "Luật Dân chủ"
    top.save()
    sub.refresh_from_db()
    assert sub.full_path == "Luật Dân chủ/Chương II"


def test_random_slot_draws_only_reviewed_questions_and_optionally_subcategories(
    bank, categories, make_quiz
):
    top, sub = categories
    in_top = [single(bank, top, f"T{i}") for i in range(2)]
    single(bank, top, "Nháp", status="draft")
    single(bank, top, "Ngừng", status="retired")
    in_sub = [single(bank, sub, f"S{i}") for i in range(3)]
    quiz = make_quiz([])
    random_slot(quiz, top, 5, include_subcategories=True)
    drawn = {qid for qid, _ in quiz_draw(quiz=quiz, rng=random.Random(3))}
    assert drawn == {q.pk for q in in_top + in_sub}
    QuizSlot.objects.filter(quiz=quiz).update(include_subcategories=False, count=3)
    assert quiz_problems(quiz=quiz)  # only 2 reviewed questions directly in the top category
    QuizSlot.objects.filter(quiz=quiz).update(count=2)
    assert {qid for qid, _ in quiz_draw(quiz=quiz)} == {q.pk for q in in_top}


def test_fixed_draft_question_makes_the_quiz_not_ready(bank, categories, make_quiz):
    draft = single(bank, categories[0], "Chưa duyệt", status="draft")
    quiz = make_quiz([draft])
    with pytest.raises(QuizNotReady) as exc:
        quiz_draw(quiz=quiz)
    assert exc.value.problems == [QUIZ_FIXED_NOT_REVIEWED % {"name": "Chưa duyệt"}]


def test_fixed_questions_are_not_drawn_again_by_a_random_slot(bank, categories, make_quiz):
    top = categories[0]
    fixed = single(bank, top, "Cố định")
    others = [single(bank, top, f"Khác {i}") for i in range(2)]
    quiz = make_quiz([fixed])
    random_slot(quiz, top, 2, sort_order=1)
    drawn = [qid for qid, _ in quiz_draw(quiz=quiz)]
    assert sorted(drawn) == sorted([fixed.pk] + [q.pk for q in others])


def test_spread_over_articles_takes_one_per_article_before_repeating(bank, categories, make_quiz):
    top = categories[0]
    for article in (3, 4, 5):
        for i in range(4):
            single(bank, top, f"Đ{article}-{i}", article=article)
    quiz = make_quiz([])
    random_slot(quiz, top, 3, spread="article")
    for seed in range(5):
        drawn = [qid for qid, _ in quiz_draw(quiz=quiz, rng=random.Random(seed))]
        articles = Counter(Question.objects.get(pk=q).legal_tags.get().article for q in drawn)
        assert articles == Counter({3: 1, 4: 1, 5: 1})


def test_spread_over_difficulty(bank, categories, make_quiz):
    top = categories[0]
    for difficulty in ("easy", "medium", "hard"):
        for i in range(3):
            single(bank, top, f"{difficulty}-{i}", difficulty=difficulty)
    quiz = make_quiz([])
    random_slot(quiz, top, 6, spread="difficulty")
    drawn = [qid for qid, _ in quiz_draw(quiz=quiz, rng=random.Random(1))]
    assert Counter(Question.objects.get(pk=q).difficulty for q in drawn) == Counter(
        easy=2, medium=2, hard=2
    )


def test_shuffled_quizzes_give_learners_different_orders_but_each_is_frozen(
    bank, categories, make_quiz, start
):
    from tests.factories import PersonFactory

    qs = [single(bank, categories[0], f"Câu {i}") for i in range(8)]
    quiz = make_quiz(qs, shuffle_questions=True)
    a = start(quiz, seed=1)
    b = start(quiz, person=PersonFactory(), seed=2)

    def order(attempt):
        return list(
            AttemptQuestion.objects.filter(attempt=attempt)
            .order_by("position")
            .values_list("question_id", flat=True)
        )

    assert sorted(order(a)) == sorted(order(b)) and order(a) != order(b)
    assert order(start(quiz, seed=99)) == order(a)


def test_category_in_another_bank_path_does_not_leak_in(bank, categories, make_quiz):
    from assessments.models import QuestionBank

    other = QuestionBank.objects.create(name="Khác", slug="khac")
    same_path = QuestionCategory.objects.create(bank=other, name=categories[0].name)
    single(other, same_path, "Ngân hàng khác")
    mine = single(bank, categories[0], "Của tôi")
    quiz = make_quiz([])
    random_slot(quiz, categories[0], 1)
    assert [qid for qid, _ in quiz_draw(quiz=quiz)] == [mine.pk]


def test_attempt_start_freezes_the_same_snapshot_as_a_single_question_read(questions):
    """The start-of-exam path reads plain rows for speed; what it freezes must be exactly what the
    one-question read (used by revisions and imports) gives, for every question type."""
    from assessments.models import LegalTag
    from assessments.selection import question_snapshot, question_snapshots

    LegalTag.objects.create(question=questions["single"], law="10/2022/QH15", article=11, clause=2)
    LegalTag.objects.create(
        question=questions["single"], law="10/2022/QH15", article=5, clause=1, point="a"
    )
    frozen = question_snapshots(question_ids=[q.pk for q in questions.values()])
    assert set(frozen) == {q.pk for q in questions.values()}
    for question in questions.values():
        question = Question.objects.get(pk=question.pk)
        mark, snapshot = frozen[question.pk]
        assert mark == question.default_mark
        assert snapshot == question_snapshot(question)
    legal = frozen[questions["single"].pk][1]["legal"]
    assert "khoản 2 Điều 11 10/2022/QH15" in legal and "điểm a khoản 1 Điều 5 10/2022/QH15" in legal
