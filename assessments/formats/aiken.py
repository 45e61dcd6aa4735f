"""Aiken (``question/format/aiken/format.php``): single-choice questions only.

    Question text (one or more lines)
    A. First choice          (or "A) First choice")
    B. Second choice
    ANSWER: B

No feedback, no categories; questions may be separated by blank lines.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .common import clean, clean_line, default_name, validate_question
from .decoding import decode_text
from .types import PLAIN, SINGLE, ParsedChoice, ParsedQuestion, ParseError, ParseResult

MSG_OPTION_WITHOUT_QUESTION = gettext_noop("Phương án “{label}” không thuộc câu hỏi nào.")
MSG_OPTION_ORDER = gettext_noop(
    "Phương án “{label}” sai thứ tự; các phương án phải lần lượt là A, B, C…"
)
MSG_NO_OPTIONS = gettext_noop("Câu hỏi chưa có phương án (dạng “A. …” hoặc “A) …”).")
MSG_ANSWER_NOT_OPTION = gettext_noop("Đáp án “{answer}” không có trong các phương án.")
MSG_ANSWER_MISSING = gettext_noop("Câu hỏi thiếu dòng “ANSWER: …” sau các phương án.")
MSG_ANSWER_WITHOUT_QUESTION = gettext_noop("Dòng “ANSWER:” không thuộc câu hỏi nào.")
MSG_TEXT_AFTER_OPTIONS = gettext_noop(
    "Dòng này nằm giữa các phương án và dòng ANSWER; mỗi phương án phải trên một dòng."
)

_OPTION_RE = re.compile(r"^([A-Z])[.)][ \t]+(.*)$")
_ANSWER_RE = re.compile(r"^ANSWER\s*:\s*(.*)$", re.I)


def parse_aiken(data: bytes | str) -> ParseResult:
    text = decode_text(data) if isinstance(data, bytes) else data
    result = ParseResult()
    number = 0
    question_lines: list[str] = []
    start_line: int | None = None
    options: list[tuple[str, str]] = []

    def reset() -> None:
        nonlocal question_lines, start_line, options
        question_lines, start_line, options = [], None, []

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for line_number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        option = _OPTION_RE.match(line)
        answer = _ANSWER_RE.match(line)
        if answer:
            if start_line is None:
                result.errors.append(ParseError(line_number, None, _(MSG_ANSWER_WITHOUT_QUESTION)))
                continue
            number += 1
            _finish(result, number, start_line, question_lines, options, answer.group(1))
            reset()
        elif option:
            label = option.group(1)
            if start_line is None:
                result.errors.append(
                    ParseError(
                        line_number, None, _(MSG_OPTION_WITHOUT_QUESTION).format(label=label)
                    )
                )
                continue
            expected = chr(ord("A") + len(options))
            if label != expected:
                result.errors.append(
                    ParseError(line_number, number + 1, _(MSG_OPTION_ORDER).format(label=label))
                )
            options.append((label, option.group(2)))
        elif options:
            # Text after options and before ANSWER: either a missing ANSWER line or a broken option.
            result.errors.append(ParseError(start_line, number + 1, _(MSG_ANSWER_MISSING)))
            number += 1
            reset()
            question_lines, start_line = [line], line_number
        else:
            if start_line is None:
                start_line = line_number
            question_lines.append(line)
    if start_line is not None:
        result.errors.append(ParseError(start_line, number + 1, _(MSG_ANSWER_MISSING)))
    return result


def _finish(result, number, start_line, question_lines, options, answer_text) -> None:
    if not options:
        result.errors.append(ParseError(start_line, number, _(MSG_NO_OPTIONS)))
        return
    letter = clean_line(answer_text)[:1].upper()
    labels = [label for label, _text in options]
    if letter not in labels:
        result.errors.append(
            ParseError(start_line, number, _(MSG_ANSWER_NOT_OPTION).format(answer=answer_text))
        )
        return
    text = clean("\n".join(question_lines))
    question = ParsedQuestion(
        qtype=SINGLE,
        name=default_name(text),
        text=text,
        text_format=PLAIN,
        choices=[
            ParsedChoice(text=clean_line(choice), fraction=Decimal("1" if label == letter else "0"))
            for label, choice in options
        ],
        line=start_line,
        number=number,
    )
    result.errors += [ParseError(start_line, number, m) for m in validate_question(question)]
    result.questions.append(question)
