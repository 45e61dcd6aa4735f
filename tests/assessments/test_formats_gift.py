"""GIFT parsing and writing, checked against the examples in Moodle's GIFT documentation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments.formats import gift, gift_writer
from assessments.formats.common import MSG_MULTIPLE_SUM, MSG_TAG_UNKNOWN
from assessments.formats.types import FALSE_TEXT, NUMERICAL_ANY, TRUE_TEXT, ParseResult


def parse(text: str) -> ParseResult:
    return gift.parse_gift(text.encode("utf-8"))


def only(text: str):
    result = parse(text)
    assert not result.errors, [str(e) for e in result.errors]
    assert len(result.questions) == 1
    return result.questions[0]


def fractions(question):
    return [(c.text, c.fraction) for c in question.choices]


def test_single_choice_with_title_feedback_and_general_feedback():
    q = only(
        "::Chủ thể::Ai là chủ thể thực hiện dân chủ ở cơ sở?"
        "{=Nhân dân#Đúng vậy ~Công an#Chưa đúng ~Doanh nghiệp####Xem Điều 3}"
    )
    assert q.qtype == "single"
    assert q.name == "Chủ thể"
    assert q.text == "Ai là chủ thể thực hiện dân chủ ở cơ sở?"
    assert q.text_format == "plain"
    assert fractions(q) == [("Nhân dân", 1), ("Công an", 0), ("Doanh nghiệp", 0)]
    assert [c.feedback for c in q.choices] == ["Đúng vậy", "Chưa đúng", ""]
    assert q.general_feedback == "Xem Điều 3"


def test_multiple_response_with_percent_weights():
    q = only(
        "Những ai được bàn và quyết định? {\n"
        "~%50%Nhân dân trong thôn\n"
        "~%50%Đại diện hộ gia đình\n"
        "~%-100%Người nước ngoài#Không\n"
        "}"
    )
    assert q.qtype == "multiple"
    assert fractions(q) == [
        ("Nhân dân trong thôn", Decimal("0.5")),
        ("Đại diện hộ gia đình", Decimal("0.5")),
        ("Người nước ngoài", Decimal("-1")),
    ]
    assert q.choices[2].feedback == "Không"


def test_multiple_response_weights_must_add_up_to_100_percent():
    result = parse("Chọn {~%50%A ~%30%B ~C}")
    assert [e.message_vi for e in result.errors] == [MSG_MULTIPLE_SUM.format(total="80")]
    assert result.errors[0].line == 1


def test_decimal_weights_are_kept_to_five_places():
    q = only("Chọn {~%33.33333%A ~%33.33333%B ~%33.33333%C ~%-100%D}")
    assert [c.fraction for c in q.choices[:3]] == [Decimal("0.33333")] * 3


@pytest.mark.parametrize(
    ("answer", "correct", "true_feedback", "false_feedback"),
    [
        ("{T}", True, "", ""),
        ("{TRUE}", True, "", ""),
        ("{F}", False, "", ""),
        ("{FALSE#Sai rồi#Chính xác}", False, "Sai rồi", "Chính xác"),
        ("{TRUE#Sai rồi#Chính xác}", True, "Chính xác", "Sai rồi"),
    ],
)
def test_true_false_and_its_two_feedbacks(answer, correct, true_feedback, false_feedback):
    q = only("Luật có hiệu lực từ ngày 01/7/2023." + answer)
    assert q.qtype == "truefalse"
    assert [c.text for c in q.choices] == [TRUE_TEXT, FALSE_TEXT]
    assert q.choices[0].fraction == (1 if correct else 0)
    assert q.choices[1].fraction == (0 if correct else 1)
    # Moodle: the first "#" is the feedback for a wrong answer, the second for a right one.
    assert (q.choices[0].feedback, q.choices[1].feedback) == (true_feedback, false_feedback)


def test_short_answer_with_partial_credit():
    q = only("Cơ quan nào ban hành Luật số 10/2022/QH15? {=Quốc hội =%50%QH#Viết đầy đủ}")
    assert q.qtype == "shortanswer"
    assert fractions(q) == [("Quốc hội", 1), ("QH", Decimal("0.5"))]
    assert q.choices[1].feedback == "Viết đầy đủ"


def test_matching_with_a_distractor():
    q = only(
        "Ghép điều luật với nội dung. {\n"
        "=Điều 11 -> Nội dung phải công khai\n"
        "=Điều 15 -> Nhân dân bàn và quyết định\n"
        "= -> Xử phạt hành chính\n"
        "}"
    )
    assert q.qtype == "matching"
    assert [(p.prompt, p.answer) for p in q.pairs] == [
        ("Điều 11", "Nội dung phải công khai"),
        ("Điều 15", "Nhân dân bàn và quyết định"),
        ("", "Xử phạt hành chính"),
    ]


def test_numerical_with_tolerance_range_and_several_answers():
    tolerance = only("Số ngày niêm yết tối thiểu? {#30:0}")
    assert (tolerance.qtype, tolerance.choices[0].text) == ("numerical", "30")
    assert tolerance.choices[0].tolerance == 0
    ranged = only("Một số từ 1 đến 2 {#1..2}")
    assert (ranged.choices[0].text, ranged.choices[0].tolerance) == ("1.5", Decimal("0.5"))
    several = only("Ngày? {#=%100%5:0#Đúng =%50%5:1#Gần đúng ~#Xem Điều 12}")
    assert [(c.text, c.fraction, c.tolerance, c.feedback) for c in several.choices] == [
        ("5", 1, 0, "Đúng"),
        ("5", Decimal("0.5"), 1, "Gần đúng"),
        (NUMERICAL_ANY, 0, None, "Xem Điều 12"),
    ]


def test_missing_word_format_puts_a_blank_in_the_sentence():
    q = only("Nhân dân {=biết ~quên ~bỏ qua} các nội dung được công khai.")
    assert q.text == "Nhân dân _____ các nội dung được công khai."
    assert q.qtype == "single"


def test_escapes_and_newline():
    q = only(r"::Ký tự\: đặc biệt::Tính 1 \= 1 \{ \} \~ \# a\nb{=có\#dấu ~không}")
    assert q.name == "Ký tự: đặc biệt"
    assert q.text == "Tính 1 = 1 { } ~ # a\nb"
    assert q.choices[0].text == "có#dấu"


def test_text_formats_html_plain_and_markdown():
    html = only("[html]<p>Đoạn <b>đậm</b></p>{T}")
    assert (html.text, html.text_format) == ("<p>Đoạn <b>đậm</b></p>", "html")
    plain = only("[plain]a < b và <b>không phải thẻ</b>{T}")
    assert plain.text_format == "plain"
    assert plain.text == "a < b và <b>không phải thẻ</b>"
    markdown = only("[markdown]Chữ **đậm**{T}")
    assert (markdown.text, markdown.text_format) == ("<p>Chữ <strong>đậm</strong></p>", "html")
    auto = only("Nội dung có <i>thẻ</i>{T}")
    assert auto.text_format == "html"


def test_categories_and_comments():
    result = parse(
        "// Ngân hàng mẫu\n"
        "$CATEGORY: $course$/top/Luật 10//2022/Chương II\n"
        "\n"
        "// chú thích không phải thẻ\n"
        "Câu một {T}\n"
        "\n"
        "$CATEGORY: Quy định chung\n"
        "\n"
        "Câu hai {F}\n"
    )
    assert not result.errors
    assert [q.category_path for q in result.questions] == [
        ("Luật 10/2022", "Chương II"),
        ("Quy định chung",),
    ]


def test_question_without_title_gets_one_from_its_text():
    q = only(
        "Luật Thực hiện dân chủ ở cơ sở được Quốc hội thông qua ngày nào trong năm 2022 và có hiệu lực khi nào? {=10/11/2022 ~01/7/2022}"
    )
    assert q.name.endswith("…")
    assert len(q.name) <= 81


def test_tags_comment_sets_legal_references_difficulty_and_idnumber():
    q = only(
        "// tags: law=10/2022/QH15 article=11 clause=2 point=a; law=61/2023/NĐ-CP article=3 "
        "difficulty=hard idnumber=Q-11\n"
        "// explanation: Điều 11 khoản 2 điểm a.\\nDòng hai\n"
        "::T::Nội dung{T}"
    )
    assert [(t.law, t.article, t.clause, t.point) for t in q.legal_tags] == [
        ("10/2022/QH15", 11, 2, "a"),
        ("61/2023/NĐ-CP", 3, None, ""),
    ]
    assert (q.difficulty, q.idnumber) == ("hard", "Q-11")
    assert q.explanation == "Điều 11 khoản 2 điểm a.\nDòng hai"


def test_bad_tags_are_reported_with_their_line():
    result = parse("Câu một {T}\n\n// tags: law=10/2022/QH15 artcle=11\nCâu hai {T}")
    assert [(e.line, e.question_number) for e in result.errors][0] == (3, 2)
    assert MSG_TAG_UNKNOWN.format(key="artcle") in [e.message_vi for e in result.errors]


def test_tags_separated_from_the_question_by_a_blank_line_are_an_error():
    result = parse("// tags: law=10/2022/QH15 article=11\n\nCâu hỏi {T}")
    assert result.errors[0].line == 1
    assert result.errors[0].message_vi == gift.MSG_TAGS_DETACHED


def test_unsupported_essay_and_description_are_listed_not_dropped():
    result = parse("::Tự luận::Hãy trình bày {}\n\n::Giới thiệu::Phần này chỉ để đọc\n\nCâu {T}")
    assert [(u.number, u.name, u.source_type, u.line) for u in result.unsupported] == [
        (1, "Tự luận", "essay", 1),
        (2, "Giới thiệu", "description", 3),
    ]
    assert len(result.questions) == 1
    assert result.questions[0].number == 3
    assert not result.can_import(skip_unsupported=False)
    assert result.can_import(skip_unsupported=True)
    assert "Tự luận" in result.problems(skip_unsupported=False)[0]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Dòng một\nThiếu ngoặc đóng {=a ~b", 2, gift.MSG_BRACE_MISSING_CLOSE),
        ("Thiếu ngoặc mở =a ~b}", 1, gift.MSG_BRACE_MISSING_OPEN),
        ("::Tên chưa đóng Câu hỏi {T}", 1, gift.MSG_NAME_UNCLOSED),
        ("Câu một {T}\nCâu hai {F}", 2, gift.MSG_BRACE_EXTRA),
        ("Ghép {=a -> 1 =b}", 1, gift.MSG_MATCH_FORMAT.format(value="b")),
        ("Số {#abc}", 1, gift.MSG_NUMERICAL_BAD.format(value="abc")),
        ("Chọn {~%x%a ~b}", 1, gift.MSG_BAD_WEIGHT.format(value="%x%")),
    ],
)
def test_malformed_questions_report_the_line(text, line, message):
    result = parse("Câu hợp lệ {T}\n\n" + text)
    assert [(e.line - 2, e.question_number, e.message_vi) for e in result.errors] == [
        (line, 2, message)
    ]
    assert str(result.errors[0]).startswith(f"Dòng {line + 2} (câu hỏi số 2): ")


def test_windows_file_with_bom_and_crlf():
    result = gift.parse_gift("\ufeff::A::Câu {T}\r\n\r\n::B::Câu {F}\r\n".encode())
    assert [q.name for q in result.questions] == ["A", "B"]


def test_writer_output_reads_back_identically():
    source = (
        "$CATEGORY: $course$/top/Luật/Chương I\n\n"
        "// tags: law=10/2022/QH15 article=11 clause=2 difficulty=easy idnumber=Q1\n"
        "// explanation: Điều 11.\n"
        "::Q1::[html]<p>Chọn: {=a\\=b#ok ~c####chung}\n\n"
        "::Q2::Đúng sai{FALSE#sai#đúng}\n\n"
        "::Q3::Nhiều {~%50%a ~%50%b ~%-100%c}\n\n"
        "::Q4::Ngắn {=%100%x =%50%y#gần}\n\n"
        "::Q5::Ghép {=a -> 1 =b -> 2 = -> 3}\n\n"
        "::Q6::Số {#=%100%5:0.5#ok =%50%6 ~#sai}\n"
    )
    first = parse(source)
    assert not first.errors
    again = parse(gift_writer.write_gift(first.questions))
    assert not again.errors
    for a, b in zip(first.questions, again.questions, strict=True):
        a.line = b.line = None
        assert a == b


def test_writer_refuses_ordering_questions_unless_skipped():
    from assessments.formats.types import FormatError, ParsedChoice, ParsedQuestion

    ordering = ParsedQuestion(
        qtype="ordering",
        name="Thứ tự",
        text="Sắp xếp",
        choices=[ParsedChoice("a"), ParsedChoice("b")],
    )
    with pytest.raises(FormatError):
        gift_writer.write_gift([ordering])
    assert gift_writer.write_gift([ordering], skip_unsupported=True) == ""


def test_writer_refuses_a_matching_prompt_it_could_not_read_back():
    from assessments.formats.types import FormatError, ParsedPair, ParsedQuestion

    matching = ParsedQuestion(
        qtype="matching",
        name="Mũi tên",
        text="Ghép",
        pairs=[ParsedPair("a -> b", "1"), ParsedPair("c", "2")],
    )
    with pytest.raises(FormatError) as error:
        gift_writer.write_gift([matching])
    assert "“Mũi tên”" in error.value.messages[0]


def test_limits_of_the_database_are_checked_before_writing():
    from assessments.formats.common import MSG_CATEGORY_LONG

    result = parse("$CATEGORY: " + "x" * 201 + "\n\nCâu {T}")
    assert [e.message_vi for e in result.errors] == [MSG_CATEGORY_LONG]
