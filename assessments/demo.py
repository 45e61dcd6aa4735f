"""Demo question banks and final quizzes, from the GIFT files in `demo_content/`.

Idempotent: re-importing a bank changes nothing, and each quiz is matched by its title.
Courses link their final quiz afterwards (`courses.demo`), by the same slug.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db import transaction

from .importing import bank_get_or_create, file_import
from .models import QuestionBank, QuestionCategory, QuestionStatus
from .quiz_models import GradingMethod, Quiz, QuizSlot, ReviewWhen

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
QUESTIONS_PER_QUIZ = 10
TIME_LIMIT_SECONDS = 20 * 60


def demo_quiz_title(slug: str) -> str:
    return f"Kiểm tra cuối khóa — {bank_name(slug)}"


def bank_name(slug: str) -> str:
    return {
        "luat-thuc-hien-dan-chu-o-co-so": "Luật Thực hiện dân chủ ở cơ sở",
        "xay-dung-thuc-hien-huong-uoc-quy-uoc": "Xây dựng và thực hiện hương ước, quy ước",
        "ban-thanh-tra-nhan-dan-va-ban-giam-sat-dau-tu": "Ban Thanh tra nhân dân và Ban Giám sát đầu tư của cộng đồng",
    }.get(slug, slug)


@transaction.atomic
def load_demo_quizzes(*, stdout: IO[str] | None = None) -> dict[str, Quiz]:
    """Import each demo bank (as reviewed questions) and make its final quiz. Returns {slug: quiz}."""
    quizzes: dict[str, Quiz] = {}
    for path in sorted(CONTENT_DIR.glob("*.gift")):
        slug = path.stem
        bank, _created = bank_get_or_create(name=bank_name(slug))
        result = file_import(
            bank=bank, data=path.read_bytes(), fmt="gift", status=QuestionStatus.REVIEWED
        )
        quizzes[slug] = _final_quiz(bank=bank, title=demo_quiz_title(slug))
        if stdout is not None:
            stdout.write(
                f"Ngân hàng câu hỏi “{bank.name}”: {result.created} câu mới, "
                f"{result.unchanged} câu không đổi; bài kiểm tra “{quizzes[slug].title}”."
            )
    return quizzes


def _final_quiz(*, bank: QuestionBank, title: str) -> Quiz:
    quiz = Quiz.objects.filter(bank=bank, title=title).first()
    if quiz is not None:
        return quiz
    root = (
        QuestionCategory.objects.filter(bank=bank, parent__isnull=True)
        .order_by("full_path")
        .first()
    )
    quiz = Quiz.objects.create(
        title=title,
        bank=bank,
        intro=(
            f"Bài kiểm tra gồm {QUESTIONS_PER_QUIZ} câu hỏi chọn ngẫu nhiên, rải đều theo các điều "
            f"của văn bản, làm trong {TIME_LIMIT_SECONDS // 60} phút. Được làm tối đa 3 lần; "
            "tính lần có điểm cao nhất. Điểm đạt: 70%."
        ),
        time_limit=TIME_LIMIT_SECONDS,
        attempts_allowed=3,
        pass_percent=Decimal("70"),
        grading_method=GradingMethod.HIGHEST,
        review_score=ReviewWhen.IMMEDIATELY,
        review_answers=ReviewWhen.IMMEDIATELY,
        review_explanations=ReviewWhen.IMMEDIATELY,
    )
    QuizSlot.objects.create(
        quiz=quiz,
        kind=QuizSlot.Kind.RANDOM,
        category=root,
        count=QUESTIONS_PER_QUIZ,
        include_subcategories=True,
        spread=QuizSlot.Spread.ARTICLE,
    )
    return quiz
