"""Excel template for trainers who do not write GIFT: one row per question, Vietnamese headers.

Columns are found by their header (any order, accents and case ignored). "Đáp án đúng" holds
the letter(s) of the correct option(s) ("B", "A,C"), "Đúng"/"Sai", or the number (1.5,
1.5:0.1, 1..2) depending on "Loại câu hỏi". Multiple-response rows give each correct option
100%/k and each wrong option -100%/k (k = number of correct options); the learner's total
never goes below zero. This format cannot carry custom weights or per-option feedback:
use Moodle XML for a lossless export.
"""

from __future__ import annotations

import io
import logging
import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lms.core.text import fold

from .common import (
    LegalTagBuilder,
    clean,
    clean_line,
    default_name,
    fit_name,
    normalize_difficulty,
    resolve_text_format,
    validate_question,
)
from .gift import parse_numeric_answer
from .types import (
    FALSE_TEXT,
    FRACTION_PLACES,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    ORDERING,
    SHORTANSWER,
    SINGLE,
    TRUE_TEXT,
    TRUEFALSE,
    ParsedChoice,
    ParsedPair,
    ParsedQuestion,
    ParseError,
    ParseResult,
    UnsupportedQuestion,
    format_decimal,
)

logger = logging.getLogger(__name__)

SHEET_QUESTIONS = "Câu hỏi"
SHEET_HELP = "Hướng dẫn"
SHEET_EXAMPLES = "Ví dụ"
CATEGORY_SEPARATOR = ">"

COL_CATEGORY = "Danh mục"
COL_TYPE = "Loại câu hỏi"
COL_NAME = "Tên"
COL_TEXT = "Nội dung"
COL_OPTION = "Phương án {letter}"
COL_CORRECT = "Đáp án đúng"
COL_EXPLANATION = "Giải thích"
COL_LAW = "Văn bản"
COL_ARTICLE = "Điều"
COL_CLAUSE = "Khoản"
COL_POINT = "Điểm"
COL_DIFFICULTY = "Mức độ"
DEFAULT_OPTIONS = "ABCDEF"

TYPE_LABELS = {
    SINGLE: "Một lựa chọn",
    MULTIPLE: "Nhiều lựa chọn",
    TRUEFALSE: "Đúng/Sai",
    SHORTANSWER: "Trả lời ngắn",
    NUMERICAL: "Số",
    MATCHING: "Ghép đôi",
    ORDERING: "Sắp xếp thứ tự",
}
_TYPE_ALIASES = {
    **{fold(label): qtype for qtype, label in TYPE_LABELS.items()},
    **{qtype: qtype for qtype in TYPE_LABELS},
    "mot dap an": SINGLE,
    "mot dap an dung": SINGLE,
    "trac nghiem": SINGLE,
    "nhieu dap an": MULTIPLE,
    "nhieu dap an dung": MULTIPLE,
    "dung sai": TRUEFALSE,
    "dung / sai": TRUEFALSE,
    "true/false": TRUEFALSE,
    "tra loi ngan": SHORTANSWER,
    "dien khuyet": SHORTANSWER,
    "sap xep": ORDERING,
    "ghep noi": MATCHING,
    "multichoice": SINGLE,
    "match": MATCHING,
}
_UNSUPPORTED_TYPES = {"tu luan": "essay", "essay": "essay", "mo ta": "description"}
DIFFICULTY_LABELS = {"easy": "Dễ", "medium": "Trung bình", "hard": "Khó"}
_TRUE_WORDS = {"dung", "d", "true", "t", "a"}
_FALSE_WORDS = {"sai", "s", "false", "f", "b"}
_MATCH_ARROW = re.compile(r"\s*(?:->|→|=>)\s*")

MSG_XLSX_UNREADABLE = gettext_noop(
    "Không đọc được tệp Excel (.xlsx). Hãy mở bằng Excel và lưu lại."
)
MSG_XLSX_NO_HEADER = gettext_noop(
    "Không tìm thấy dòng tiêu đề có cột “Nội dung”. Hãy dùng tệp mẫu tải về từ hệ thống."
)
MSG_XLSX_TOO_MANY_ROWS = gettext_noop(
    "Tệp có quá nhiều dòng (tối đa {limit} câu hỏi mỗi lần nhập)."
)
MSG_XLSX_TYPE = gettext_noop("Loại câu hỏi “{value}” không hợp lệ. Dùng một trong: {allowed}.")
MSG_XLSX_CORRECT_MISSING = gettext_noop("Chưa điền cột “Đáp án đúng”.")
MSG_XLSX_CORRECT_LETTER = gettext_noop(
    "Đáp án đúng “{value}” không khớp với phương án nào đã điền."
)
MSG_XLSX_SINGLE_ONE = gettext_noop(
    "Câu hỏi một lựa chọn chỉ có một đáp án đúng (đang ghi “{value}”)."
)
MSG_XLSX_TRUEFALSE = gettext_noop(
    "Đáp án câu hỏi Đúng/Sai phải là “Đúng” hoặc “Sai” (đang ghi “{value}”)."
)
MSG_XLSX_NUMBER = gettext_noop(
    "Đáp án số “{value}” không hợp lệ; viết dạng 1.5, 1.5:0.1 (sai số) hoặc 1..2 (khoảng)."
)
MSG_XLSX_MATCH = gettext_noop("Phương án ghép đôi “{value}” phải có dạng “vế trái -> vế phải”.")
MSG_XLSX_DIFFICULTY = gettext_noop("Mức độ “{value}” không hợp lệ; dùng Dễ, Trung bình hoặc Khó.")
MSG_XLSX_ARTICLE_NO_LAW = gettext_noop("Đã điền Điều/Khoản/Điểm nhưng chưa điền cột “Văn bản”.")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    # Undo the quote our exports put before text starting with = + - @ (formula neutralising).
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return clean(text)


def _header_key(value) -> str:
    return fold(_cell(value))


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int], dict[str, int]] | None:
    for index, row in enumerate(rows[:10]):
        keys = [_header_key(v) for v in row]
        if fold(COL_TEXT) not in keys:
            continue
        columns = {key: i for i, key in enumerate(keys) if key}
        options = {}
        for i, key in enumerate(keys):
            match = re.fullmatch(r"phuong an ([a-z])", key)
            if match:
                options[match.group(1).upper()] = i
        return index, columns, dict(sorted(options.items()))
    return None


def _sheet(workbook):
    if SHEET_QUESTIONS in workbook.sheetnames:
        return workbook[SHEET_QUESTIONS]
    for name in workbook.sheetnames:
        if name not in (SHEET_HELP, SHEET_EXAMPLES):
            return workbook[name]
    return workbook.worksheets[0]


def parse_xlsx(data: bytes, *, max_rows: int = 50_000) -> ParseResult:
    """Read the question sheet of an .xlsx workbook (row numbers in messages are Excel's)."""
    from openpyxl import load_workbook

    result = ParseResult()
    rows: list[tuple] = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for row in _sheet(workbook).iter_rows(values_only=True):
                rows.append(row)
                if len(rows) > max_rows + 10:
                    result.errors.append(
                        ParseError(None, None, _(MSG_XLSX_TOO_MANY_ROWS).format(limit=max_rows))
                    )
                    return result
        finally:
            workbook.close()
    except Exception:  # openpyxl raises many types for damaged or disguised files
        logger.info("Unreadable xlsx upload", exc_info=True)
        result.errors.append(ParseError(None, None, _(MSG_XLSX_UNREADABLE)))
        return result
    header = _find_header(rows)
    if header is None:
        result.errors.append(ParseError(None, None, _(MSG_XLSX_NO_HEADER)))
        return result
    header_index, columns, options = header
    number = 0
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        values = {key: _cell(row[i]) if i < len(row) else "" for key, i in columns.items()}
        if not any(values.values()):
            continue
        number += 1
        row_number = index + 1
        option_values = [
            (letter, _cell(row[i]) if i < len(row) else "") for letter, i in options.items()
        ]
        _read_row(result, values, option_values, row_number, number)
    return result


def _get(values: dict[str, str], header: str) -> str:
    return values.get(fold(header), "")


def _read_row(result, values, option_values, row_number, number) -> None:
    errors: list[str] = []
    text = _get(values, COL_TEXT)
    raw_type = _get(values, COL_TYPE)
    type_key = fold(raw_type)
    correct = _get(values, COL_CORRECT)
    name = _get(values, COL_NAME)
    if type_key in _UNSUPPORTED_TYPES:
        result.unsupported.append(
            UnsupportedQuestion(
                number=number,
                name=fit_name(name) if name else default_name(text),
                source_type=raw_type,
                line=row_number,
            )
        )
        return
    if not type_key:
        qtype = MULTIPLE if len(_letters(correct)) > 1 else SINGLE
    elif type_key in _TYPE_ALIASES:
        qtype = _TYPE_ALIASES[type_key]
    else:
        allowed = ", ".join(TYPE_LABELS.values())
        result.errors.append(
            ParseError(row_number, None, _(MSG_XLSX_TYPE).format(value=raw_type, allowed=allowed))
        )
        return
    text, text_format = resolve_text_format(text, "moodle")
    question = ParsedQuestion(
        qtype=qtype,
        name=fit_name(name) if name else default_name(text),
        text=text,
        text_format=text_format,
        explanation=_get(values, COL_EXPLANATION),
        category_path=tuple(
            part
            for part in (
                clean_line(p) for p in _get(values, COL_CATEGORY).split(CATEGORY_SEPARATOR)
            )
            if part
        ),
        line=row_number,
        number=number,
    )
    filled = [(letter, value) for letter, value in option_values if value]
    errors += _read_answers(question, filled, correct)
    difficulty = normalize_difficulty(_get(values, COL_DIFFICULTY))
    if difficulty is None:
        errors.append(_(MSG_XLSX_DIFFICULTY).format(value=_get(values, COL_DIFFICULTY)))
    else:
        question.difficulty = difficulty
    errors += _read_legal(question, values)
    if not errors:
        errors = validate_question(question)
    result.errors += [ParseError(row_number, None, message) for message in errors]
    result.questions.append(question)


def _letters(value: str) -> list[str]:
    return [part.strip().upper() for part in re.split(r"[,;\s]+", value) if part.strip()]


def _read_answers(
    question: ParsedQuestion, filled: list[tuple[str, str]], correct: str
) -> list[str]:
    qtype = question.qtype
    if qtype in (SINGLE, MULTIPLE):
        if not correct:
            return [_(MSG_XLSX_CORRECT_MISSING)]
        letters = _letters(correct)
        available = {letter for letter, _value in filled}
        if not letters or any(letter not in available for letter in letters):
            return [_(MSG_XLSX_CORRECT_LETTER).format(value=correct)]
        if qtype == SINGLE and len(letters) > 1:
            return [_(MSG_XLSX_SINGLE_ONE).format(value=correct)]
        share = (Decimal("1") / len(letters)).quantize(FRACTION_PLACES)
        for letter, value in filled:
            if qtype == SINGLE:
                fraction = Decimal("1") if letter in letters else Decimal("0")
            else:
                fraction = share if letter in letters else -share
            question.choices.append(ParsedChoice(text=value, fraction=fraction))
        if qtype == MULTIPLE:
            _fix_rounding(question.choices)
    elif qtype == TRUEFALSE:
        word = fold(correct)
        if word not in _TRUE_WORDS | _FALSE_WORDS:
            return [_(MSG_XLSX_TRUEFALSE).format(value=correct)]
        is_true = word in _TRUE_WORDS
        question.choices = [
            ParsedChoice(text=TRUE_TEXT, fraction=Decimal(1 if is_true else 0)),
            ParsedChoice(text=FALSE_TEXT, fraction=Decimal(0 if is_true else 1)),
        ]
    elif qtype == SHORTANSWER:
        answers = [clean_line(value) for _letter, value in filled]
        answers += [clean_line(a) for a in correct.split(";") if clean_line(a) and a not in answers]
        question.choices = [
            ParsedChoice(text=a, fraction=Decimal("1")) for a in dict.fromkeys(answers)
        ]
    elif qtype == NUMERICAL:
        if not correct:
            return [_(MSG_XLSX_CORRECT_MISSING)]
        try:
            value, tolerance = parse_numeric_answer(correct)
        except ValueError:
            return [_(MSG_XLSX_NUMBER).format(value=correct)]
        question.choices = [
            ParsedChoice(text=format_decimal(value), fraction=Decimal("1"), tolerance=tolerance)
        ]
    elif qtype == MATCHING:
        for _letter, value in filled:
            parts = _MATCH_ARROW.split(value, maxsplit=1)
            if len(parts) != 2:
                return [_(MSG_XLSX_MATCH).format(value=value)]
            question.pairs.append(ParsedPair(prompt=parts[0], answer=clean_line(parts[1])))
    elif qtype == ORDERING:
        question.choices = [ParsedChoice(text=value, fraction=Decimal("0")) for _l, value in filled]
    return []


def _fix_rounding(choices: list[ParsedChoice]) -> None:
    """1/3 + 1/3 + 1/3 must add up to exactly 100%: give the rounding rest to the last one."""
    positive = [c for c in choices if c.fraction > 0]
    if positive:
        rest = Decimal("1") - sum((c.fraction for c in positive), Decimal("0"))
        positive[-1].fraction += rest


def _read_legal(question: ParsedQuestion, values: dict[str, str]) -> list[str]:
    law = clean_line(_get(values, COL_LAW))
    articles = _letters(_get(values, COL_ARTICLE))
    clause = _get(values, COL_CLAUSE)
    point = _get(values, COL_POINT)
    if not law:
        return [_(MSG_XLSX_ARTICLE_NO_LAW)] if (articles or clause or point) else []
    builder = LegalTagBuilder()
    for article in articles or [""]:
        builder.add("law", law)
        if article:
            builder.add("article", article)
        if clause:
            builder.add("clause", clause)
        if point:
            builder.add("point", point)
    question.legal_tags = builder.finish()
    return builder.errors
