"""Moodle XML: a file shaped like Moodle 4 exports, unsafe XML, unsupported types, round trips."""

from __future__ import annotations

from decimal import Decimal

from assessments.formats import moodle_xml, moodle_xml_writer
from assessments.formats.types import FALSE_TEXT, TRUE_TEXT

MOODLE_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Mặc định cho DCCS/Chương II//Mục 1</text>
    </category>
    <info format="moodle_auto_format">
      <text>Danh mục</text>
    </info>
    <idnumber></idnumber>
  </question>
  <question type="multichoice">
    <name>
      <text>Chủ thể thực hiện</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Ai là <strong>chủ thể</strong> thực hiện dân chủ?</p>]]></text>
      <file name="hinh.png" path="/" encoding="base64">iVBORw0KGgo=</file>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>Điều 3</p>]]></text>
    </generalfeedback>
    <defaultgrade>2.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber>DCCS-01</idnumber>
    <single>true</single>
    <shuffleanswers>false</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>0</showstandardinstruction>
    <correctfeedback format="html"><text>Đúng</text></correctfeedback>
    <answer fraction="100" format="html">
      <text><![CDATA[<p>Nhân dân</p>]]></text>
      <feedback format="html"><text>Chính xác</text></feedback>
    </answer>
    <answer fraction="0" format="html">
      <text>Chính quyền</text>
      <feedback format="html"><text></text></feedback>
    </answer>
    <tags>
      <tag><text>law:10/2022/QH15</text></tag>
      <tag><text>article:3</text></tag>
      <tag><text>article:5</text></tag>
      <tag><text>clause:1</text></tag>
      <tag><text>difficulty:medium</text></tag>
      <tag><text>chuong-2</text></tag>
    </tags>
  </question>
  <question type="multichoice">
    <name><text>Nhiều đáp án</text></name>
    <questiontext format="moodle_auto_format"><text>Chọn các ý đúng</text></questiontext>
    <single>false</single>
    <answer fraction="33.33333"><text>A</text></answer>
    <answer fraction="33.33333"><text>B</text></answer>
    <answer fraction="33.33333"><text>C</text></answer>
    <answer fraction="-100"><text>D</text></answer>
  </question>
  <question type="truefalse">
    <name><text>Hiệu lực</text></name>
    <questiontext format="plain_text"><text>Luật có hiệu lực từ 01/7/2023.</text></questiontext>
    <answer fraction="100" format="moodle_auto_format">
      <text>true</text>
      <feedback format="html"><text>Đúng, khoản 1 Điều 90</text></feedback>
    </answer>
    <answer fraction="0" format="moodle_auto_format">
      <text>false</text>
      <feedback format="html"><text>Sai</text></feedback>
    </answer>
  </question>
  <question type="shortanswer">
    <name><text>Cơ quan</text></name>
    <questiontext format="html"><text>Cơ quan thông qua Luật?</text></questiontext>
    <usecase>1</usecase>
    <answer fraction="100" format="moodle_auto_format"><text>Quốc hội</text></answer>
    <answer fraction="50" format="moodle_auto_format"><text>QH</text></answer>
  </question>
  <question type="matching">
    <name><text>Ghép</text></name>
    <questiontext format="html"><text>Ghép điều với nội dung</text></questiontext>
    <shuffleanswers>true</shuffleanswers>
    <subquestion format="html"><text>Điều 11</text><answer><text>Công khai</text></answer></subquestion>
    <subquestion format="html"><text>Điều 15</text><answer><text>Bàn và quyết định</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>Gây nhiễu</text></answer></subquestion>
  </question>
  <question type="numerical">
    <name><text>Số ngày</text></name>
    <questiontext format="html"><text>Niêm yết ít nhất bao nhiêu ngày?</text></questiontext>
    <answer fraction="100"><text>30</text><tolerance>0</tolerance><feedback><text>Đúng</text></feedback></answer>
    <answer fraction="50"><text>29.5</text><tolerance>1.5</tolerance></answer>
    <answer fraction="0"><text>*</text><feedback><text>Xem Điều 13</text></feedback></answer>
    <units><unit><multiplier>1</multiplier><unit_name>ngày</unit_name></unit></units>
  </question>
  <question type="essay">
    <name><text>Bài luận</text></name>
    <questiontext format="html"><text>Trình bày</text></questiontext>
  </question>
  <question type="multianswer">
    <name><text>Cloze</text></name>
    <questiontext format="html"><text>{1:SHORTANSWER:=a}</text></questiontext>
  </question>
  <question type="ddwtos">
    <name><text>Kéo thả</text></name>
    <questiontext format="html"><text>[[1]]</text></questiontext>
  </question>
</quiz>
"""


def test_reads_a_moodle_export():
    result = moodle_xml.parse_moodle_xml(MOODLE_EXPORT.encode())
    assert not result.errors, [str(e) for e in result.errors]
    single, multiple, truefalse, short, matching, numerical = result.questions
    assert single.category_path == ("Mặc định cho DCCS", "Chương II/Mục 1")
    assert (single.qtype, single.name, single.idnumber) == (
        "single",
        "Chủ thể thực hiện",
        "DCCS-01",
    )
    assert (single.text, single.text_format) == (
        "<p>Ai là <strong>chủ thể</strong> thực hiện dân chủ?</p>",
        "html",
    )
    assert single.general_feedback == "<p>Điều 3</p>"
    assert (single.default_mark, single.penalty, single.shuffle) == (
        Decimal("2"),
        Decimal("0.333"),
        False,
    )
    assert [(c.text, c.fraction, c.feedback) for c in single.choices] == [
        ("<p>Nhân dân</p>", 1, "Chính xác"),
        ("Chính quyền", 0, ""),
    ]
    assert [(t.law, t.article, t.clause) for t in single.legal_tags] == [
        ("10/2022/QH15", 3, None),
        ("10/2022/QH15", 5, 1),
    ]
    assert single.difficulty == "medium"
    assert multiple.qtype == "multiple"
    assert [c.fraction for c in multiple.choices] == [Decimal("0.33333")] * 3 + [Decimal("-1")]
    assert [(c.text, c.fraction, c.feedback) for c in truefalse.choices] == [
        (TRUE_TEXT, 1, "Đúng, khoản 1 Điều 90"),
        (FALSE_TEXT, 0, "Sai"),
    ]
    assert truefalse.text_format == "plain"
    assert short.case_sensitive is True
    assert [(c.text, c.fraction) for c in short.choices] == [
        ("Quốc hội", 1),
        ("QH", Decimal("0.5")),
    ]
    assert [(p.prompt, p.answer) for p in matching.pairs][-1] == ("", "Gây nhiễu")
    assert [(c.text, c.fraction, c.tolerance) for c in numerical.choices] == [
        ("30", 1, 0),
        ("29.5", Decimal("0.5"), Decimal("1.5")),
        ("*", 0, None),
    ]


def test_unsupported_types_are_listed_with_number_and_title():
    result = moodle_xml.parse_moodle_xml(MOODLE_EXPORT.encode())
    assert [(u.number, u.name, u.source_type) for u in result.unsupported] == [
        (7, "Bài luận", "essay"),
        (8, "Cloze", "multianswer"),
        (9, "Kéo thả", "ddwtos"),
    ]
    assert "Câu hỏi số 8 “Cloze”" in result.problems(skip_unsupported=False)[1]


def test_dropped_parts_are_warned_about():
    warnings = moodle_xml.parse_moodle_xml(MOODLE_EXPORT.encode()).warnings
    assert moodle_xml.WARN_FILES.format(number=1, name="Chủ thể thực hiện") in warnings
    assert moodle_xml.WARN_UNITS.format(number=6, name="Số ngày") in warnings
    assert (
        moodle_xml.WARN_TAG.format(number=1, name="Chủ thể thực hiện", tag="chuong-2") in warnings
    )


def test_entity_expansion_and_external_entities_are_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><quiz>&lol2;</quiz>'
    )
    external = '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>'
    for data in (bomb, external):
        result = moodle_xml.parse_moodle_xml(data.encode())
        assert [e.message_vi for e in result.errors] == [moodle_xml.MSG_XML_UNSAFE]
        assert not result.questions


def test_syntax_error_reports_the_line():
    result = moodle_xml.parse_moodle_xml(b"<quiz>\n<question type='truefalse'>\n</quiz>")
    assert result.errors[0].line == 3
    assert str(result.errors[0]).startswith("Dòng 3: ")


def test_wrong_root_element():
    result = moodle_xml.parse_moodle_xml(b"<questions></questions>")
    assert result.errors[0].message_vi == moodle_xml.MSG_XML_ROOT.format(tag="questions")


def test_invalid_question_reports_its_number():
    data = MOODLE_EXPORT.replace('fraction="100" format="html"', 'fraction="abc" format="html"')
    result = moodle_xml.parse_moodle_xml(data.encode())
    assert [(e.question_number, e.message_vi) for e in result.errors] == [
        (1, moodle_xml.MSG_XML_FRACTION.format(value="abc"))
    ]
    assert str(result.errors[0]).startswith("Câu hỏi số 1: ")


def test_written_file_reads_back_with_every_field():
    first = moodle_xml.parse_moodle_xml(MOODLE_EXPORT.encode())
    first.questions[0].explanation = "<p>Giải thích ]]> có ký tự CDATA</p>"
    first.questions[3].ignore_accents = True
    written = moodle_xml_writer.write_moodle_xml(first.questions)
    again = moodle_xml.parse_moodle_xml(written.encode())
    assert not again.errors
    assert again.questions == first.questions


def test_marks_beyond_what_the_database_holds_are_errors():
    from assessments.formats.common import MSG_MARK_TOO_LARGE

    data = MOODLE_EXPORT.replace(
        "<defaultgrade>2.0000000</defaultgrade>", "<defaultgrade>100000</defaultgrade>"
    )
    result = moodle_xml.parse_moodle_xml(data.encode())
    assert [(e.question_number, e.message_vi) for e in result.errors] == [(1, MSG_MARK_TOO_LARGE)]
