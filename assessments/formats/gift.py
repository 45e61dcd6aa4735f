"""GIFT, as Moodle reads and writes it (``question/format/gift/format.php``).

Questions are separated by blank lines; ``//`` starts a comment line; ``::title::`` names a
question; ``[html]``/``[plain]``/``[markdown]``/``[moodle]`` sets the text format; answers go in
``{…}`` (anywhere in the text: a missing-word question gets a "_____" blank); ``\\~ \\= \\# \\{ \\}
\\: \\n \\\\`` are escapes. Types are told apart the way Moodle does: ``{}`` essay, ``{#…}``
numerical, any ``~`` multiple choice (single when some answer starts with ``=``), ``=`` with
``->`` matching, ``T``/``TRUE``/``F``/``FALSE`` true/false, anything else short answer; text
without braces is a description.

Our additions, in comments so Moodle still reads the file: a ``// tags: law=… article=…
clause=… point=… difficulty=… idnumber=…`` line (references separated by ";") and
``// explanation: …`` lines, both in the question's own paragraph.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .common import (
    clean,
    clean_line,
    default_name,
    duplicate_idnumber_errors,
    fit_name,
    parse_tag_line,
    resolve_text_format,
    split_category_path,
    validate_question,
)
from .types import (
    FALSE_TEXT,
    HTML,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    NUMERICAL_ANY,
    PLAIN,
    SHORTANSWER,
    SINGLE,
    TOLERANCE_PLACES,
    TRUE_TEXT,
    TRUEFALSE,
    ParsedChoice,
    ParsedPair,
    ParsedQuestion,
    ParseError,
    ParseResult,
    UnsupportedQuestion,
    format_decimal,
    percent_to_fraction,
    to_decimal,
)

MSG_NAME_UNCLOSED = gettext_noop("Tiêu đề bắt đầu bằng “::” nhưng thiếu “::” đóng.")
MSG_BRACE_MISSING_CLOSE = gettext_noop("Thiếu dấu “}” đóng phần đáp án.")
MSG_BRACE_MISSING_OPEN = gettext_noop("Có dấu “}” nhưng thiếu dấu “{” mở phần đáp án.")
MSG_BRACE_NESTED = gettext_noop(
    "Có dấu “{” thứ hai bên trong phần đáp án; nếu là ký tự thường hãy viết “\\{”."
)
MSG_BRACE_EXTRA = gettext_noop(
    "Có nhiều hơn một phần đáp án {…} trong cùng đoạn: có thể thiếu dòng trống giữa hai câu hỏi "
    "(nếu là ký tự thường hãy viết “\\{” và “\\}”)."
)
MSG_MIN_ANSWERS = gettext_noop("Câu hỏi cần ít nhất {count} đáp án.")
MSG_BAD_WEIGHT = gettext_noop("Trọng số “{value}” không hợp lệ; viết dạng %50% hoặc %-100%.")
MSG_MATCH_FORMAT = gettext_noop("Mỗi cặp ghép đôi phải có dạng “=vế trái -> vế phải” (“{value}”).")
MSG_NUMERICAL_EMPTY = gettext_noop("Câu hỏi dạng số chưa có đáp án.")
MSG_NUMERICAL_BAD = gettext_noop(
    "Đáp án số “{value}” không hợp lệ; viết dạng 1.5, 1.5:0.1 (sai số) hoặc 1..2 (khoảng)."
)
MSG_TAGS_DETACHED = gettext_noop(
    "Dòng “// tags:” hoặc “// explanation:” phải nằm ngay trên câu hỏi, không cách dòng trống."
)
MSG_CATEGORY_EMPTY = gettext_noop("Dòng $CATEGORY: chưa có tên danh mục.")

UNSUPPORTED_DESCRIPTION = "description"
UNSUPPORTED_ESSAY = "essay"

_CODES = {":": "\ue001", "#": "\ue002", "=": "\ue003", "{": "\ue004", "}": "\ue005", "~": "\ue006"}
_CODES |= {"n": "\ue007", "\\": "\ue008"}
_MARK = "\ue000"
_ESCAPE_RE = re.compile(r"\\([\\:#=\{\}~n])")
_RESTORE = {_MARK + code: ("\n" if char == "n" else char) for char, code in _CODES.items()}
_RESTORE_RE = re.compile("|".join(re.escape(key) for key in _RESTORE))
_FORMAT_RE = re.compile(r"^\[(html|plain|markdown|moodle)\]", re.I)
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_BAD_WEIGHT_RE = re.compile(r"^%([^%\s]*)%")
_META_RE = re.compile(r"^//\s*(tags?|explanation)\s*:(.*)$", re.I)
_TRUEFALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _protect(text: str) -> str:
    """Replace each escape by two private-use characters: same length, so offsets keep lines."""
    text = text.replace(_MARK, "")
    return _ESCAPE_RE.sub(lambda m: _MARK + _CODES[m.group(1)], text)


def _restore(text: str) -> str:
    return _RESTORE_RE.sub(lambda m: _RESTORE[m.group(0)], text)


def _split_format(text: str, default: str) -> tuple[str, str]:
    """ "[html]<b>x</b>" -> ("html", "<b>x</b>"); the format marker is optional."""
    text = text.strip()
    match = _FORMAT_RE.match(text)
    if match:
        return match.group(1).lower(), text[match.end() :].strip()
    return default, text


def _answer_text(raw: str, default: str) -> str:
    return clean(_restore(_split_format(raw, default)[1]))


def _split_feedback(raw: str, default: str) -> tuple[str, str]:
    answer, _sep, feedback = raw.partition("#")
    return _answer_text(answer, default), _answer_text(feedback, default)


class _QuestionError(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def _weight(answer: str, default: Decimal) -> tuple[Decimal, str]:
    match = _WEIGHT_RE.match(answer)
    if match:
        return percent_to_fraction(match.group(1)), answer[match.end() :]
    bad = _BAD_WEIGHT_RE.match(answer)
    if bad:
        raise _QuestionError(_(MSG_BAD_WEIGHT).format(value=bad.group(0)))
    return default, answer


def _pieces(answertext: str, separator: str) -> list[str]:
    parts = answertext.split(separator)
    if parts and not parts[0].strip():
        parts = parts[1:]
    return [part.strip() for part in parts]


def _multichoice(question: ParsedQuestion, answertext: str, fmt: str) -> None:
    question.qtype = SINGLE if "=" in answertext else MULTIPLE
    answers = _pieces(answertext.replace("=", "~="), "~")
    if len(answers) < 2:
        raise _QuestionError(_(MSG_MIN_ANSWERS).format(count=2))
    for answer in answers:
        if answer.startswith("="):
            # Moodle reads "=" as 100%; "=%50%" (not Moodle) keeps the written weight.
            weight, answer = _weight(answer[1:], Decimal("1"))
        else:
            weight, answer = _weight(answer, Decimal("0"))
        text, feedback = _split_feedback(answer, fmt)
        question.choices.append(ParsedChoice(text=text, fraction=weight, feedback=feedback))


def _truefalse(question: ParsedQuestion, answertext: str, fmt: str) -> None:
    bits = (answertext.split("#", 2) + ["", ""])[:3]
    correct = _TRUEFALSE[bits[0].strip()]
    wrong_feedback = _answer_text(bits[1], fmt)
    right_feedback = _answer_text(bits[2], fmt)
    question.qtype = TRUEFALSE
    question.choices = [
        ParsedChoice(
            text=TRUE_TEXT,
            fraction=Decimal("1") if correct else Decimal("0"),
            feedback=right_feedback if correct else wrong_feedback,
        ),
        ParsedChoice(
            text=FALSE_TEXT,
            fraction=Decimal("0") if correct else Decimal("1"),
            feedback=wrong_feedback if correct else right_feedback,
        ),
    ]


def _shortanswer(question: ParsedQuestion, answertext: str, fmt: str) -> None:
    question.qtype = SHORTANSWER
    answers = _pieces(answertext, "=")
    if not answers:
        raise _QuestionError(_(MSG_MIN_ANSWERS).format(count=1))
    for answer in answers:
        weight, answer = _weight(answer, Decimal("1"))
        text, feedback = _split_feedback(answer, fmt)
        question.choices.append(
            ParsedChoice(text=clean_line(text), fraction=weight, feedback=feedback)
        )


def _matching(question: ParsedQuestion, answertext: str, fmt: str) -> None:
    question.qtype = MATCHING
    answers = _pieces(answertext, "=")
    if len(answers) < 2:
        raise _QuestionError(_(MSG_MIN_ANSWERS).format(count=2))
    for answer in answers:
        prompt, arrow, right = answer.partition("->")
        if not arrow:
            raise _QuestionError(_(MSG_MATCH_FORMAT).format(value=_restore(answer)))
        question.pairs.append(
            ParsedPair(prompt=_answer_text(prompt, fmt), answer=clean_line(_restore(right)))
        )


def parse_numeric_answer(text: str) -> tuple[Decimal, Decimal]:
    """ "1.5:0.1" -> (1.5, 0.1); "1..2" -> (1.5, 0.5); "3" -> (3, 0). Raises ValueError."""
    text = text.strip()
    if text.find("..") > 0:
        low, high = (to_decimal(v, TOLERANCE_PLACES) for v in text.split("..", 1))
        if high < low:
            raise ValueError(text)
        middle = (low + high) / 2
        return middle.quantize(TOLERANCE_PLACES), (high - middle).quantize(TOLERANCE_PLACES)
    if text.find(":") > 0:
        value, tolerance = text.split(":", 1)
        tolerance_value = to_decimal(tolerance, TOLERANCE_PLACES)
        if tolerance_value < 0:
            raise ValueError(text)
        return to_decimal(value, TOLERANCE_PLACES), tolerance_value
    return to_decimal(text, TOLERANCE_PLACES), Decimal("0").quantize(TOLERANCE_PLACES)


def _numerical(question: ParsedQuestion, answertext: str, fmt: str) -> None:
    question.qtype = NUMERICAL
    answertext = answertext[1:]
    wrong = ""
    position = answertext.find("~")
    if position >= 0:
        answertext, wrong = answertext[:position], answertext[position:]
    answers = _pieces(answertext, "=")
    if not answers or not answers[0]:
        raise _QuestionError(_(MSG_NUMERICAL_EMPTY))
    for answer in answers:
        weight, answer = _weight(answer, Decimal("1"))
        value, feedback = _split_feedback(answer, fmt)
        try:
            number, tolerance = parse_numeric_answer(value)
        except ValueError as exc:
            raise _QuestionError(_(MSG_NUMERICAL_BAD).format(value=value)) from exc
        question.choices.append(
            ParsedChoice(
                text=format_decimal(number), fraction=weight, feedback=feedback, tolerance=tolerance
            )
        )
    if wrong:
        _unused, feedback = _split_feedback(wrong[1:], fmt)
        question.choices.append(
            ParsedChoice(text=NUMERICAL_ANY, fraction=Decimal("0"), feedback=feedback)
        )


class _Block:
    def __init__(self, lines: list[tuple[int, str]]):
        self.comments = [(n, line) for n, line in lines if line.startswith("//")]
        self.lines = [(n, line) for n, line in lines if not line.startswith("//")]
        self.text = "\n".join(line for _n, line in self.lines)
        self.first_line = self.lines[0][0] if self.lines else lines[0][0]

    def line_at(self, offset: int) -> int:
        return self.lines[min(self.text.count("\n", 0, max(offset, 0)), len(self.lines) - 1)][0]


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if line:
            current.append((number, line))
        elif current:
            blocks.append(_Block(current))
            current = []
    if current:
        blocks.append(_Block(current))
    return blocks


def _unescape_comment(value: str) -> str:
    return re.sub(r"\\([\\n])", lambda m: "\n" if m.group(1) == "n" else "\\", value)


def _read_meta(block: _Block, question: ParsedQuestion) -> list[ParseError]:
    errors = []
    explanation: list[str] = []
    for line_number, comment in block.comments:
        match = _META_RE.match(comment)
        if not match:
            continue
        kind, value = match.group(1).lower(), match.group(2)
        if kind == "explanation":
            explanation.append(_unescape_comment(value.strip()))
            continue
        meta, problems = parse_tag_line(value)
        errors += [ParseError(line_number, question.number, p) for p in problems]
        question.legal_tags += [t for t in meta["legal_tags"] if t not in question.legal_tags]
        question.difficulty = meta.get("difficulty", question.difficulty)
        question.idnumber = meta.get("idnumber", question.idnumber)
    if explanation:
        question.explanation = clean("\n".join(explanation))
    return errors


def parse_gift(data: bytes | str) -> ParseResult:
    """Parse a GIFT file. Nothing is kept when ``result.errors`` is not empty."""
    from .decoding import decode_text

    text = decode_text(data) if isinstance(data, bytes) else data
    result = ParseResult()
    category: tuple[str, ...] = ()
    number = 0
    for block in _blocks(text.replace("\r\n", "\n").replace("\r", "\n")):
        if not block.lines:
            if any(_META_RE.match(line) for _n, line in block.comments):
                result.errors.append(ParseError(block.first_line, None, _(MSG_TAGS_DETACHED)))
            continue
        protected = _protect(block.text)
        if protected.startswith("$CATEGORY:"):
            category = split_category_path(_restore(protected[len("$CATEGORY:") :]).strip())
            if not category and protected[len("$CATEGORY:") :].strip() == "":
                result.errors.append(ParseError(block.first_line, None, _(MSG_CATEGORY_EMPTY)))
            continue
        number += 1
        question = ParsedQuestion(
            qtype="", name="", text="", category_path=category, line=block.first_line, number=number
        )
        try:
            _parse_question(block, protected, question, result)
        except _QuestionError as error:
            result.errors.append(ParseError(error.line or block.first_line, number, error.message))
            continue
        if not question.qtype:  # unsupported: already listed
            continue
        result.errors += _read_meta(block, question)
        result.errors += [
            ParseError(question.line, number, message) for message in validate_question(question)
        ]
        result.questions.append(question)
    result.errors += [
        ParseError(q.line, q.number, message)
        for q, message in duplicate_idnumber_errors(result.questions)
    ]
    return result


def _parse_question(
    block: _Block, protected: str, question: ParsedQuestion, result: ParseResult
) -> None:
    offset = 0
    name = None
    if protected.startswith("::"):
        end = protected.find("::", 2)
        if end < 0:
            raise _QuestionError(_(MSG_NAME_UNCLOSED))
        name = clean_line(_restore(protected[2:end]))
        offset = end + 2
    body = protected[offset:]
    start, finish = body.find("{"), body.find("}")
    if start < 0 and finish < 0:
        _unsupported(question, name, body, UNSUPPORTED_DESCRIPTION, result)
        return
    if start < 0:
        raise _QuestionError(_(MSG_BRACE_MISSING_OPEN), block.line_at(offset + finish))
    if finish < 0:
        raise _QuestionError(_(MSG_BRACE_MISSING_CLOSE), block.line_at(offset + start))
    if finish < start:
        raise _QuestionError(_(MSG_BRACE_MISSING_OPEN), block.line_at(offset + finish))
    nested = body.find("{", start + 1, finish)
    if nested >= 0:
        raise _QuestionError(_(MSG_BRACE_NESTED), block.line_at(offset + nested))
    tail = body[finish + 1 :]
    extra = min((i for i in (tail.find("{"), tail.find("}")) if i >= 0), default=-1)
    if extra >= 0:
        raise _QuestionError(_(MSG_BRACE_EXTRA), block.line_at(offset + finish + 1 + extra))
    answertext = body[start + 1 : finish].strip()
    # Missing-word format: answers inside the sentence stand for a blank.
    missing_word = not body.rstrip().endswith("}")
    questiontext = body[:start] + ("_____" + tail if missing_word else "")
    general = ""
    separator = answertext.rfind("####")
    if separator >= 0:
        general = answertext[separator + 4 :]
        answertext = answertext[:separator].strip()
    fmt, questiontext = _split_format(questiontext, "moodle")
    question.text, question.text_format = resolve_text_format(clean(_restore(questiontext)), fmt)
    general_fmt, general = _split_format(general, fmt)
    general = clean(_restore(general))
    if general:
        general, general_format = resolve_text_format(general, general_fmt)
        if general_format == PLAIN and question.text_format == HTML:
            general = general.replace("\n", "<br>\n")
    question.general_feedback = general
    question.name = fit_name(name) if name else default_name(question.text)
    if not answertext:
        _unsupported(question, name, question.text, UNSUPPORTED_ESSAY, result)
    elif answertext.startswith("#"):
        _numerical(question, answertext, fmt)
    elif "~" in answertext:
        _multichoice(question, answertext, fmt)
    elif "=" in answertext and "->" in answertext:
        _matching(question, answertext, fmt)
    elif answertext.split("#", 1)[0].strip() in _TRUEFALSE:
        _truefalse(question, answertext, fmt)
    else:
        _shortanswer(question, answertext, fmt)


def _unsupported(question, name, text, source_type, result) -> None:
    question.qtype = ""
    title = name or default_name(clean(_restore(text)))
    result.unsupported.append(
        UnsupportedQuestion(
            number=question.number, name=title, source_type=source_type, line=question.line
        )
    )
