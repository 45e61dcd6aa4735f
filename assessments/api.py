"""What other apps may use from assessments. Keep this surface small."""

from .access import citizen_quiz_rule_register, session_entrant_remember
from .demo import bank_name, demo_quiz_title, load_demo_quizzes
from .legal_links import legal_library_register
from .models import Attempt, QuestionCategory, Quiz
from .selection import QuizNotReady
from .selectors import attempt_question_views, quiz_grade_for, quiz_passed
from .services import (
    TOO_MANY_REQUESTS,
    AssessmentError,
    attempt_is_expired,
    attempt_start,
    attempt_submit,
    grace,
    managed_entrant_create,
    phone_normalise,
    public_rate_limited,
    random_quiz_sync,
    reviewed_question_count,
)
from .signals import attempt_graded

__all__ = [
    "TOO_MANY_REQUESTS",
    "AssessmentError",
    "Attempt",
    "QuestionCategory",
    "Quiz",
    "QuizNotReady",
    "attempt_graded",
    "attempt_is_expired",
    "attempt_question_views",
    "attempt_start",
    "attempt_submit",
    "bank_name",
    "citizen_quiz_rule_register",
    "demo_quiz_title",
    "grace",
    "legal_library_register",
    "load_demo_quizzes",
    "managed_entrant_create",
    "phone_normalise",
    "public_rate_limited",
    "quiz_grade_for",
    "quiz_passed",
    "random_quiz_sync",
    "reviewed_question_count",
    "session_entrant_remember",
]
