"""Write GIFT the way Moodle's exporter does (``qformat_gift::writequestion``), plus our
``// tags:`` and ``// explanation:`` comment lines so a re-import keeps the metadata."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .common import assemble_category_path, format_tag_line
from .types import (
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    NUMERICAL_ANY,
    SHORTANSWER,
    SINGLE,
    TRUEFALSE,
    FormatError,
    ParsedChoice,
    ParsedQuestion,
    format_decimal,
    fraction_to_percent,
)

GIFT_TYPES = (SINGLE, MULTIPLE, TRUEFALSE, SHORTANSWER, MATCHING, NUMERICAL)
MSG_CANNOT_WRITE = gettext_noop(
    "Câu hỏi “{name}” (loại {qtype}) không ghi được ở định dạng GIFT; hãy dùng Moodle XML."
)


def _writable(question: ParsedQuestion) -> bool:
    # GIFT has no escape for "->", so a matching prompt containing it cannot be read back.
    return question.qtype in GIFT_TYPES and not any("->" in p.prompt for p in question.pairs)


def escape(text: str) -> str:
    for char in ("\\", "#", "=", "~", "{", "}", ":"):
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _with_format(text: str, text_format: str) -> str:
    return f"[{text_format}]" + escape(text)


def _choice_line(prefix: str, choice: ParsedChoice) -> str:
    line = "\t" + prefix + escape(choice.text)
    if choice.feedback:
        line += "#" + escape(choice.feedback)
    return line


def _answers(question: ParsedQuestion) -> list[str]:
    qtype = question.qtype
    lines: list[str] = []
    if qtype in (SINGLE, MULTIPLE):
        for choice in question.choices:
            if choice.fraction == 1 and qtype == SINGLE:
                prefix = "="
            elif choice.fraction == 0:
                prefix = "~"
            else:
                prefix = f"~%{fraction_to_percent(choice.fraction)}%"
            lines.append(_choice_line(prefix, choice))
    elif qtype == SHORTANSWER:
        for choice in question.choices:
            lines.append(_choice_line(f"=%{fraction_to_percent(choice.fraction)}%", choice))
    elif qtype == NUMERICAL:
        for choice in question.choices:
            if choice.text == NUMERICAL_ANY:
                lines.append("\t~#" + escape(choice.feedback))
                continue
            value = choice.text
            if choice.tolerance:
                value += ":" + format_decimal(choice.tolerance)
            line = f"\t=%{fraction_to_percent(choice.fraction)}%{value}"
            if choice.feedback:
                line += "#" + escape(choice.feedback)
            lines.append(line)
    elif qtype == MATCHING:
        for pair in question.pairs:
            lines.append(f"\t={escape(pair.prompt)} -> {escape(pair.answer)}")
    return lines


def _truefalse_answer(question: ParsedQuestion) -> str:
    true_choice, false_choice = question.choices[0], question.choices[1]
    correct = true_choice.fraction > 0
    right, wrong = (true_choice, false_choice) if correct else (false_choice, true_choice)
    text = "TRUE" if correct else "FALSE"
    if wrong.feedback or right.feedback:
        text += "#" + escape(wrong.feedback)
    if right.feedback:
        text += "#" + escape(right.feedback)
    return text


def write_gift(questions: list[ParsedQuestion], *, skip_unsupported: bool = False) -> str:
    """GIFT text for these questions (ordering questions cannot be written in GIFT)."""
    cannot = [q for q in questions if not _writable(q)]
    if cannot and not skip_unsupported:
        raise FormatError([_(MSG_CANNOT_WRITE).format(name=q.name, qtype=q.qtype) for q in cannot])
    out: list[str] = []
    category: tuple[str, ...] | None = None
    for question in questions:
        if not _writable(question):
            continue
        if question.category_path != category:
            category = question.category_path
            out += [f"$CATEGORY: {assemble_category_path(category)}", ""]
        tag_line = format_tag_line(question)
        if tag_line:
            out.append(f"// tags: {tag_line}")
        if question.explanation:
            explanation = question.explanation.replace("\\", "\\\\").replace("\n", "\\n")
            out.append(f"// explanation: {explanation}")
        head = f"::{escape(question.name)}::{_with_format(question.text, question.text_format)}"
        general = ""
        if question.general_feedback:
            general = "####" + escape(question.general_feedback)
        if question.qtype == TRUEFALSE:
            out.append(head + "{" + _truefalse_answer(question) + general + "}")
        else:
            out.append(head + ("{#" if question.qtype == NUMERICAL else "{"))
            out += _answers(question)
            if general:
                out.append("\t" + general)
            out.append("}")
        out.append("")
    return "\n".join(out)
