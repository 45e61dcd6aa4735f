"""Reads: what a learner may see of a quiz and an attempt, grades over attempts."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Max
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from wagtail.whitelist import Whitelister

from .grading import Option, correct_summary
from .models import (
    Attempt,
    AttemptChoice,
    AttemptQuestion,
    AttemptState,
    GradingMethod,
    Quiz,
    ReviewWhen,
)

_whitelister = Whitelister()


@functools.lru_cache(maxsize=8192)
def _clean_html(text: str) -> str:
    # Parsing and whitelisting is the costliest step of the attempt page, and a whole commune
    # takes the same questions: the result depends only on the text, so it is remembered.
    return _whitelister.clean(text)


def safe_html(text: str, text_format: str = "html") -> SafeString:
    """Question/choice text as HTML a browser may render: whitelisted tags only, or escaped plain text."""
    if text_format == "plain":
        return mark_safe(linebreaks(escape(text)))
    return mark_safe(_clean_html(text or ""))


@dataclass(frozen=True)
class ReviewFlags:
    score: bool
    answers: bool
    explanations: bool

    @property
    def any(self) -> bool:
        return self.score or self.answers or self.explanations


def _allowed(when: str, quiz: Quiz, now: dt.datetime) -> bool:
    if when == ReviewWhen.IMMEDIATELY:
        return True
    if when == ReviewWhen.AFTER_CLOSE:
        return quiz.is_closed(now)
    return False


def review_flags(*, attempt: Attempt, now: dt.datetime | None = None) -> ReviewFlags:
    """What the learner may see of a submitted attempt now. Nothing at all while it is in progress."""
    if attempt.state != AttemptState.SUBMITTED or attempt.graded_at is None:
        return ReviewFlags(False, False, False)
    now = now or timezone.now()
    quiz = attempt.quiz
    return ReviewFlags(
        score=_allowed(quiz.review_score, quiz, now),
        answers=_allowed(quiz.review_answers, quiz, now),
        explanations=_allowed(quiz.review_explanations, quiz, now),
    )


def _options_for(attempt: Attempt) -> dict[int, list[Option]]:
    result: dict[int, list[Option]] = {}
    for aq_id, i, s, p, pos in (
        AttemptChoice.objects.filter(attempt_question__attempt=attempt)
        .order_by("attempt_question_id", "is_prompt", "position")
        .values_list("attempt_question_id", "id", "source_id", "is_prompt", "position")
    ):
        result.setdefault(aq_id, []).append(Option(id=i, source_id=s, is_prompt=p, position=pos))
    return result


def _option_text(snapshot: dict, option: Option) -> str:
    if snapshot["qtype"] == "matching":
        for pair in snapshot.get("pairs", []):
            if pair["id"] == option.source_id:
                return pair["prompt"] if option.is_prompt else pair["answer"]
        return ""
    for choice in snapshot.get("choices", []):
        if choice["id"] == option.source_id:
            return choice["text"]
    return ""


def attempt_question_views(*, attempt: Attempt, flags: ReviewFlags | None = None) -> list[dict]:
    """Per question, only what may be shown: text and options always; marks, correct answers and
    explanations only when ``flags`` allow. Three queries whatever the number of questions."""
    flags = flags or ReviewFlags(False, False, False)
    # Plain rows: this runs for every learner who opens the attempt page.
    aqs = (
        AttemptQuestion.objects.filter(attempt=attempt)
        .order_by("position")
        .values(
            "id",
            "position",
            "snapshot",
            "mark",
            "score",
            "fraction",
            "response__answer",
            "response__seq",
        )
    )
    options = _options_for(attempt)
    views = []
    for aq in aqs:
        snap = aq["snapshot"]
        fmt = snap.get("text_format", "html")
        answer = aq["response__answer"]
        opts = options.get(aq["id"], [])
        view = {
            "id": aq["id"],
            "position": aq["position"],
            "qtype": snap["qtype"],
            "text": safe_html(snap["text"], fmt),
            "mark": aq["mark"],
            "answer": answer,
            "seq": aq["response__seq"] or 0,
            "answered": answer not in (None, "", [], {}),
            "options": [
                {
                    "id": o.id,
                    "text": safe_html(_option_text(snap, o), fmt),
                    "selected": _selected(answer, o.id),
                }
                for o in opts
                if not o.is_prompt
            ],
            "prompts": [
                {
                    "id": o.id,
                    "text": safe_html(_option_text(snap, o), fmt),
                    "chosen": (answer or {}).get(str(o.id)),
                }
                for o in opts
                if o.is_prompt
            ],
        }
        if snap["qtype"] == "ordering" and isinstance(answer, list):
            order = {oid: i for i, oid in enumerate(answer)}
            view["options"].sort(key=lambda o: order.get(o["id"], 0))
        if flags.score:
            view["score"] = aq["score"]
            view["fraction"] = aq["fraction"]
        if flags.answers:
            summary = correct_summary(snap, opts)
            correct_ids = set(summary.get("option_ids", []))
            for option in view["options"]:
                option["correct"] = option["id"] in correct_ids
            view["correct"] = summary
        if flags.explanations:
            view["explanation"] = (
                safe_html(snap.get("explanation", ""), fmt) if snap.get("explanation") else ""
            )
            view["general_feedback"] = (
                safe_html(snap.get("general_feedback", ""), fmt)
                if snap.get("general_feedback")
                else ""
            )
            view["legal"] = snap.get("legal", [])
            feedback = {c["id"]: c.get("feedback", "") for c in snap.get("choices", [])}
            by_id = {o.id: o for o in opts}
            for option in view["options"]:
                if option["selected"]:
                    text = feedback.get(by_id[option["id"]].source_id, "")
                    option["feedback"] = safe_html(text, fmt) if text else ""
        views.append(view)
    return views


def _selected(answer, option_id: int) -> bool:
    if isinstance(answer, list):
        return option_id in answer
    return answer == option_id


def _quantize(value: Decimal | None) -> Decimal | None:
    return (
        None if value is None else Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    )


def quiz_grade_for(*, quiz_id: int, person_id: int) -> Decimal | None:
    """The person's grade (percent) for the quiz by its grading method; None if no graded attempt."""
    quiz = Quiz.objects.only("grading_method").get(pk=quiz_id)
    graded = Attempt.objects.graded().filter(quiz_id=quiz_id, person_id=person_id)
    method = quiz.grading_method
    if method == GradingMethod.HIGHEST:
        return _quantize(graded.aggregate(v=Max("percent"))["v"])
    if method == GradingMethod.AVERAGE:
        return _quantize(graded.aggregate(v=Avg("percent"))["v"])
    order = "number" if method == GradingMethod.FIRST else "-number"
    value = graded.order_by(order).values_list("percent", flat=True).first()
    return _quantize(value)


def quiz_passed(*, quiz_id: int, person_id: int) -> bool:
    """True when the person's grade for the quiz reaches its pass mark."""
    grade = quiz_grade_for(quiz_id=quiz_id, person_id=person_id)
    if grade is None:
        return False
    pass_percent = Quiz.objects.filter(pk=quiz_id).values_list("pass_percent", flat=True).first()
    return grade >= pass_percent


def quiz_intro_for(*, quiz: Quiz, person_id: int | None) -> dict:
    """Numbers for the intro page: attempts used/left, open attempt, grade so far."""
    attempts = (
        list(Attempt.objects.filter(quiz=quiz, person_id=person_id).order_by("number"))
        if person_id
        else []
    )
    used = len(attempts)
    left = None if quiz.attempts_allowed == 0 else max(0, quiz.attempts_allowed - used)
    open_attempt = next((a for a in attempts if a.state == AttemptState.IN_PROGRESS), None)
    graded = [a for a in attempts if a.graded_at is not None and a.percent is not None]
    grade = None
    if graded:
        if quiz.grading_method == GradingMethod.HIGHEST:
            grade = max(a.percent for a in graded)
        elif quiz.grading_method == GradingMethod.AVERAGE:
            grade = sum(a.percent for a in graded) / len(graded)
        elif quiz.grading_method == GradingMethod.FIRST:
            grade = graded[0].percent
        else:
            grade = graded[-1].percent
    now = timezone.now()
    for attempt in attempts:
        attempt.quiz = quiz
        attempt.flags = review_flags(attempt=attempt, now=now)
    return {
        "attempts": attempts,
        "used": used,
        "left": left,
        "open_attempt": open_attempt,
        "grade": _quantize(grade),
        "show_grade": grade is not None
        and quiz.review_score == ReviewWhen.IMMEDIATELY
        or (
            grade is not None
            and quiz.review_score == ReviewWhen.AFTER_CLOSE
            and quiz.is_closed(now)
        ),
    }
