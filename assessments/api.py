"""What other apps may use from assessments. Keep this surface small."""

from .demo import demo_quiz_title, load_demo_quizzes
from .models import Attempt, Quiz
from .selectors import quiz_grade_for, quiz_passed
from .signals import attempt_graded

__all__ = [
    "Attempt",
    "Quiz",
    "attempt_graded",
    "demo_quiz_title",
    "load_demo_quizzes",
    "quiz_grade_for",
    "quiz_passed",
]
