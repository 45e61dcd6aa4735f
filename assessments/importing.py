"""Import parsed questions into a bank, and export a bank, in one of the supported formats.

``questions_import`` writes everything in one transaction with a fixed number of queries
(bulk inserts per table, whatever the number of questions) and is idempotent: a question is
matched by its idnumber, else by category + title + text, and left alone when nothing changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lms.core.text import fold, normalize_text

from . import formats
from .formats.types import FormatError, ParsedQuestion, UnsupportedQuestion
from .models import (
    Choice,
    LegalTag,
    MatchPair,
    Question,
    QuestionBank,
    QuestionCategory,
    QuestionRevision,
    QuestionStatus,
)
from .selection import question_snapshot

MSG_DUPLICATE_IN_FILE = gettext_noop(
    "Câu hỏi số {number} “{name}” trùng với câu hỏi số {other} trong cùng tệp; chỉ nhập một lần."
)
MSG_BAD_STATUS = gettext_noop("Trạng thái khi nhập chỉ có thể là “draft” hoặc “reviewed”.")
MSG_NOTHING_TO_IMPORT = gettext_noop("Tệp không có câu hỏi nào để nhập.")
MSG_UNKNOWN_FORMAT = gettext_noop("Định dạng “{fmt}” không được hỗ trợ.")

IMPORT_STATUSES = (QuestionStatus.DRAFT, QuestionStatus.REVIEWED)
_CHILD_BATCH = 500


class ImportRefused(Exception):
    """The file has errors (or unsupported questions without --skip-unsupported): nothing written."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    categories_created: int = 0
    dry_run: bool = False
    skipped_unsupported: list[UnsupportedQuestion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    question_ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


# ---------------------------------------------------------------------------------------------
# Banks


def bank_get_or_create(*, name: str, user=None) -> tuple[QuestionBank, bool]:
    """The bank with this name or slug, created (with a unique slug) when missing."""
    name = normalize_text(name)
    slug_base = slugify(fold(name))[:90] or "ngan-hang"
    bank = (
        QuestionBank.objects.filter(name=name).first()
        or QuestionBank.objects.filter(slug=name).first()
        or QuestionBank.objects.filter(slug=slug_base).first()
    )
    if bank is not None:
        return bank, False
    taken = set(
        QuestionBank.objects.filter(slug__startswith=slug_base).values_list("slug", flat=True)
    )
    slug, suffix = slug_base, 2
    while slug in taken:
        slug, suffix = f"{slug_base}-{suffix}", suffix + 1
    user = user if getattr(user, "pk", None) else None
    return QuestionBank.objects.create(name=name, slug=slug, created_by=user), True


# ---------------------------------------------------------------------------------------------
# Model <-> dataclass


def _segment(name: str) -> str:
    # Same rule as QuestionCategory.compute_full_path: a "/" inside a name becomes "-".
    return normalize_text(name).replace("/", "-").strip()


def category_full_path(path: tuple[str, ...]) -> str:
    return "/".join(_segment(name) for name in path if _segment(name))


def category_names(categories) -> dict[int, tuple[str, ...]]:
    """Category id -> names from the top ("Luật 10/2022", "Chương II"), from one bank's rows."""
    by_id = {c.pk: c for c in categories}
    names: dict[int, tuple[str, ...]] = {}

    def walk(category) -> tuple[str, ...]:
        if category.pk not in names:
            parent = by_id.get(category.parent_id)
            names[category.pk] = (walk(parent) if parent else ()) + (category.name,)
        return names[category.pk]

    for category in by_id.values():
        walk(category)
    return names


def question_to_parsed(
    question: Question, names: dict[int, tuple[str, ...]] | None = None
) -> ParsedQuestion:
    """A saved question (with choices, pairs, legal_tags prefetched) as a format dataclass.

    ``names`` (from ``category_names``) gives category names that may contain "/"; without it
    the path comes from ``full_path``.
    """
    if question.category_id is None:
        path: tuple[str, ...] = ()
    elif names and question.category_id in names:
        path = names[question.category_id]
    else:
        path = tuple(question.category.full_path.split("/"))
    return ParsedQuestion(
        qtype=question.qtype,
        name=question.name,
        text=question.text,
        text_format=question.text_format,
        general_feedback=question.general_feedback,
        explanation=question.explanation,
        difficulty=question.difficulty,
        category_path=path,
        choices=[
            formats.ParsedChoice(
                text=c.text, fraction=c.fraction, feedback=c.feedback, tolerance=c.tolerance
            )
            for c in question.choices.all()
        ],
        pairs=[formats.ParsedPair(prompt=p.prompt, answer=p.answer) for p in question.pairs.all()],
        legal_tags=[
            formats.ParsedLegalTag(law=t.law, article=t.article, clause=t.clause, point=t.point)
            for t in question.legal_tags.all()
        ],
        idnumber=question.idnumber,
        default_mark=question.default_mark,
        penalty=question.penalty,
        shuffle=question.shuffle_choices,
        case_sensitive=question.case_sensitive,
        ignore_accents=question.ignore_accents,
    )


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def content_key(question: ParsedQuestion) -> tuple:
    """Everything an import can change, in comparable form (positions and numbering excluded)."""
    return (
        question.qtype,
        question.name,
        question.text,
        question.text_format,
        question.general_feedback,
        question.explanation,
        question.difficulty,
        category_full_path(question.category_path),
        tuple((c.text, _dec(c.fraction), c.feedback, _dec(c.tolerance)) for c in question.choices),
        tuple((p.prompt, p.answer) for p in question.pairs),
        tuple(sorted((t.law, t.article, t.clause or 0, t.point) for t in question.legal_tags)),
        question.idnumber,
        _dec(question.default_mark),
        _dec(question.penalty),
        question.shuffle,
        question.case_sensitive,
        question.ignore_accents,
    )


def identity_key(*, idnumber: str, category_path: str, name: str, text: str) -> tuple:
    if idnumber:
        return ("idnumber", idnumber)
    digest = hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
    return ("content", category_path, normalize_text(name), digest)


def _parsed_identities(question: ParsedQuestion) -> list[tuple]:
    """Keys to look an imported question up by: its idnumber first, then its content."""
    content = identity_key(
        idnumber="",
        category_path=category_full_path(question.category_path),
        name=question.name,
        text=question.text,
    )
    return [("idnumber", question.idnumber), content] if question.idnumber else [content]


# ---------------------------------------------------------------------------------------------
# Import


def _ensure_categories(
    bank: QuestionBank, questions: list[ParsedQuestion]
) -> tuple[dict[str, QuestionCategory], int]:
    """Every category path used by the questions, created level by level (one insert per depth)."""
    existing = {c.full_path: c for c in QuestionCategory.objects.filter(bank=bank)}
    wanted: dict[str, tuple[str, ...]] = {}  # full path -> names
    for question in questions:
        names = tuple(normalize_text(n) for n in question.category_path if _segment(n))
        for depth in range(1, len(names) + 1):
            wanted.setdefault(category_full_path(names[:depth]), names[:depth])
    created = 0
    for depth in sorted({len(names) for names in wanted.values()}):
        missing = sorted(
            (path, names)
            for path, names in wanted.items()
            if len(names) == depth and path not in existing
        )
        if not missing:
            continue
        rows = [
            QuestionCategory(
                bank=bank,
                parent=existing[category_full_path(names[:-1])] if depth > 1 else None,
                name=names[-1],
                full_path=path,
            )
            for path, names in missing
        ]
        for row in QuestionCategory.objects.bulk_create(rows):
            existing[row.full_path] = row
        created += len(rows)
    return existing, created


def _children(question_id: int, parsed: ParsedQuestion) -> tuple[list, list, list]:
    choices = [
        Choice(
            question_id=question_id,
            text=c.text,
            fraction=c.fraction,
            feedback=c.feedback,
            tolerance=c.tolerance,
            sort_order=i,
        )
        for i, c in enumerate(parsed.choices)
    ]
    pairs = [
        MatchPair(question_id=question_id, prompt=p.prompt, answer=p.answer, sort_order=i)
        for i, p in enumerate(parsed.pairs)
    ]
    tags = [
        LegalTag(
            question_id=question_id, law=t.law, article=t.article, clause=t.clause, point=t.point
        )
        for t in parsed.legal_tags
    ]
    return choices, pairs, tags


_QUESTION_FIELDS = [
    "category",
    "qtype",
    "name",
    "text",
    "text_format",
    "general_feedback",
    "explanation",
    "difficulty",
    "status",
    "default_mark",
    "shuffle_choices",
    "case_sensitive",
    "ignore_accents",
    "penalty",
    "idnumber",
]


def _apply(question: Question, parsed: ParsedQuestion, category, status: str) -> Question:
    question.category = category
    question.qtype = parsed.qtype
    question.name = parsed.name
    question.text = parsed.text
    question.text_format = parsed.text_format
    question.general_feedback = parsed.general_feedback
    question.explanation = parsed.explanation
    question.difficulty = parsed.difficulty
    question.status = status
    question.default_mark = parsed.default_mark
    question.shuffle_choices = parsed.shuffle
    question.case_sensitive = parsed.case_sensitive
    question.ignore_accents = parsed.ignore_accents
    question.penalty = parsed.penalty
    question.idnumber = parsed.idnumber
    question.updated_at = timezone.now()  # bulk_update does not touch auto_now fields
    return question


def _revision_rows(question_ids: list[int], user) -> list[QuestionRevision]:
    """The same snapshot the admin records after an edit (see services.question_revision_create)."""
    rows = []
    saved = (
        Question.objects.filter(pk__in=question_ids)
        .select_related("category")
        .prefetch_related("choices", "pairs", "legal_tags")
    )
    for question in saved:
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
        rows.append(QuestionRevision(question=question, created_by=user, data=data))
    return rows


def questions_import(
    *,
    bank: QuestionBank,
    questions: list[ParsedQuestion],
    dry_run: bool = False,
    status: str = QuestionStatus.DRAFT,
    user=None,
) -> ImportResult:
    """Create or update ``questions`` in ``bank`` in one transaction (rolled back if dry_run).

    New questions get ``status``; a matched question whose content changed is updated, its
    choices/pairs/tags replaced, and it goes back to ``status`` (it needs reviewing again).
    """
    if status not in IMPORT_STATUSES:
        raise ValueError(_(MSG_BAD_STATUS))
    user = user if getattr(user, "pk", None) else None
    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        categories, result.categories_created = _ensure_categories(bank, questions)
        existing: dict[tuple, int] = {}
        for row in Question.objects.filter(bank=bank).values(
            "pk", "idnumber", "name", "text", "category__full_path"
        ):
            key = identity_key(
                idnumber=row["idnumber"],
                category_path=row["category__full_path"] or "",
                name=row["name"],
                text=row["text"],
            )
            existing.setdefault(key, row["pk"])
            if row["idnumber"]:  # also reachable by content, for files without idnumbers
                existing.setdefault(
                    identity_key(
                        idnumber="",
                        category_path=row["category__full_path"] or "",
                        name=row["name"],
                        text=row["text"],
                    ),
                    row["pk"],
                )
        seen: dict[tuple, ParsedQuestion] = {}
        matched: dict[int, ParsedQuestion] = {}
        new: list[ParsedQuestion] = []
        for parsed in questions:
            keys = _parsed_identities(parsed)
            key = keys[0]
            if key in seen:
                result.warnings.append(
                    _(MSG_DUPLICATE_IN_FILE).format(
                        number=parsed.number, name=parsed.name, other=seen[key].number
                    )
                )
                continue
            seen[key] = parsed
            pk = next((existing[k] for k in keys if k in existing), None)
            if pk is not None and pk not in matched:
                matched[pk] = parsed
            else:
                new.append(parsed)

        to_update: list[tuple[Question, ParsedQuestion]] = []
        if matched:
            current = (
                Question.objects.filter(pk__in=matched)
                .select_related("category")
                .prefetch_related("choices", "pairs", "legal_tags")
            )
            for question in current:
                parsed = matched[question.pk]
                if content_key(question_to_parsed(question)) == content_key(parsed):
                    result.unchanged += 1
                else:
                    to_update.append((question, parsed))
                result.question_ids.append(question.pk)

        def category_for(parsed: ParsedQuestion):
            return categories.get(category_full_path(parsed.category_path))

        created = Question.objects.bulk_create(
            [
                _apply(Question(bank=bank, created_by=user), parsed, category_for(parsed), status)
                for parsed in new
            ]
        )
        result.created = len(created)
        if to_update:
            Question.objects.bulk_update(
                [_apply(q, parsed, category_for(parsed), status) for q, parsed in to_update],
                _QUESTION_FIELDS + ["updated_at"],
            )
            updated_ids = [q.pk for q, _parsed in to_update]
            Choice.objects.filter(question_id__in=updated_ids).delete()
            MatchPair.objects.filter(question_id__in=updated_ids).delete()
            LegalTag.objects.filter(question_id__in=updated_ids).delete()
            result.updated = len(to_update)
        choices, pairs, tags = [], [], []
        for question, parsed in [*zip(created, new, strict=True), *to_update]:
            c, p, t = _children(question.pk, parsed)
            choices += c
            pairs += p
            tags += t
        Choice.objects.bulk_create(choices, batch_size=_CHILD_BATCH)
        MatchPair.objects.bulk_create(pairs, batch_size=_CHILD_BATCH)
        LegalTag.objects.bulk_create(tags, batch_size=_CHILD_BATCH)
        written = [q.pk for q in created] + [q.pk for q, _parsed in to_update]
        if written and not dry_run:
            QuestionRevision.objects.bulk_create(
                _revision_rows(written, user), batch_size=_CHILD_BATCH
            )
        result.question_ids += [q.pk for q in created]
        if dry_run:
            transaction.set_rollback(True)
    return result


def file_import(
    *,
    bank: QuestionBank,
    data: bytes,
    fmt: str,
    dry_run: bool = False,
    skip_unsupported: bool = False,
    status: str = QuestionStatus.DRAFT,
    user=None,
) -> ImportResult:
    """Parse and import a file; raises ImportRefused (nothing written) when the file has problems."""
    if fmt not in formats.IMPORT_FORMATS:
        raise ImportRefused([_(MSG_UNKNOWN_FORMAT).format(fmt=fmt)])
    parsed = formats.parse(fmt, data, max_rows=settings.MAX_IMPORT_ROWS)
    problems = parsed.problems(skip_unsupported=skip_unsupported)
    if problems:
        raise ImportRefused(problems)
    if not parsed.questions:
        raise ImportRefused([_(MSG_NOTHING_TO_IMPORT)])
    result = questions_import(
        bank=bank, questions=parsed.questions, dry_run=dry_run, status=status, user=user
    )
    result.skipped_unsupported = list(parsed.unsupported)
    result.warnings = parsed.warnings + result.warnings
    return result


# ---------------------------------------------------------------------------------------------
# Export


def bank_questions_parsed(
    *, bank: QuestionBank, include_retired: bool = False
) -> list[ParsedQuestion]:
    questions = (
        Question.objects.filter(bank=bank)
        .select_related("category")
        .prefetch_related("choices", "pairs", "legal_tags")
        .order_by("category__full_path", "pk")
    )
    if not include_retired:
        questions = questions.exclude(status=QuestionStatus.RETIRED)
    names = category_names(QuestionCategory.objects.filter(bank=bank))
    return [question_to_parsed(q, names) for q in questions]


def bank_export(
    *,
    bank: QuestionBank,
    fmt: str,
    include_retired: bool = False,
    skip_unsupported: bool = False,
) -> bytes:
    """The bank as a file. Moodle XML keeps every field; GIFT cannot hold ordering questions
    (FormatError unless skip_unsupported) and xlsx keeps only the template's columns."""
    if fmt not in formats.EXPORT_FORMATS:
        raise FormatError([_(MSG_UNKNOWN_FORMAT).format(fmt=fmt)])
    questions = bank_questions_parsed(bank=bank, include_retired=include_retired)
    return formats.write(fmt, questions, skip_unsupported=skip_unsupported)
