"""What courses call: quiz_grade_for / quiz_passed by grading method."""

from decimal import Decimal

import pytest
from django.utils import timezone

from assessments import api
from assessments.models import Attempt, AttemptState


def graded(quiz, person, percents):
    for i, p in enumerate(percents, start=1):
        Attempt.objects.create(
            quiz=quiz,
            person=person,
            number=i,
            state=AttemptState.SUBMITTED,
            percent=Decimal(p),
            score=Decimal(p),
            max_score=Decimal(100),
            passed=Decimal(p) >= quiz.pass_percent,
            graded_at=timezone.now(),
        )


@pytest.mark.parametrize(
    "method,expected,passed",
    [
        ("highest", "80.00", True),
        ("last", "40.00", False),
        ("first", "60.00", True),
        ("average", "60.00", True),
    ],
)
def test_grade_by_grading_method(make_quiz, questions, learner, method, expected, passed):
    quiz = make_quiz([questions["single"]], grading_method=method, pass_percent=Decimal("60"))
    graded(quiz, learner, ["60", "80", "40"])
    assert api.quiz_grade_for(quiz_id=quiz.pk, person_id=learner.pk) == Decimal(expected)
    assert api.quiz_passed(quiz_id=quiz.pk, person_id=learner.pk) is passed


def test_no_attempt_means_no_grade_and_not_passed(quiz, learner):
    assert api.quiz_grade_for(quiz_id=quiz.pk, person_id=learner.pk) is None
    assert api.quiz_passed(quiz_id=quiz.pk, person_id=learner.pk) is False


def test_api_surface():
    # What other apps may use; contests (cms) run their rounds through the last group.
    assert set(api.__all__) == {
        "Attempt",
        "Quiz",
        "attempt_graded",
        "citizen_quiz_rule_register",
        "demo_quiz_title",
        "legal_library_register",
        "load_demo_quizzes",
        "quiz_grade_for",
        "quiz_passed",
        "QuestionCategory",
        "bank_name",
        "TOO_MANY_REQUESTS",
        "AssessmentError",
        "QuizNotReady",
        "attempt_is_expired",
        "attempt_question_views",
        "attempt_start",
        "attempt_submit",
        "grace",
        "managed_entrant_create",
        "phone_normalise",
        "public_rate_limited",
        "random_quiz_sync",
        "reviewed_question_count",
        "session_entrant_remember",
    }
