"""Aiken: single-choice questions, one option per line, ANSWER: letter."""

from __future__ import annotations

from assessments.formats import aiken

VALID = """Luật Thực hiện dân chủ ở cơ sở có hiệu lực từ ngày nào?
A. 01/01/2023
B) 01/7/2023
C. 10/11/2022
ANSWER: B

Thông tin niêm yết phải giữ ít nhất bao nhiêu ngày liên tục?
A. 15 ngày
B. 30 ngày
ANSWER: B
"""


def test_reads_questions_with_dot_and_parenthesis_labels():
    result = aiken.parse_aiken(VALID.encode())
    assert not result.errors
    first, second = result.questions
    assert first.qtype == "single"
    assert first.text == "Luật Thực hiện dân chủ ở cơ sở có hiệu lực từ ngày nào?"
    assert [(c.text, c.fraction) for c in first.choices] == [
        ("01/01/2023", 0),
        ("01/7/2023", 1),
        ("10/11/2022", 0),
    ]
    assert (first.line, second.line, second.number) == (1, 7, 2)


def test_answer_letter_must_be_an_option():
    result = aiken.parse_aiken(b"Q?\nA. a\nB. b\nANSWER: D\n")
    assert [(e.line, e.question_number, e.message_vi) for e in result.errors] == [
        (1, 1, aiken.MSG_ANSWER_NOT_OPTION.format(answer="D"))
    ]


def test_missing_answer_line_is_reported_at_the_question():
    result = aiken.parse_aiken(b"Q1?\nA. a\nB. b\n\nQ2?\nA. c\nB. d\nANSWER: A\n")
    assert [(e.line, e.message_vi) for e in result.errors] == [(1, aiken.MSG_ANSWER_MISSING)]


def test_options_out_of_order_and_orphan_lines():
    result = aiken.parse_aiken(b"Q?\nA. a\nC. c\nANSWER: A\nANSWER: B\n")
    messages = [(e.line, e.message_vi) for e in result.errors]
    assert (3, aiken.MSG_OPTION_ORDER.format(label="C")) in messages
    assert (5, aiken.MSG_ANSWER_WITHOUT_QUESTION) in messages


def test_question_without_options():
    result = aiken.parse_aiken(b"Q?\nANSWER: A\n")
    assert [e.message_vi for e in result.errors] == [aiken.MSG_NO_OPTIONS]
