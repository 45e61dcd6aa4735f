"""Item analysis (Moodle's quiz statistics) and results per legal article, overall and per unit.

Definitions, as in Moodle's "Quiz statistics calculations" (mod/quiz/report/statistics and
question/classes/statistics/questions/calculator.php):

- Facility index F = mean of (mark earned / mark available) over the graded attempts that
  contained the question: 1.0 = everyone got it fully right (Moodle shows it as %).
- Standard deviation SD of (mark earned / mark available), sample formula (n − 1).
- Discrimination index D = the correlation between the mark earned on this question (x) and the
  mark earned on the REST of the attempt (y = attempt total − x):
      D = cov(x, y) / sqrt(var(x) · var(y)),   sample covariance/variances (n − 1).
  Moodle multiplies it by 100; we keep the coefficient in [−1, 1] (``discrimination_percent``
  gives Moodle's number). It is undefined (None) with fewer than two attempts or when either
  variable does not vary.
- Answer distribution: for choice questions, how many attempts selected each option (a
  multiple-response option counts once per attempt that ticked it); for short-answer and
  numerical questions, how many gave each typed answer and the credit it earned. Frequencies are
  shares of the attempts that contained the question.

Everything is computed with a few aggregate queries (sums of x, y, x², y², xy per question),
never by looping over people or attempts in Python.

Per legal article, the "share answered correctly" is the share of graded attempt questions
tagged with that article that earned full marks (fraction ≥ 1). Per unit, an attempt counts
for every unit in which its person holds a position on ``day`` (default today), rolled up to
the children of the chosen root unit by materialised path (``Unit.path``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Avg, Count, F, FloatField, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.org.api import PositionAssignment, Unit

from .models import Attempt, AttemptChoice, AttemptQuestion, Choice, Question, Response

DELETED_OPTION = _("(phương án đã bị xoá)")
CHOICE_TYPES = ("single", "multiple", "truefalse")
TYPED_TYPES = ("shortanswer", "numerical")
_EPSILON = 1e-12


class JSONHasValue(models.Func):
    """True when a JSON value equals ``value`` or is an array containing it (portable)."""

    output_field = models.BooleanField()
    conditional = True

    def as_sql(self, compiler, connection, **extra_context):  # SQLite and others
        json_sql, json_params = compiler.compile(self.source_expressions[0])
        value_sql, value_params = compiler.compile(self.source_expressions[1])
        sql = f"EXISTS (SELECT 1 FROM json_each({json_sql}) AS je WHERE je.value = {value_sql})"
        return sql, (*json_params, *value_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        json_sql, json_params = compiler.compile(self.source_expressions[0])
        value_sql, value_params = compiler.compile(self.source_expressions[1])
        # jsonb containment: '5' @> '5' and '[3, 5]' @> '5' are both true.
        return f"({json_sql} @> to_jsonb({value_sql}))", (*json_params, *value_params)


@dataclass
class AnswerCount:
    label: str
    fraction: Decimal | None  # credit of that answer (1 = full marks)
    count: int
    frequency: float  # count / attempts that contained the question


@dataclass
class QuestionStatistics:
    question_id: int
    name: str
    qtype: str
    attempts: int
    facility: float | None
    sd: float | None
    discrimination: float | None
    unanswered: int = 0
    distribution: list[AnswerCount] = field(default_factory=list)

    @property
    def facility_percent(self) -> float | None:
        return None if self.facility is None else round(self.facility * 100, 2)

    @property
    def discrimination_percent(self) -> float | None:
        return None if self.discrimination is None else round(self.discrimination * 100, 2)


@dataclass
class ArticleStatistics:
    law: str
    article: int
    answered: int
    correct: int
    unit: Unit | None = None

    @property
    def share_correct(self) -> float | None:
        return self.correct / self.answered if self.answered else None


def people_in_units(roots: list[Unit], day: dt.date):
    """Ids of people holding a position on ``day`` in any of the ``roots`` subtrees (a subquery)."""
    in_subtree = Q(pk__in=[])
    for root in roots:
        in_subtree |= Q(unit__path__startswith=root.path)
    return (
        PositionAssignment.objects.filter(in_subtree, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
        .values("person_id")
    )


def graded_attempts(
    *,
    quiz=None,
    bank=None,
    first_attempts_only: bool = False,
    roots: list[Unit] | None = None,
    day: dt.date | None = None,
):
    """Graded attempts; with ``roots``, only those of people holding a position on ``day``
    (default today) in one of those units' subtrees — how a manager's view is scoped."""
    attempts = Attempt.objects.graded()
    if quiz is not None:
        attempts = attempts.filter(quiz=quiz)
    if bank is not None:
        attempts = attempts.filter(quiz__bank=bank)
    if first_attempts_only:
        attempts = attempts.filter(number=1)
    if roots is not None:
        attempts = attempts.filter(
            person_id__in=people_in_units(roots, day or timezone.localdate())
        )
    return attempts


def _sample_variance(total: float, squares: float, n: int) -> float:
    return (squares - total * total / n) / (n - 1)


def _moments(row: dict) -> tuple[float | None, float | None, float | None]:
    n = row["n"]
    facility = row["sf"] / n if n else None
    if n < 2:
        return facility, None, None
    var_f = _sample_variance(row["sf"], row["sff"], n)
    sd = math.sqrt(var_f) if var_f > _EPSILON else 0.0
    var_x = _sample_variance(row["sx"], row["sxx"], n)
    var_y = _sample_variance(row["sy"], row["syy"], n)
    if var_x <= _EPSILON or var_y <= _EPSILON:
        return facility, sd, None
    covariance = (row["sxy"] - row["sx"] * row["sy"] / n) / (n - 1)
    return facility, sd, covariance / math.sqrt(var_x * var_y)


def question_statistics(
    *,
    quiz=None,
    bank=None,
    first_attempts_only: bool = False,
    roots: list[Unit] | None = None,
    day: dt.date | None = None,
) -> list[QuestionStatistics]:
    """Facility, SD, discrimination and answer distribution of every question attempted
    (with ``roots``: over the attempts of people in those units' subtrees only)."""
    attempts = graded_attempts(
        quiz=quiz, bank=bank, first_attempts_only=first_attempts_only, roots=roots, day=day
    )
    rows_qs = AttemptQuestion.objects.filter(attempt__in=attempts.values("pk"))
    x = Cast(Coalesce("score", Value(Decimal("0"))), FloatField())
    y = Cast(Coalesce("attempt__score", Value(Decimal("0"))), FloatField()) - x
    f = Cast(Coalesce("fraction", Value(Decimal("0"))), FloatField())
    unanswered = (
        Q(response__isnull=True) | Q(response__answer__isnull=True) | Q(response__answer="")
    )
    rows = list(
        rows_qs.values("question_id")
        .annotate(
            n=Count("pk"),
            sf=Sum(f),
            sff=Sum(f * f),
            sx=Sum(x),
            sxx=Sum(x * x),
            sy=Sum(y),
            syy=Sum(y * y),
            sxy=Sum(x * y),
            unanswered=Count("pk", filter=unanswered),
        )
        .order_by("question_id")
    )
    if not rows:
        return []
    ids = [row["question_id"] for row in rows]
    questions = {q.pk: q for q in Question.objects.filter(pk__in=ids).only("pk", "name", "qtype")}
    result: dict[int, QuestionStatistics] = {}
    for row in rows:
        question = questions[row["question_id"]]
        facility, sd, discrimination = _moments(row)
        result[question.pk] = QuestionStatistics(
            question_id=question.pk,
            name=question.name,
            qtype=question.qtype,
            attempts=row["n"],
            facility=facility,
            sd=sd,
            discrimination=discrimination,
            unanswered=row["unanswered"],
        )
    _choice_distribution(rows_qs, result)
    _typed_distribution(rows_qs, result)
    return list(result.values())


def _choice_distribution(rows_qs, result: dict[int, QuestionStatistics]) -> None:
    choice_ids = [s.question_id for s in result.values() if s.qtype in CHOICE_TYPES]
    if not choice_ids:
        return
    selected = (
        AttemptChoice.objects.filter(
            attempt_question__in=rows_qs.filter(question_id__in=choice_ids).values("pk"),
            is_prompt=False,
        )
        .filter(JSONHasValue(F("attempt_question__response__answer"), F("id")))
        .values("attempt_question__question_id", "source_id")
        .annotate(n=Count("pk"))
    )
    counts = {(r["attempt_question__question_id"], r["source_id"]): r["n"] for r in selected}
    for choice in Choice.objects.filter(question_id__in=choice_ids).order_by(
        "question_id", "sort_order", "pk"
    ):
        stats = result[choice.question_id]
        count = counts.pop((choice.question_id, choice.pk), 0)
        stats.distribution.append(
            AnswerCount(
                label=choice.text,
                fraction=choice.fraction,
                count=count,
                frequency=count / stats.attempts,
            )
        )
    for (question_id, _source), count in sorted(counts.items()):
        stats = result[question_id]
        stats.distribution.append(
            AnswerCount(
                label=str(DELETED_OPTION),
                fraction=None,
                count=count,
                frequency=count / stats.attempts,
            )
        )


def _typed_distribution(rows_qs, result: dict[int, QuestionStatistics]) -> None:
    typed_ids = [s.question_id for s in result.values() if s.qtype in TYPED_TYPES]
    if not typed_ids:
        return
    groups = (
        Response.objects.filter(
            attempt_question__in=rows_qs.filter(question_id__in=typed_ids).values("pk"),
            answer__isnull=False,
        )
        .exclude(answer="")
        .values("attempt_question__question_id", "answer")
        .annotate(n=Count("pk"), credit=Avg("attempt_question__fraction"))
        .order_by("attempt_question__question_id", "-n")
    )
    for group in groups:
        stats = result[group["attempt_question__question_id"]]
        credit = group["credit"]
        stats.distribution.append(
            AnswerCount(
                label=str(group["answer"]),
                fraction=None
                if credit is None
                else Decimal(str(credit)).quantize(Decimal("0.00001")),
                count=group["n"],
                frequency=group["n"] / stats.attempts,
            )
        )


# ---------------------------------------------------------------------------------------------
# Legal articles


def _article_rows(queryset, extra_group: tuple = ()) -> list[dict]:
    return list(
        queryset.filter(question__legal_tags__isnull=False)
        .values("question__legal_tags__law", "question__legal_tags__article", *extra_group)
        .annotate(
            answered=Count("pk", distinct=True),
            correct=Count("pk", distinct=True, filter=Q(fraction__gte=1)),
        )
        .order_by("question__legal_tags__law", "question__legal_tags__article", *extra_group)
    )


def _positions_q(day: dt.date, root: Unit | None) -> Q:
    condition = Q(attempt__person__positions__start_date__lte=day) & (
        Q(attempt__person__positions__end_date__isnull=True)
        | Q(attempt__person__positions__end_date__gt=day)
    )
    if root is not None:
        condition &= Q(attempt__person__positions__unit__path__startswith=root.path)
    return condition


def article_statistics(
    *,
    quiz=None,
    bank=None,
    root: Unit | None = None,
    day: dt.date | None = None,
    first_attempts_only: bool = False,
) -> list[ArticleStatistics]:
    """Share answered correctly per legal article; with ``root``, only people holding a position
    in that unit's subtree on ``day``."""
    attempts = graded_attempts(quiz=quiz, bank=bank, first_attempts_only=first_attempts_only)
    queryset = AttemptQuestion.objects.filter(attempt__in=attempts.values("pk"))
    if root is not None:
        queryset = queryset.filter(_positions_q(day or timezone.localdate(), root))
    return [
        ArticleStatistics(
            law=row["question__legal_tags__law"],
            article=row["question__legal_tags__article"],
            answered=row["answered"],
            correct=row["correct"],
            unit=root,
        )
        for row in _article_rows(queryset)
    ]


def article_statistics_by_unit(
    *,
    root: Unit | None,
    quiz=None,
    bank=None,
    day: dt.date | None = None,
    first_attempts_only: bool = False,
) -> list[ArticleStatistics]:
    """Per legal article and per child unit of ``root`` (its whole subtree rolled up).

    People placed directly in ``root`` form a row of their own with ``unit=root``. With
    ``root=None``, per top-level unit of the tree.
    """
    attempts = graded_attempts(quiz=quiz, bank=bank, first_attempts_only=first_attempts_only)
    child_path_length = (len(root.path) if root is not None else 0) + Unit.steplen
    queryset = (
        AttemptQuestion.objects.filter(attempt__in=attempts.values("pk"))
        .filter(_positions_q(day or timezone.localdate(), root))
        .annotate(branch=Substr("attempt__person__positions__unit__path", 1, child_path_length))
    )
    rows = _article_rows(queryset, ("branch",))
    units = {u.path: u for u in Unit.objects.filter(path__in={row["branch"] for row in rows})}
    return [
        ArticleStatistics(
            law=row["question__legal_tags__law"],
            article=row["question__legal_tags__article"],
            answered=row["answered"],
            correct=row["correct"],
            unit=units.get(row["branch"]),
        )
        for row in rows
    ]
