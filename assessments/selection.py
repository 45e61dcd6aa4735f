"""Drawing an attempt's questions from a quiz's slots, and freezing them (snapshot + option order)."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from .models import Question, QuestionStatus, QuestionType, Quiz, QuizSlot

QUIZ_EMPTY = _("Đề chưa có câu hỏi nào.")
QUIZ_FIXED_NOT_REVIEWED = _("Câu hỏi “%(name)s” chưa được duyệt nên không thể dùng trong đề.")
QUIZ_NOT_ENOUGH = _("Danh mục “%(category)s” chỉ có %(have)s câu đã duyệt, đề cần %(need)s câu.")


class QuizNotReady(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _spread_pick(groups: dict, count: int, rng: random.Random) -> list[int]:
    """Round-robin over shuffled groups so each article/difficulty gets its share."""
    buckets = [list(ids) for ids in groups.values()]
    for bucket in buckets:
        rng.shuffle(bucket)
    rng.shuffle(buckets)
    picked: list[int] = []
    while len(picked) < count and any(buckets):
        for bucket in buckets:
            if bucket and len(picked) < count:
                picked.append(bucket.pop())
    return picked


def _candidates(slot: QuizSlot, quiz: Quiz, exclude: set[int]) -> dict:
    qs = (
        Question.objects.reviewed()
        .filter(bank_id=quiz.bank_id)
        .in_category(slot.category, include_subcategories=slot.include_subcategories)
        .exclude(id__in=exclude)
    )
    groups: dict = defaultdict(list)
    if slot.spread == QuizSlot.Spread.ARTICLE:
        # A question tagged with several articles counts for its first one.
        for qid, law, article in qs.annotate(
            law=Min("legal_tags__law"), article=Min("legal_tags__article")
        ).values_list("id", "law", "article"):
            groups[(law, article)].append(qid)
    elif slot.spread == QuizSlot.Spread.DIFFICULTY:
        for qid, difficulty in qs.values_list("id", "difficulty"):
            groups[difficulty].append(qid)
    else:
        groups[None] = list(qs.values_list("id", flat=True))
    return groups


def quiz_draw(*, quiz: Quiz, rng: random.Random | None = None) -> list[tuple[int, Decimal | None]]:
    """Question ids (with the slot's mark override) for one attempt. Raises QuizNotReady."""
    rng = rng or random.SystemRandom()
    slots = list(quiz.slots.select_related("question", "category").order_by("sort_order", "pk"))
    problems: list[str] = []
    used = {s.question_id for s in slots if s.kind == QuizSlot.Kind.FIXED}
    drawn: list[tuple[int, Decimal | None]] = []
    for slot in slots:
        if slot.kind == QuizSlot.Kind.FIXED:
            if slot.question.status != QuestionStatus.REVIEWED:
                problems.append(QUIZ_FIXED_NOT_REVIEWED % {"name": slot.question.name})
                continue
            drawn.append((slot.question_id, slot.mark))
            continue
        groups = _candidates(slot, quiz, used)
        have = sum(len(v) for v in groups.values())
        if have < slot.count:
            problems.append(
                QUIZ_NOT_ENOUGH
                % {"category": slot.category.full_path, "have": have, "need": slot.count}
            )
            continue
        picked = _spread_pick(groups, slot.count, rng)
        used.update(picked)
        drawn.extend((qid, slot.mark) for qid in picked)
    if not drawn and not problems:
        problems.append(QUIZ_EMPTY)
    if problems:
        raise QuizNotReady(problems)
    if quiz.shuffle_questions:
        rng.shuffle(drawn)
    return drawn


def quiz_problems(*, quiz: Quiz) -> list[str]:
    """Why the quiz cannot be started now (empty list = ready). Used by the admin and the intro page."""
    try:
        quiz_draw(quiz=quiz, rng=random.Random(0))
    except QuizNotReady as exc:
        return [str(p) for p in exc.problems]
    return []


def question_snapshot(question: Question) -> dict:
    """Everything grading and rendering need, frozen at attempt start (uses prefetched relations)."""
    return {
        "id": question.pk,
        "qtype": question.qtype,
        "name": question.name,
        "text": question.text,
        "text_format": question.text_format,
        "general_feedback": question.general_feedback,
        "explanation": question.explanation,
        "case_sensitive": question.case_sensitive,
        "ignore_accents": question.ignore_accents,
        "shuffle_choices": question.shuffle_choices,
        "choices": [
            {
                "id": c.pk,
                "text": c.text,
                "fraction": str(c.fraction),
                "feedback": c.feedback,
                "tolerance": None if c.tolerance is None else str(c.tolerance),
                "sort_order": c.sort_order,
            }
            for c in question.choices.all()
        ],
        "pairs": [
            {"id": p.pk, "prompt": p.prompt, "answer": p.answer, "sort_order": p.sort_order}
            for p in question.pairs.all()
        ],
        "legal": [str(t) for t in question.legal_tags.all()],
    }


def _shuffled(items: list, rng: random.Random, *, avoid_identity: bool = False) -> list:
    result = list(items)
    rng.shuffle(result)
    # For ordering questions the shown order must not give the answer away.
    tries = 0
    while avoid_identity and len(items) > 1 and result == list(items) and tries < 10:
        rng.shuffle(result)
        tries += 1
    return result


def frozen_options(snapshot: dict, *, shuffle: bool, rng: random.Random) -> list[dict]:
    """Rows to store as AttemptChoice for one question: dicts with choice/pair id, position, is_prompt."""
    qtype = snapshot["qtype"]
    choices = sorted(snapshot["choices"], key=lambda c: (c["sort_order"], c["id"]))
    rows: list[dict] = []
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUEFALSE):
        if shuffle and snapshot["shuffle_choices"] and qtype != QuestionType.TRUEFALSE:
            choices = _shuffled(choices, rng)
        rows = [{"choice_id": c["id"], "position": i} for i, c in enumerate(choices)]
    elif qtype == QuestionType.ORDERING:
        rows = [
            {"choice_id": c["id"], "position": i}
            for i, c in enumerate(_shuffled(choices, rng, avoid_identity=True))
        ]
    elif qtype == QuestionType.MATCHING:
        pairs = sorted(snapshot["pairs"], key=lambda p: (p["sort_order"], p["id"]))
        prompts = [p for p in pairs if p["prompt"].strip()]
        if shuffle and snapshot["shuffle_choices"]:
            prompts = _shuffled(prompts, rng)
        rows = [
            {"pair_id": p["id"], "position": i, "is_prompt": True} for i, p in enumerate(prompts)
        ]
        seen: set[str] = set()
        answers = []
        for p in pairs:
            if p["answer"] not in seen:
                seen.add(p["answer"])
                answers.append(p)
        # Answer options are always shuffled: in authoring order they would line up with the prompts.
        rows += [
            {"pair_id": p["id"], "position": i}
            for i, p in enumerate(_shuffled(answers, rng, avoid_identity=True))
        ]
    return rows
