"""Helpers shared by every format: text clean-up, legal-tag metadata and question validation."""

from __future__ import annotations

import html
import re
import unicodedata
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .types import (
    DIFFICULTIES,
    HTML,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    NUMERICAL_ANY,
    ORDERING,
    PLAIN,
    SHORTANSWER,
    SINGLE,
    TRUEFALSE,
    ParsedLegalTag,
    ParsedQuestion,
    fraction_to_percent,
)

MSG_EMPTY_TEXT = gettext_noop("Câu hỏi không có nội dung.")
MSG_EMPTY_CHOICE = gettext_noop("Có phương án trả lời để trống.")
MSG_TOO_FEW_CHOICES = gettext_noop("Câu hỏi trắc nghiệm cần ít nhất 2 phương án.")
MSG_SINGLE_NO_CORRECT = gettext_noop(
    "Câu hỏi một lựa chọn phải có một phương án đúng 100% (dùng dấu “=” trước phương án đúng)."
)
MSG_MULTIPLE_SUM = gettext_noop(
    "Tổng trọng số các phương án đúng của câu hỏi nhiều lựa chọn phải bằng 100% (hiện là {total}%)."
)
MSG_FRACTION_RANGE = gettext_noop("Trọng số {value}% nằm ngoài khoảng từ -100% đến 100%.")
MSG_NO_FULL_ANSWER = gettext_noop("Câu hỏi phải có ít nhất một đáp án được 100% số điểm.")
MSG_TOO_FEW_PAIRS = gettext_noop("Câu hỏi ghép đôi cần ít nhất 2 cặp có đủ vế trái và vế phải.")
MSG_PAIR_ANSWER_EMPTY = gettext_noop("Có cặp ghép đôi thiếu vế phải.")
MSG_PAIR_ANSWER_LONG = gettext_noop("Vế phải của cặp ghép đôi dài quá 500 ký tự.")
MSG_TOO_FEW_ITEMS = gettext_noop("Câu hỏi sắp xếp thứ tự cần ít nhất 2 mục.")
MSG_TRUEFALSE_CHOICES = gettext_noop("Câu hỏi Đúng/Sai phải có đúng hai phương án “Đúng” và “Sai”.")
MSG_NOT_A_NUMBER = gettext_noop("“{value}” không phải là số (dùng dấu chấm cho phần thập phân).")
MSG_NEGATIVE_MARK = gettext_noop("Điểm của câu hỏi không được âm.")
MSG_PENALTY_RANGE = gettext_noop("Hệ số trừ điểm phải nằm trong khoảng 0 đến 1.")
MSG_IDNUMBER_LONG = gettext_noop("Mã câu hỏi (idnumber) dài quá 100 ký tự.")
MSG_CATEGORY_LONG = gettext_noop(
    "Tên danh mục dài quá 200 ký tự hoặc đường dẫn danh mục dài quá 1000 ký tự."
)
MSG_MARK_TOO_LARGE = gettext_noop("Điểm của câu hỏi phải nhỏ hơn 10000.")
MSG_TOLERANCE_TOO_LARGE = gettext_noop("Sai số cho phép phải nhỏ hơn 100000000.")
MSG_DUPLICATE_IDNUMBER = gettext_noop("Mã câu hỏi “{idnumber}” bị trùng với câu hỏi số {other}.")

MSG_TAG_SYNTAX = gettext_noop("Thẻ “{token}” không đúng dạng khoá=giá trị.")
MSG_TAG_UNKNOWN = gettext_noop(
    "Không hiểu thẻ “{key}”. Dùng: law, article, clause, point, difficulty, idnumber."
)
MSG_TAG_ARTICLE_NO_LAW = gettext_noop("Thẻ điều/khoản/điểm phải đi sau thẻ văn bản (law).")
MSG_TAG_LAW_NO_ARTICLE = gettext_noop("Văn bản “{law}” chưa có số điều (article).")
MSG_TAG_NUMBER = gettext_noop("Số {what} “{value}” phải là số nguyên dương.")
MSG_TAG_POINT = gettext_noop("Điểm “{value}” phải là chữ cái (ví dụ: a, b, đ).")
MSG_TAG_DIFFICULTY = gettext_noop(
    "Mức độ “{value}” không hợp lệ; dùng easy/medium/hard (hoặc Dễ/Trung bình/Khó)."
)
MSG_TAG_LAW_LONG = gettext_noop("Số hiệu văn bản “{value}” dài quá 50 ký tự.")

MAX_NAME = 255
DEFAULT_NAME_LENGTH = 80

_TAG_RE = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*\b[^>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>")
_SPACES = re.compile(r"\s+")
_DIFFICULTY_ALIASES = {
    "easy": "easy",
    "de": "easy",
    "dễ": "easy",
    "medium": "medium",
    "trung binh": "medium",
    "trung bình": "medium",
    "trung_binh": "medium",
    "trung-binh": "medium",
    "tb": "medium",
    "hard": "hard",
    "kho": "hard",
    "khó": "hard",
}
_POINT_RE = re.compile(r"^[a-zđ]{1,2}$")


def clean(value: str | None) -> str:
    """NFC and trimmed; inner line breaks kept (question texts are multi-line)."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return value.strip()


def clean_line(value: str | None) -> str:
    """NFC, trimmed, white space folded: for names, category names and short answers."""
    return _SPACES.sub(" ", clean(value)).strip()


def looks_like_html(text: str) -> bool:
    return bool(_TAG_RE.search(text)) or bool(
        re.search(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", text, re.I)
    )


def strip_tags(text: str) -> str:
    return html.unescape(_TAG_RE.sub(" ", text))


def default_name(text: str) -> str:
    """A title made from the question text, as Moodle does when a question has none."""
    words = clean_line(strip_tags(text))
    if len(words) <= DEFAULT_NAME_LENGTH:
        return words or _("Câu hỏi không tên")
    cut = words[:DEFAULT_NAME_LENGTH].rsplit(" ", 1)[0]
    return cut + "…"


def fit_name(name: str) -> str:
    name = clean_line(name)
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"


def plain_to_html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def markdown_to_html(text: str) -> str:
    from markdown_it import MarkdownIt

    # Raw HTML inside Markdown is not passed through; the output is sanitised on render anyway.
    return MarkdownIt("commonmark", {"html": False}).render(text).strip()


def resolve_text_format(text: str, source_format: str) -> tuple[str, str]:
    """Map a Moodle text format onto ours ("html" or "plain").

    ``source_format`` is one of html, plain, markdown, moodle (Moodle's auto-format, the GIFT
    default, where HTML tags are honoured and line breaks become <br>).
    """
    if source_format == HTML:
        return text, HTML
    if source_format == PLAIN:
        return text, PLAIN
    if source_format == "markdown":
        return markdown_to_html(text), HTML
    if looks_like_html(text):
        return text.replace("\n", "<br>\n"), HTML
    return text, PLAIN


def normalize_difficulty(value: str) -> str | None:
    """ "Dễ" -> "easy"; "" -> ""; None when the value is not a difficulty."""
    key = clean_line(value).lower()
    if not key:
        return ""
    if key in DIFFICULTIES:
        return key
    return _DIFFICULTY_ALIASES.get(key)


def _positive_int(value: str, what: str) -> tuple[int | None, str | None]:
    value = value.strip()
    if value.isdigit() and int(value) > 0:
        return int(value), None
    return None, _(MSG_TAG_NUMBER).format(what=what, value=value)


class LegalTagBuilder:
    """Collects law/article/clause/point values in order into ParsedLegalTag rows.

    A new ``law`` starts a new reference; a second ``article`` under the same law starts another
    reference to that law (so ``law:X article:3 article:5`` is two references).
    """

    def __init__(self) -> None:
        self.tags: list[ParsedLegalTag] = []
        self.errors: list[str] = []
        self._current: dict | None = None

    def _flush(self) -> None:
        current = self._current
        if current is None:
            return
        if current.get("article") is None:
            self.errors.append(_(MSG_TAG_LAW_NO_ARTICLE).format(law=current["law"]))
        else:
            tag = ParsedLegalTag(
                law=current["law"],
                article=current["article"],
                clause=current.get("clause"),
                point=current.get("point", ""),
            )
            if tag not in self.tags:
                self.tags.append(tag)
        self._current = None

    def add(self, key: str, value: str) -> None:
        value = clean_line(value)
        if key == "law":
            self._flush()
            if len(value) > 50:
                self.errors.append(_(MSG_TAG_LAW_LONG).format(value=value))
            self._current = {"law": value}
            return
        if self._current is None:
            self.errors.append(_(MSG_TAG_ARTICLE_NO_LAW))
            return
        if key == "article":
            number, error = _positive_int(value, _("điều"))
            if error:
                self.errors.append(error)
                return
            if self._current.get("article") is not None:
                law = self._current["law"]
                self._flush()
                self._current = {"law": law}
            self._current["article"] = number
        elif key == "clause":
            number, error = _positive_int(value, _("khoản"))
            if error:
                self.errors.append(error)
                return
            self._current["clause"] = number
        elif key == "point":
            point = value.lower()
            if not _POINT_RE.match(point):
                self.errors.append(_(MSG_TAG_POINT).format(value=value))
                return
            self._current["point"] = point

    def finish(self) -> list[ParsedLegalTag]:
        self._flush()
        return self.tags


LEGAL_KEYS = ("law", "article", "clause", "point")


def parse_tag_line(text: str) -> tuple[dict, list[str]]:
    """Our GIFT convention: ``law=10/2022/QH15 article=11 clause=2 point=a difficulty=easy``.

    Several references are separated by ";". Returns ({legal_tags, difficulty, idnumber}, errors).
    """
    builder = LegalTagBuilder()
    errors: list[str] = []
    meta: dict = {}
    for group in text.split(";"):
        for token in group.split():
            key, sep, value = token.partition("=")
            key = key.strip().lower()
            if not sep or not value.strip():
                errors.append(_(MSG_TAG_SYNTAX).format(token=token))
                continue
            if key in LEGAL_KEYS:
                builder.add(key, value)
            elif key == "difficulty":
                difficulty = normalize_difficulty(value)
                if difficulty is None:
                    errors.append(_(MSG_TAG_DIFFICULTY).format(value=value))
                else:
                    meta["difficulty"] = difficulty
            elif key == "idnumber":
                meta["idnumber"] = clean_line(value)
            else:
                errors.append(_(MSG_TAG_UNKNOWN).format(key=key))
    meta["legal_tags"] = builder.finish()
    return meta, errors + builder.errors


def format_tag_line(question: ParsedQuestion) -> str:
    """The inverse of ``parse_tag_line`` (empty when the question has no metadata)."""
    groups = []
    for tag in question.legal_tags:
        parts = [f"law={tag.law}", f"article={tag.article}"]
        if tag.clause:
            parts.append(f"clause={tag.clause}")
        if tag.point:
            parts.append(f"point={tag.point}")
        groups.append(" ".join(parts))
    extra = []
    if question.difficulty:
        extra.append(f"difficulty={question.difficulty}")
    if question.idnumber and " " not in question.idnumber and ";" not in question.idnumber:
        extra.append(f"idnumber={question.idnumber}")
    if extra:
        if groups:
            groups[-1] += " " + " ".join(extra)
        else:
            groups.append(" ".join(extra))
    return "; ".join(groups)


def moodle_tags_for(question: ParsedQuestion) -> list[str]:
    """Our metadata as Moodle tag names, in an order ``LegalTagBuilder`` reads back."""
    names = []
    for tag in question.legal_tags:
        names += [f"law:{tag.law}", f"article:{tag.article}"]
        if tag.clause:
            names.append(f"clause:{tag.clause}")
        if tag.point:
            names.append(f"point:{tag.point}")
    if question.difficulty:
        names.append(f"difficulty:{question.difficulty}")
    return names


def validate_question(question: ParsedQuestion) -> list[str]:
    """Checks that make a question gradable; messages are translated Vietnamese sentences."""
    errors: list[str] = []
    if not question.text.strip():
        errors.append(_(MSG_EMPTY_TEXT))
    if question.default_mark < 0:
        errors.append(_(MSG_NEGATIVE_MARK))
    if question.default_mark >= 10000:
        errors.append(_(MSG_MARK_TOO_LARGE))
    if any(len(name) > 200 for name in question.category_path) or (
        len("/".join(question.category_path)) > 1000
    ):
        errors.append(_(MSG_CATEGORY_LONG))
    if any(c.tolerance is not None and abs(c.tolerance) >= 10**8 for c in question.choices):
        errors.append(_(MSG_TOLERANCE_TOO_LARGE))
    if not (Decimal("0") <= question.penalty <= Decimal("1")):
        errors.append(_(MSG_PENALTY_RANGE))
    if len(question.idnumber) > 100:
        errors.append(_(MSG_IDNUMBER_LONG))
    for choice in question.choices:
        if not (Decimal("-1") <= choice.fraction <= Decimal("1")):
            errors.append(_(MSG_FRACTION_RANGE).format(value=fraction_to_percent(choice.fraction)))
    qtype = question.qtype
    choices = question.choices
    if qtype in (SINGLE, MULTIPLE, SHORTANSWER, ORDERING) and any(
        not c.text.strip() for c in choices
    ):
        errors.append(_(MSG_EMPTY_CHOICE))
    if qtype in (SINGLE, MULTIPLE):
        if len(choices) < 2:
            errors.append(_(MSG_TOO_FEW_CHOICES))
        elif qtype == SINGLE and max(c.fraction for c in choices) < 1:
            errors.append(_(MSG_SINGLE_NO_CORRECT))
        elif qtype == MULTIPLE:
            total = sum((c.fraction for c in choices if c.fraction > 0), Decimal("0"))
            if abs(total - 1) > Decimal("0.001"):
                errors.append(_(MSG_MULTIPLE_SUM).format(total=fraction_to_percent(total)))
    elif qtype == TRUEFALSE:
        if len(choices) != 2:
            errors.append(_(MSG_TRUEFALSE_CHOICES))
    elif qtype in (SHORTANSWER, NUMERICAL):
        if not any(c.fraction >= 1 for c in choices):
            errors.append(_(MSG_NO_FULL_ANSWER))
        if qtype == NUMERICAL:
            for choice in choices:
                if choice.text != NUMERICAL_ANY:
                    try:
                        Decimal(choice.text)
                    except ArithmeticError:
                        errors.append(_(MSG_NOT_A_NUMBER).format(value=choice.text))
    elif qtype == MATCHING:
        if sum(1 for p in question.pairs if p.prompt.strip() and p.answer.strip()) < 2:
            errors.append(_(MSG_TOO_FEW_PAIRS))
        if any(not p.answer.strip() for p in question.pairs):
            errors.append(_(MSG_PAIR_ANSWER_EMPTY))
        if any(len(p.answer) > 500 for p in question.pairs):
            errors.append(_(MSG_PAIR_ANSWER_LONG))
    elif qtype == ORDERING and len(choices) < 2:
        errors.append(_(MSG_TOO_FEW_ITEMS))
    return errors


def duplicate_idnumber_errors(questions: list[ParsedQuestion]) -> list[tuple[ParsedQuestion, str]]:
    seen: dict[str, ParsedQuestion] = {}
    problems = []
    for question in questions:
        if not question.idnumber:
            continue
        other = seen.get(question.idnumber)
        if other is not None:
            problems.append(
                (
                    question,
                    _(MSG_DUPLICATE_IDNUMBER).format(
                        idnumber=question.idnumber, other=other.number
                    ),
                )
            )
        else:
            seen[question.idnumber] = question
    return problems


_CONTEXT_SEGMENT = re.compile(r"^\$[a-z0-9_]+\$$", re.I)


def split_category_path(path: str) -> tuple[str, ...]:
    """Moodle category path -> names: "$course$/top/A/B//C" -> ("A", "B/C").

    A single "/" separates names, "//" is a literal slash; the context prefix ($course$,
    $system$, $cat1$, $module$) and the implicit "top" category are dropped.
    """
    names = [clean_line(raw.replace("//", "/")) for raw in re.split(r"(?<!/)/(?!/)", path)]
    if names and _CONTEXT_SEGMENT.match(names[0]):
        names = names[1:]
    if names and names[0].lower() == "top":
        names = names[1:]
    return tuple(name for name in names if name)


def assemble_category_path(names: tuple[str, ...] | list[str]) -> str:
    escaped = []
    for name in names:
        name = name.replace("/", "//")
        if name.startswith("/"):
            name = " " + name
        if name.endswith("/"):
            name += " "
        escaped.append(name)
    return "/".join(["$course$", "top", *escaped])
