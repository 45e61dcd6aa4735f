"""Writes: starting, saving, submitting and closing attempts; public entrants; question revisions."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.core import ratelimit
from lms.core.text import normalize_text

from .grading import Option, answer_clean, grade
from .models import (
    Attempt,
    AttemptChoice,
    AttemptQuestion,
    AttemptState,
    PublicEntrant,
    Question,
    QuestionCategory,
    QuestionRevision,
    Quiz,
    QuizSlot,
    Response,
    ReviewWhen,
)
from .selection import frozen_options, question_snapshot, question_snapshots, quiz_draw
from .signals import attempt_graded

QUIZ_NOT_OPEN = _("Bài kiểm tra chưa mở hoặc đã đóng.")
NO_ATTEMPTS_LEFT = _("Bạn đã dùng hết số lần làm bài cho phép.")
ATTEMPT_CLOSED = _("Đã hết thời gian làm bài; câu trả lời này không được ghi nhận.")
ANSWER_INVALID = _("Câu trả lời không hợp lệ.")
PHONE_INVALID = _("Số điện thoại không hợp lệ.")
PHONE_ALREADY_USED = _("Số điện thoại này đã được dùng để dự thi bài này.")
TOO_MANY_REQUESTS = _("Có quá nhiều lượt đăng ký từ thiết bị/mạng này. Vui lòng thử lại sau.")
QUIZ_NOT_PUBLIC = _("Bài kiểm tra này không mở cho người dân.")

HUNDRED = Decimal("100")


class AssessmentError(Exception):
    """A refusal a user should see; ``message`` is one of the module constants above."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class AttemptClosed(AssessmentError):
    pass


def grace() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "ASSESSMENTS_GRACE_SECONDS", 30))


def attempt_is_expired(attempt: Attempt, *, now: dt.datetime | None = None) -> bool:
    """Past deadline + grace: no more saves; the attempt is closed with its saved answers."""
    now = now or timezone.now()
    return attempt.deadline is not None and now > attempt.deadline + grace()


def attempt_deadline(*, quiz: Quiz, started_at: dt.datetime) -> dt.datetime | None:
    ends = []
    if quiz.time_limit:
        ends.append(started_at + dt.timedelta(seconds=quiz.time_limit))
    if quiz.close_at:
        ends.append(quiz.close_at)
    return min(ends) if ends else None


def attempts_used(*, quiz: Quiz, person_id: int) -> int:
    return Attempt.objects.filter(quiz=quiz, person_id=person_id).count()


def _freeze(attempt: Attempt, quiz: Quiz, rng: random.Random) -> None:
    drawn = quiz_draw(quiz=quiz, rng=rng)
    frozen = question_snapshots(question_ids=[qid for qid, _mark in drawn])
    aqs, option_rows = [], []
    for position, (qid, mark) in enumerate(drawn, start=1):
        default_mark, snapshot = frozen[qid]
        aqs.append(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                question_id=qid,
                mark=mark if mark is not None else default_mark,
                snapshot=snapshot,
            )
        )
        option_rows.append(frozen_options(snapshot, shuffle=quiz.shuffle_choices, rng=rng))
    AttemptQuestion.objects.bulk_create(aqs)
    _insert_rows(
        AttemptChoice,
        ("attempt_question", "position", "choice", "pair", "source_id", "is_prompt"),
        [
            (
                aq.pk,
                row["position"],
                row.get("choice_id"),
                row.get("pair_id"),
                row.get("choice_id") or row.get("pair_id"),
                row.get("is_prompt", False),
            )
            for aq, rows in zip(aqs, option_rows, strict=True)
            for row in rows
        ],
    )
    # One empty response per question, in the database: a save is then always one UPDATE.
    table, aq_table = (
        connection.ops.quote_name(model._meta.db_table) for model in (Response, AttemptQuestion)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (attempt_question_id, seq) "
            f"SELECT id, 0 FROM {aq_table} WHERE attempt_id = %s",
            [attempt.pk],
        )


def _insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain tuples with one executemany.

    ``bulk_create`` passes every value of every object through the field machinery; for the
    hundred-odd option rows of each attempt that was a third of the CPU of starting one, and a
    whole commune starts at once. The values here are ids, small integers and booleans."""
    opts = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(opts.get_field(name).column) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({placeholders})", rows
        )


def attempt_start(
    *,
    quiz: Quiz,
    person=None,
    entrant: PublicEntrant | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """Resume the open attempt or start a new one (questions drawn and frozen). Raises AssessmentError."""
    now = timezone.now()
    if person is not None:
        # One read for both questions: is one open, and how many were used (few rows per person).
        mine = list(Attempt.objects.filter(quiz=quiz, person=person).order_by("number"))
        existing = next((a for a in mine if a.state == AttemptState.IN_PROGRESS), None)
    else:
        existing = Attempt.objects.filter(public_entrant=entrant).first()
    if existing is not None:
        if existing.state == AttemptState.IN_PROGRESS and attempt_is_expired(existing, now=now):
            attempt_submit(attempt_id=existing.pk, auto=True)
            existing.refresh_from_db()
        if existing.state == AttemptState.IN_PROGRESS or entrant is not None:
            return existing
    if not quiz.is_open(now):
        raise AssessmentError(QUIZ_NOT_OPEN)
    number = 1
    if person is not None:
        used = len(mine)
        if quiz.attempts_allowed and used >= quiz.attempts_allowed:
            raise AssessmentError(NO_ATTEMPTS_LEFT)
        number = used + 1
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                quiz=quiz,
                person=person,
                public_entrant=entrant,
                number=number,
                started_at=now,
                deadline=attempt_deadline(quiz=quiz, started_at=now),
            )
            _freeze(attempt, quiz, rng or random.SystemRandom())
    except IntegrityError:
        # A concurrent start (double tap, two tabs) won the race: resume its attempt.
        if person is not None:
            return Attempt.objects.get(quiz=quiz, person=person, state=AttemptState.IN_PROGRESS)
        return Attempt.objects.get(public_entrant=entrant)
    return attempt


@dataclass(frozen=True)
class SaveResult:
    stored: bool  # this save is now the stored answer
    seq: int  # the sequence number stored on the server after the call


def response_save(*, attempt: Attempt, attempt_question_id: int, answer, seq: int) -> SaveResult:
    """Store an answer if ``seq`` is newer than the stored one — one conditional UPDATE, no read-modify-write.

    Raises AttemptClosed after deadline + grace or once submitted; AssessmentError for a malformed answer.
    """
    now = timezone.now()
    if attempt.state != AttemptState.IN_PROGRESS or attempt_is_expired(attempt, now=now):
        raise AttemptClosed(ATTEMPT_CLOSED)
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise AssessmentError(ANSWER_INVALID)
    # The question's type and its frozen options in one query (a LEFT JOIN: typed answers have none).
    rows = list(
        AttemptQuestion.objects.filter(pk=attempt_question_id, attempt_id=attempt.pk).values_list(
            "snapshot__qtype",
            "options__id",
            "options__source_id",
            "options__is_prompt",
            "options__position",
        )
    )
    if not rows:
        raise AssessmentError(ANSWER_INVALID)
    qtype = rows[0][0]
    options = [
        Option(id=i, source_id=s, is_prompt=p, position=pos)
        for _qtype, i, s, p, pos in rows
        if i is not None
    ]
    try:
        cleaned = answer_clean(qtype, answer, options)
    except (ValueError, KeyError) as exc:
        raise AssessmentError(ANSWER_INVALID) from exc
    open_attempt = Q(attempt_question__attempt__state=AttemptState.IN_PROGRESS) & (
        Q(attempt_question__attempt__deadline__isnull=True)
        | Q(attempt_question__attempt__deadline__gte=now - grace())
    )
    updated = Response.objects.filter(
        open_attempt, attempt_question_id=attempt_question_id, seq__lt=seq
    ).update(answer=cleaned, seq=seq, saved_at=now)
    if updated:
        return SaveResult(stored=True, seq=seq)
    state = Attempt.objects.filter(pk=attempt.pk).values_list("state", "deadline").first()
    if (
        state is None
        or state[0] != AttemptState.IN_PROGRESS
        or (state[1] and now > state[1] + grace())
    ):
        raise AttemptClosed(ATTEMPT_CLOSED)
    current = (
        Response.objects.filter(attempt_question_id=attempt_question_id)
        .values_list("seq", flat=True)
        .first()
        or 0
    )
    return SaveResult(stored=False, seq=current)


def _percent(score: Decimal, max_score: Decimal) -> Decimal:
    if not max_score:
        return Decimal("0.00")
    return (score * HUNDRED / max_score).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _grade_attempt(attempt: Attempt) -> None:
    aqs = list(AttemptQuestion.objects.filter(attempt=attempt).select_related("response"))
    options_by_aq: dict[int, list[Option]] = {}
    for aq_id, i, s, p, pos in AttemptChoice.objects.filter(
        attempt_question__attempt=attempt
    ).values_list("attempt_question_id", "id", "source_id", "is_prompt", "position"):
        options_by_aq.setdefault(aq_id, []).append(
            Option(id=i, source_id=s, is_prompt=p, position=pos)
        )
    score = Decimal("0")
    max_score = Decimal("0")
    for aq in aqs:
        answer = aq.response.answer if hasattr(aq, "response") else None
        aq.fraction = grade(aq.snapshot, options_by_aq.get(aq.pk, []), answer)
        aq.score = (aq.fraction * aq.mark).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
        score += aq.score
        max_score += aq.mark
    AttemptQuestion.objects.bulk_update(aqs, ["fraction", "score"])
    attempt.score = score
    attempt.max_score = max_score
    attempt.percent = _percent(score, max_score)
    attempt.passed = attempt.percent >= attempt.quiz.pass_percent
    attempt.graded_at = timezone.now()
    attempt.save(update_fields=["score", "max_score", "percent", "passed", "graded_at"])


def attempt_submit(*, attempt_id: int, auto: bool = False, attempt: Attempt | None = None) -> bool:
    """Submit and grade exactly once. Returns False if the attempt was already submitted/closed.

    The state flip is a conditional UPDATE ... WHERE state='in_progress': of any number of concurrent
    calls exactly one sees rowcount 1, grades, and announces ``attempt_graded``. ``attempt`` (loaded
    with its quiz by the caller) saves reading it again; what the flip changed is set on it here.
    """
    now = timezone.now()
    with transaction.atomic():
        flipped = Attempt.objects.filter(pk=attempt_id, state=AttemptState.IN_PROGRESS).update(
            state=AttemptState.SUBMITTED, submitted_at=now, auto_submitted=auto
        )
        if flipped != 1:
            return False
        if attempt is None or attempt.pk != attempt_id or "quiz" not in attempt._state.fields_cache:
            attempt = Attempt.objects.select_related("quiz").get(pk=attempt_id)
        else:
            attempt.state = AttemptState.SUBMITTED
            attempt.submitted_at = now
            attempt.auto_submitted = auto
        _grade_attempt(attempt)
        payload = {
            "attempt_id": attempt.pk,
            "person_id": attempt.person_id,
            "quiz_id": attempt.quiz_id,
            "passed": bool(attempt.passed),
            "score": attempt.score,
            "percent": attempt.percent,
            "is_knowledge_check": attempt.quiz.is_knowledge_check,
        }
        transaction.on_commit(lambda: attempt_graded.send(sender=Attempt, **payload))
    return True


def attempts_close_expired(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Submit (with their saved answers) attempts past deadline + grace. Idempotent; returns how many closed."""
    now = now or timezone.now()
    ids = list(
        Attempt.objects.filter(state=AttemptState.IN_PROGRESS, deadline__lt=now - grace())
        .order_by("deadline")
        .values_list("id", flat=True)[:limit]
    )
    return sum(1 for attempt_id in ids if attempt_submit(attempt_id=attempt_id, auto=True))


def phone_normalise(value: str) -> str:
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not re.fullmatch(r"0\d{9,10}", digits):
        raise AssessmentError(PHONE_INVALID)
    return digits


def public_rate_limited(*, ip: str | None, limit: int | None = None) -> bool:
    """Count one registration for this client IP; True when it is over the hourly limit (cache-based)."""
    limit = (
        limit if limit is not None else getattr(settings, "ASSESSMENTS_PUBLIC_RATE_PER_HOUR", 30)
    )
    return ratelimit.hit(f"assess:public:{ip or 'unknown'}", limit=limit, window=3600)


def public_entrant_register(
    *, quiz: Quiz, full_name: str, phone: str, locality: str = "", unit=None, ip: str | None = None
) -> PublicEntrant:
    if not quiz.is_public:
        raise AssessmentError(QUIZ_NOT_PUBLIC)
    if not quiz.is_open():
        raise AssessmentError(QUIZ_NOT_OPEN)
    phone = phone_normalise(phone)
    if PublicEntrant.objects.filter(quiz=quiz, phone=phone).exists():
        raise AssessmentError(PHONE_ALREADY_USED)
    if public_rate_limited(ip=ip):
        raise AssessmentError(TOO_MANY_REQUESTS)
    try:
        with transaction.atomic():
            return PublicEntrant.objects.create(
                quiz=quiz,
                full_name=normalize_text(full_name).strip(),
                phone=phone,
                locality=normalize_text(locality).strip(),
                unit=unit,
                ip_address=ip,
            )
    except IntegrityError as exc:
        raise AssessmentError(PHONE_ALREADY_USED) from exc


def question_revision_create(*, question: Question, user=None) -> QuestionRevision:
    """Snapshot the question as saved (called by the admin after each create/edit)."""
    question = Question.objects.prefetch_related("choices", "pairs", "legal_tags").get(
        pk=question.pk
    )
    data = question_snapshot(question)
    data.update(
        {
            "status": question.status,
            "difficulty": question.difficulty,
            "default_mark": str(question.default_mark),
            "category": question.category.full_path if question.category_id else "",
            "idnumber": question.idnumber,
            "penalty": str(question.penalty),
        }
    )
    return QuestionRevision.objects.create(question=question, created_by=user, data=data)


# Quizzes other apps run on their own terms (legal contests): one random slot, entrants registered
# by the calling app, which enforces its own entry rules (the quiz itself is not "public").


def reviewed_question_count(*, category: QuestionCategory) -> int:
    """How many reviewed questions a category and its sub-categories hold (what a draw can use)."""
    return (
        Question.objects.reviewed()
        .filter(bank_id=category.bank_id)
        .in_category(category, include_subcategories=True)
        .count()
    )


def random_quiz_sync(
    *,
    quiz: Quiz | None,
    title: str,
    category: QuestionCategory,
    count: int,
    time_limit_seconds: int,
    open_at: dt.datetime | None,
    close_at: dt.datetime | None,
) -> Quiz:
    """Create (``quiz=None``) or update a quiz of ``count`` random questions from ``category``.

    Scores are shown at once; answers and explanations never (a contest publishes its ranking).
    """
    values = {
        "title": title[:255],
        "bank_id": category.bank_id,
        "time_limit": time_limit_seconds,
        "open_at": open_at,
        "close_at": close_at,
        "attempts_allowed": 0,
        "is_public": False,
        "shuffle_questions": True,
        "shuffle_choices": True,
        "review_score": ReviewWhen.IMMEDIATELY,
        "review_answers": ReviewWhen.NEVER,
        "review_explanations": ReviewWhen.NEVER,
    }
    slot_values = {
        "kind": QuizSlot.Kind.RANDOM,
        "category_id": category.pk,
        "count": count,
        "include_subcategories": True,
        "spread": QuizSlot.Spread.NONE,
        "question": None,
    }
    with transaction.atomic():
        if quiz is None:
            quiz = Quiz.objects.create(**values)
        else:
            Quiz.objects.filter(pk=quiz.pk).update(**values)
            quiz.refresh_from_db()
        slot = QuizSlot.objects.filter(quiz=quiz).order_by("pk").first()
        if slot is None:
            QuizSlot.objects.create(quiz=quiz, **slot_values)
        else:
            QuizSlot.objects.filter(pk=slot.pk).update(**slot_values)
            QuizSlot.objects.filter(quiz=quiz).exclude(pk=slot.pk).delete()
    return quiz


def managed_entrant_create(
    *,
    quiz: Quiz,
    full_name: str,
    phone_key: str,
    locality: str = "",
    unit=None,
    ip: str | None = None,
) -> PublicEntrant:
    """Register an entrant for a quiz whose entry rules the calling app enforces (no checks here).

    ``phone_key`` must be unique per quiz (a contest that allows several entries per phone makes
    it unique per entry); an IntegrityError tells the caller a concurrent entry took it.
    """
    return PublicEntrant.objects.create(
        quiz=quiz,
        full_name=full_name,
        phone=phone_key,
        locality=locality[:200],
        unit=unit,
        ip_address=ip,
    )
