"""Write Moodle XML that Moodle imports and that ``parse_moodle_xml`` reads back without loss.

Text goes in CDATA; our metadata travels as Moodle tags (law:…, article:…, clause:…, point:…,
difficulty:…) and as elements Moodle ignores (``explanation``, ``ignoreaccents``)."""

from __future__ import annotations

import re
from decimal import Decimal
from xml.sax.saxutils import escape as xml_escape

from .common import assemble_category_path, moodle_tags_for
from .types import (
    HTML,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    ORDERING,
    PLAIN,
    SHORTANSWER,
    SINGLE,
    TRUEFALSE,
    ParsedQuestion,
    format_decimal,
    fraction_to_percent,
)

_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cdata(text: str) -> str:
    text = _INVALID_XML_CHARS.sub("", text)
    if not text:
        return "<text></text>"
    if not re.search(r"[<>&]", text):
        return f"<text>{text}</text>"
    return "<text><![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]></text>"


def _text_element(tag: str, text: str, text_format: str = HTML, indent: str = "    ") -> str:
    moodle_format = "html" if text_format == HTML else "plain_text"
    return f'{indent}<{tag} format="{moodle_format}">\n{indent}  {_cdata(text)}\n{indent}</{tag}>'


def _answer(fraction: str, text: str, feedback: str, text_format: str, extra: str = "") -> str:
    moodle_format = "html" if text_format == HTML else "plain_text"
    lines = [
        f'    <answer fraction="{fraction}" format="{moodle_format}">',
        f"      {_cdata(text)}",
        _text_element("feedback", feedback, text_format, "      "),
    ]
    if extra:
        lines.append(extra)
    lines.append("    </answer>")
    return "\n".join(lines)


def _flag_text(value: bool) -> str:
    return "true" if value else "false"


def _write_question(question: ParsedQuestion) -> str:
    fmt = question.text_format
    moodle_type = {
        SINGLE: "multichoice",
        MULTIPLE: "multichoice",
        TRUEFALSE: "truefalse",
        SHORTANSWER: "shortanswer",
        MATCHING: "matching",
        NUMERICAL: "numerical",
        ORDERING: "ordering",
    }[question.qtype]
    lines = [
        f'  <question type="{moodle_type}">',
        f"    <name>\n      {_cdata(question.name)}\n    </name>",
        _text_element("questiontext", question.text, fmt),
        _text_element("generalfeedback", question.general_feedback, fmt),
        f"    <defaultgrade>{format_decimal(question.default_mark)}</defaultgrade>",
        f"    <penalty>{format_decimal(question.penalty)}</penalty>",
        "    <hidden>0</hidden>",
        f"    <idnumber>{xml_escape(_INVALID_XML_CHARS.sub('', question.idnumber))}</idnumber>",
    ]
    if question.explanation:
        lines.append(_text_element("explanation", question.explanation, fmt))
    qtype = question.qtype
    if qtype in (SINGLE, MULTIPLE):
        lines += [
            f"    <single>{_flag_text(qtype == SINGLE)}</single>",
            f"    <shuffleanswers>{_flag_text(question.shuffle)}</shuffleanswers>",
            "    <answernumbering>abc</answernumbering>",
            "    <showstandardinstruction>0</showstandardinstruction>",
        ]
        for choice in question.choices:
            lines.append(
                _answer(fraction_to_percent(choice.fraction), choice.text, choice.feedback, fmt)
            )
    elif qtype == TRUEFALSE:
        for word, choice in zip(("true", "false"), question.choices[:2], strict=True):
            lines.append(_answer(fraction_to_percent(choice.fraction), word, choice.feedback, fmt))
    elif qtype == SHORTANSWER:
        lines.append(f"    <usecase>{1 if question.case_sensitive else 0}</usecase>")
        lines.append(f"    <ignoreaccents>{1 if question.ignore_accents else 0}</ignoreaccents>")
        for choice in question.choices:
            lines.append(
                _answer(fraction_to_percent(choice.fraction), choice.text, choice.feedback, PLAIN)
            )
    elif qtype == NUMERICAL:
        for choice in question.choices:
            tolerance = format_decimal(choice.tolerance or Decimal("0"))
            lines.append(
                _answer(
                    fraction_to_percent(choice.fraction),
                    choice.text,
                    choice.feedback,
                    PLAIN,
                    f"      <tolerance>{tolerance}</tolerance>",
                )
            )
        lines += [
            "    <unitgradingtype>0</unitgradingtype>",
            "    <unitpenalty>0.1000000</unitpenalty>",
            "    <showunits>3</showunits>",
            "    <unitsleft>0</unitsleft>",
        ]
    elif qtype == MATCHING:
        lines.append(f"    <shuffleanswers>{_flag_text(question.shuffle)}</shuffleanswers>")
        for pair in question.pairs:
            lines += [
                f'    <subquestion format="{"html" if fmt == HTML else "plain_text"}">',
                f"      {_cdata(pair.prompt)}",
                f"      <answer>\n        {_cdata(pair.answer)}\n      </answer>",
                "    </subquestion>",
            ]
    elif qtype == ORDERING:
        lines += [
            "    <layouttype>VERTICAL</layouttype>",
            "    <selecttype>ALL</selecttype>",
            "    <selectcount>0</selectcount>",
            "    <gradingtype>ABSOLUTE_POSITION</gradingtype>",
            "    <showgrading>SHOW</showgrading>",
            "    <numberingstyle>none</numberingstyle>",
        ]
        for position, choice in enumerate(question.choices, start=1):
            lines.append(_answer(str(position), choice.text, choice.feedback, fmt))
    tags = moodle_tags_for(question)
    if tags:
        lines.append("    <tags>")
        lines += [f"      <tag>{_cdata(tag)}</tag>" for tag in tags]
        lines.append("    </tags>")
    lines.append("  </question>")
    return "\n".join(lines)


def _write_category(path: tuple[str, ...]) -> str:
    return "\n".join(
        [
            '  <question type="category">',
            f"    <category>\n      {_cdata(assemble_category_path(path))}\n    </category>",
            '    <info format="html">\n      <text></text>\n    </info>',
            "  </question>",
        ]
    )


def write_moodle_xml(questions: list[ParsedQuestion]) -> str:
    """Moodle XML for these questions; every field we store survives a re-import."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    category: tuple[str, ...] | None = None
    for question in questions:
        if question.category_path != category:
            category = question.category_path
            out.append(_write_category(category))
        out.append(_write_question(question))
    out.append("</quiz>")
    return "\n".join(out) + "\n"
