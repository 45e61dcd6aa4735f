"""Drawing an attempt's questions from a quiz's slots, and freezing them (snapshot + option order)."""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from .models import (
    Choice,
    LegalTag,
    MatchPair,
    Question,
    QuestionStatus,
    QuestionType,
    Quiz,
    QuizSlot,
)

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
    slots = list(quiz.slots.select_related("category").order_by("sort_order", "pk"))
    # Status and name of the fixed questions as plain rows: a Question instance (a
    # ClusterableModel) costs more to build than this second query, on the start-of-exam path.
    fixed = {s.question_id for s in slots if s.kind == QuizSlot.Kind.FIXED}
    fixed_rows = (
        {
            qid: (status, name)
            for qid, status, name in Question.objects.filter(pk__in=fixed)
            .order_by()
            .values_list("id", "status", "name")
        }
        if fixed
        else {}
    )
    problems: list[str] = []
    used = set(fixed)
    drawn: list[tuple[int, Decimal | None]] = []
    for slot in slots:
        if slot.kind == QuizSlot.Kind.FIXED:
            status, name = fixed_rows[slot.question_id]
            if status != QuestionStatus.REVIEWED:
                problems.append(QUIZ_FIXED_NOT_REVIEWED % {"name": name})
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


QUESTION_FIELDS = (
    "id",
    "qtype",
    "name",
    "text",
    "text_format",
    "general_feedback",
    "explanation",
    "case_sensitive",
    "ignore_accents",
    "shuffle_choices",
)
CHOICE_FIELDS = ("id", "text", "fraction", "feedback", "tolerance", "sort_order")
PAIR_FIELDS = ("id", "prompt", "answer", "sort_order")
TAG_FIELDS = ("law", "article", "clause", "point")


def _snapshot(question: dict, *, choices, pairs, legal: list[str]) -> dict:
    return {
        **{name: question[name] for name in QUESTION_FIELDS},
        "choices": [
            {
                "id": c["id"],
                "text": c["text"],
                "fraction": str(c["fraction"]),
                "feedback": c["feedback"],
                "tolerance": None if c["tolerance"] is None else str(c["tolerance"]),
                "sort_order": c["sort_order"],
            }
            for c in choices
        ],
        "pairs": [{name: p[name] for name in PAIR_FIELDS} for p in pairs],
        "legal": legal,
    }


def question_snapshot(question: Question) -> dict:
    """Everything grading and rendering need, frozen at attempt start (uses prefetched relations)."""
    return _snapshot(
        {name: getattr(question, name) for name in QUESTION_FIELDS},
        choices=[
            {name: getattr(c, name) for name in CHOICE_FIELDS} for c in question.choices.all()
        ],
        pairs=[{name: getattr(p, name) for name in PAIR_FIELDS} for p in question.pairs.all()],
        legal=[str(t) for t in question.legal_tags.all()],
    )


def _by_question(rows) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row["question_id"]].append(row)
    return grouped


def question_snapshots(*, question_ids: list[int]) -> dict[int, tuple[Decimal, dict]]:
    """(default mark, snapshot) per question id, the same as ``question_snapshot`` gives, in four
    queries of plain rows at most (pairs only when a matching question is among them).

    This is the start-of-exam path, when a whole commune starts at once: plain rows cost a fraction
    of model instances with ``prefetch_related`` on a ClusterableModel, and no query joins the
    category only to order by it."""
    questions = list(
        Question.objects.filter(pk__in=question_ids)
        .order_by()
        .values(*QUESTION_FIELDS, "default_mark")
    )
    choices = _by_question(
        Choice.objects.filter(question_id__in=question_ids)
        .order_by("sort_order", "pk")
        .values("question_id", *CHOICE_FIELDS)
    )
    matching = [q["id"] for q in questions if q["qtype"] == QuestionType.MATCHING]
    pairs = _by_question(
        MatchPair.objects.filter(question_id__in=matching)
        .order_by("sort_order", "pk")
        .values("question_id", *PAIR_FIELDS)
        if matching
        else ()
    )
    legal: dict[int, list[str]] = defaultdict(list)
    for row in (
        LegalTag.objects.filter(question_id__in=question_ids)
        .order_by(*TAG_FIELDS)
        .values("question_id", *TAG_FIELDS)
    ):
        legal[row.pop("question_id")].append(LegalTag.label(**row))
    return {
        q["id"]: (
            q["default_mark"],
            _snapshot(q, choices=choices[q["id"]], pairs=pairs[q["id"]], legal=legal[q["id"]]),
        )
        for q in questions
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
