"""Moodle XML (``question/format/xml/format.php``): read and write.

Read: ``<quiz>`` with ``<question type="category">`` paths (``$course$/top/A/B``), multichoice
(``single``, ``shuffleanswers``, ``answernumbering``), truefalse, shortanswer (``usecase``),
matching (``subquestion``), numerical (``tolerance``, several answers), ordering; ``name``,
``questiontext``/``generalfeedback`` with a ``format`` and CDATA text, ``defaultgrade``,
``penalty``, ``idnumber``, ``tags``. Our metadata travels as Moodle tags (``law:10/2022/QH15``,
``article:11``, ``clause:2``, ``point:a``, ``difficulty:easy``) and, for fields Moodle has no
place for, as extra elements Moodle ignores on import (``explanation``, ``ignoreaccents``).

DOCTYPE and entity declarations are refused (defusedxml) so a file cannot expand into gigabytes
or read local files.
"""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree.ElementTree import Element
from xml.etree.ElementTree import ParseError as XMLSyntaxError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .common import (
    LegalTagBuilder,
    clean,
    clean_line,
    default_name,
    duplicate_idnumber_errors,
    fit_name,
    normalize_difficulty,
    resolve_text_format,
    split_category_path,
    validate_question,
)
from .types import (
    FALSE_TEXT,
    HTML,
    MARK_PLACES,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    NUMERICAL_ANY,
    ORDERING,
    PENALTY_PLACES,
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

MSG_XML_UNSAFE = gettext_noop(
    "Tệp XML có khai báo DOCTYPE hoặc ENTITY; vì lý do an toàn hệ thống không đọc loại tệp này."
)
MSG_XML_SYNTAX = gettext_noop("Tệp không phải XML hợp lệ (dòng {line}, cột {column}).")
MSG_XML_ROOT = gettext_noop("Tệp Moodle XML phải bắt đầu bằng thẻ <quiz> (đang là <{tag}>).")
MSG_XML_NO_TYPE = gettext_noop("Thẻ <question> thiếu thuộc tính type.")
MSG_XML_NUMBER = gettext_noop("Giá trị “{value}” của <{tag}> không phải là số.")
MSG_XML_FRACTION = gettext_noop("Trọng số fraction=“{value}” của một đáp án không phải là số.")
MSG_XML_SUBQUESTION = gettext_noop("Một <subquestion> thiếu <answer>.")
MSG_XML_TRUEFALSE = gettext_noop("Câu hỏi Đúng/Sai phải có hai đáp án “true” và “false”.")
MSG_XML_NO_TEXT = gettext_noop("Câu hỏi thiếu <questiontext>.")
WARN_FILES = gettext_noop(
    "Câu hỏi số {number} “{name}” có tệp nhúng (hình ảnh…); tệp nhúng chưa được hỗ trợ và đã bị bỏ qua."
)
WARN_UNITS = gettext_noop(
    "Câu hỏi số {number} “{name}” có đơn vị đo; đơn vị chưa được hỗ trợ và đã bị bỏ qua."
)
WARN_TAG = gettext_noop("Câu hỏi số {number} “{name}”: thẻ “{tag}” không được lưu.")
WARN_TRUEFALSE_ORDER = gettext_noop(
    "Câu hỏi số {number} “{name}”: đáp án Đúng/Sai không ghi “true”/“false”, "
    "đã hiểu theo thứ tự (đáp án đầu là “Đúng”)."
)

_FORMATS = {
    "html": HTML,
    "plain_text": PLAIN,
    "markdown": "markdown",
    "moodle_auto_format": "moodle",
}
_SUPPORTED = {"multichoice", "truefalse", "shortanswer", "matching", "numerical", "ordering"}
_TRUE_WORDS = {"true", "đúng", "dung"}
_FALSE_WORDS = {"false", "sai"}
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _QuestionError(Exception):
    pass


def _child_text(element: Element | None, path: str = "text") -> str:
    if element is None:
        return ""
    node = element.find(path)
    return node.text or "" if node is not None else ""


def _number(element: Element, tag: str, places: Decimal, default: Decimal) -> Decimal:
    node = element.find(tag)
    if node is None or not (node.text or "").strip():
        return default
    try:
        return to_decimal(node.text, places)
    except ValueError as exc:
        raise _QuestionError(_(MSG_XML_NUMBER).format(value=node.text.strip(), tag=tag)) from exc


def _flag(element: Element, tag: str, default: bool) -> bool:
    node = element.find(tag)
    if node is None:
        return default
    return (node.text or "").strip().lower() in ("1", "true", "yes")


def _formatted(element: Element | None) -> tuple[str, str]:
    """(text, format) of a Moodle text element; the format is one of ours or markdown/moodle."""
    if element is None:
        return "", HTML
    source = _FORMATS.get(element.get("format", "html"), "moodle")
    return clean(_child_text(element)), source


def _fraction(answer: Element) -> Decimal:
    raw = answer.get("fraction", "0")
    try:
        return percent_to_fraction(raw)
    except ValueError as exc:
        raise _QuestionError(_(MSG_XML_FRACTION).format(value=raw)) from exc


def _feedback(answer: Element) -> str:
    return clean(_child_text(answer.find("feedback")))


def parse_moodle_xml(data: bytes | str) -> ParseResult:
    """Parse a Moodle XML file. Nothing is kept when ``result.errors`` is not empty."""
    result = ParseResult()
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        result.errors.append(ParseError(None, None, _(MSG_XML_UNSAFE)))
        return result
    except XMLSyntaxError as exc:
        line, column = getattr(exc, "position", (None, None))
        result.errors.append(
            ParseError(line, None, _(MSG_XML_SYNTAX).format(line=line, column=column))
        )
        return result
    if root.tag != "quiz":
        result.errors.append(ParseError(None, None, _(MSG_XML_ROOT).format(tag=root.tag)))
        return result
    category: tuple[str, ...] = ()
    number = 0
    for element in root.findall("question"):
        qtype = (element.get("type") or "").strip()
        if qtype == "category":
            category = split_category_path(clean_line(_child_text(element.find("category"))))
            continue
        number += 1
        if not qtype:
            result.errors.append(ParseError(None, number, _(MSG_XML_NO_TYPE)))
            continue
        name = clean_line(_child_text(element.find("name")))
        if qtype not in _SUPPORTED:
            text = clean(_child_text(element.find("questiontext")))
            result.unsupported.append(
                UnsupportedQuestion(
                    number=number, name=name or default_name(text), source_type=qtype
                )
            )
            continue
        question = ParsedQuestion(
            qtype="", name=name, text="", category_path=category, number=number
        )
        try:
            _read_question(element, qtype, question, result)
        except _QuestionError as error:
            result.errors.append(ParseError(None, number, str(error)))
            continue
        result.errors += [
            ParseError(None, number, message) for message in validate_question(question)
        ]
        result.questions.append(question)
    result.errors += [
        ParseError(None, q.number, message)
        for q, message in duplicate_idnumber_errors(result.questions)
    ]
    return result


def _read_question(element: Element, qtype: str, question: ParsedQuestion, result) -> None:
    text_element = element.find("questiontext")
    if text_element is None:
        raise _QuestionError(_(MSG_XML_NO_TEXT))
    raw_text, source_format = _formatted(text_element)
    question.text, question.text_format = resolve_text_format(raw_text, source_format)
    question.name = fit_name(question.name) if question.name else default_name(question.text)
    general, general_format = _formatted(element.find("generalfeedback"))
    question.general_feedback = resolve_text_format(general, general_format)[0] if general else ""
    explanation, explanation_format = _formatted(element.find("explanation"))
    question.explanation = (
        resolve_text_format(explanation, explanation_format)[0] if explanation else ""
    )
    question.default_mark = _number(element, "defaultgrade", MARK_PLACES, Decimal("1"))
    question.penalty = _number(element, "penalty", PENALTY_PLACES, Decimal("0"))
    node = element.find("idnumber")
    question.idnumber = clean_line(node.text or "") if node is not None else ""
    if element.findall(".//file"):
        result.warnings.append(_(WARN_FILES).format(number=question.number, name=question.name))
    _read_tags(element, question, result)

    answers = element.findall("answer")
    if qtype == "multichoice":
        question.qtype = SINGLE if _flag(element, "single", True) else MULTIPLE
        question.shuffle = _flag(element, "shuffleanswers", True)
        question.choices = [
            ParsedChoice(text=clean(_child_text(a)), fraction=_fraction(a), feedback=_feedback(a))
            for a in answers
        ]
    elif qtype == "truefalse":
        _read_truefalse(answers, question, result)
    elif qtype == "shortanswer":
        question.qtype = SHORTANSWER
        question.case_sensitive = _flag(element, "usecase", False)
        question.ignore_accents = _flag(element, "ignoreaccents", False)
        question.choices = [
            ParsedChoice(
                text=clean_line(_child_text(a)), fraction=_fraction(a), feedback=_feedback(a)
            )
            for a in answers
        ]
    elif qtype == "numerical":
        question.qtype = NUMERICAL
        question.choices = [_numerical_choice(a) for a in answers]
        units = [u for u in element.findall("units/unit") if _child_text(u, "unit_name").strip()]
        if units:
            result.warnings.append(_(WARN_UNITS).format(number=question.number, name=question.name))
    elif qtype == "matching":
        question.qtype = MATCHING
        question.shuffle = _flag(element, "shuffleanswers", True)
        for sub in element.findall("subquestion"):
            answer = sub.find("answer")
            if answer is None:
                raise _QuestionError(_(MSG_XML_SUBQUESTION))
            prompt, prompt_format = _formatted(sub)
            prompt = resolve_text_format(prompt, prompt_format)[0] if prompt else ""
            question.pairs.append(ParsedPair(prompt=prompt, answer=clean_line(_child_text(answer))))
    elif qtype == "ordering":
        question.qtype = ORDERING
        _read_ordering(answers, question)


def _numerical_choice(answer: Element) -> ParsedChoice:
    raw = clean_line(_child_text(answer))
    fraction = _fraction(answer)
    if raw in ("*", ""):
        return ParsedChoice(text=NUMERICAL_ANY, fraction=fraction, feedback=_feedback(answer))
    try:
        value = to_decimal(raw, TOLERANCE_PLACES)
    except ValueError as exc:
        raise _QuestionError(_(MSG_XML_NUMBER).format(value=raw, tag="answer")) from exc
    tolerance = _number(answer, "tolerance", TOLERANCE_PLACES, Decimal("0"))
    return ParsedChoice(
        text=format_decimal(value),
        fraction=fraction,
        feedback=_feedback(answer),
        tolerance=abs(tolerance),
    )


def _read_truefalse(answers: list[Element], question: ParsedQuestion, result) -> None:
    if len(answers) != 2:
        raise _QuestionError(_(MSG_XML_TRUEFALSE))
    true_answer = false_answer = None
    for answer in answers:
        word = clean_line(_child_text(answer)).lower()
        if word in _TRUE_WORDS:
            true_answer = answer
        elif word in _FALSE_WORDS:
            false_answer = answer
    if true_answer is None or false_answer is None or true_answer is false_answer:
        # Old Moodle files: the order is true, false.
        true_answer, false_answer = answers
        result.warnings.append(
            _(WARN_TRUEFALSE_ORDER).format(number=question.number, name=question.name)
        )
    question.qtype = TRUEFALSE
    correct = _fraction(true_answer) >= 1
    question.choices = [
        ParsedChoice(
            text=TRUE_TEXT,
            fraction=Decimal("1") if correct else Decimal("0"),
            feedback=_feedback(true_answer),
        ),
        ParsedChoice(
            text=FALSE_TEXT,
            fraction=Decimal("0") if correct else Decimal("1"),
            feedback=_feedback(false_answer),
        ),
    ]


def _read_ordering(answers: list[Element], question: ParsedQuestion) -> None:
    """qtype_ordering keeps each item's correct position in ``fraction`` (1, 2, 3 …).

    Our ordering choices are simply stored in the correct order; their fraction is unused (0).
    """
    items = []
    for index, answer in enumerate(answers):
        raw = answer.get("fraction", "")
        try:
            position = Decimal(raw.strip())
        except ArithmeticError:
            position = Decimal(index + 1)
        items.append((position, index, clean(_child_text(answer)), _feedback(answer)))
    items.sort()
    question.choices = [
        ParsedChoice(text=text, fraction=Decimal("0"), feedback=feedback)
        for _position, _index, text, feedback in items
    ]


def _read_tags(element: Element, question: ParsedQuestion, result: ParseResult) -> None:
    builder = LegalTagBuilder()
    for node in element.findall("tags/tag"):
        tag = clean_line(_child_text(node))
        key, sep, value = tag.partition(":")
        key = key.strip().lower()
        if sep and key in ("law", "article", "clause", "point"):
            builder.add(key, value)
        elif sep and key == "difficulty" and normalize_difficulty(value) is not None:
            question.difficulty = normalize_difficulty(value)
        elif tag:
            result.warnings.append(
                _(WARN_TAG).format(number=question.number, name=question.name, tag=tag)
            )
    question.legal_tags = builder.finish()
    for message in builder.errors:
        raise _QuestionError(message)
