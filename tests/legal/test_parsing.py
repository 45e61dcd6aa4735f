"""The importer's reading of legal texts: structure, anchors, and problems it reports."""

from __future__ import annotations

import io
import unicodedata

import docx

from cms.legal import parsing
from cms.legal.parsing import parse_file, parse_lines


def parse(text: str):
    return parse_lines(text.splitlines())


def anchors_of(doc, kind=None):
    return [p.anchor for p in doc.provisions if kind is None or p.kind == kind]


def test_structure_chapters_sections_articles_clauses_points_with_continuations():
    doc = parse(
        "CHƯƠNG I\nNHỮNG QUY ĐỊNH CHUNG\n"
        "Mục 1. Công khai thông tin\n"
        "Điều 11. Những nội dung phải công khai\n"
        "Chính quyền cấp xã phải công khai:\n"
        "1. Kế hoạch phát triển;\n"
        "2) Dự toán ngân sách:\n"
        "a) Thu;\n"
        "tiếp tục điểm a.\n"
        "b) Chi.\n"
        "Chương II - Điều khoản thi hành\n"
        "Điều 12. Hiệu lực thi hành\n"
    )
    assert doc.errors == [] and doc.warnings == []
    assert anchors_of(doc) == [
        "chuong-i",
        "chuong-i-muc-1",
        "dieu-11",
        "dieu-11-khoan-1",
        "dieu-11-khoan-2",
        "dieu-11-khoan-2-diem-a",
        "dieu-11-khoan-2-diem-b",
        "chuong-ii",
        "dieu-12",
    ]
    by_anchor = {p.anchor: p for p in doc.provisions}
    assert by_anchor["chuong-i"].title == "NHỮNG QUY ĐỊNH CHUNG"
    assert by_anchor["chuong-ii"].title == "Điều khoản thi hành"
    assert by_anchor["chuong-i-muc-1"].title == "Công khai thông tin"
    assert by_anchor["dieu-11"].text == "Chính quyền cấp xã phải công khai:"
    assert by_anchor["dieu-11-khoan-2-diem-a"].text == "Thu;\ntiếp tục điểm a."


def test_point_dd_gets_its_own_ascii_anchor():
    doc = parse("Điều 5. Phạm vi\n1. Gồm:\na) A;\nb) B;\nc) C;\nd) D;\nđ) Đ.\n")
    assert anchors_of(doc, "point")[-2:] == ["dieu-5-khoan-1-diem-d", "dieu-5-khoan-1-diem-dd"]
    assert doc.warnings == []


def test_chuong_trinh_in_body_is_not_a_chapter_and_dieu_reference_is_not_an_article():
    doc = parse(
        "Điều 1. Chương trình\nChương trình công tác gồm các nội dung cơ bản.\n"
        "Điều 2 của Luật này được hướng dẫn.\n"
    )
    assert doc.count("chapter") == 0 and len(doc.articles) == 1
    assert "Chương trình công tác" in doc.articles[0].text


def test_markdown_headings_and_bold_markers_are_tolerated():
    text = (
        "# Luật mẫu\n\n## Chương I\n\n**NHỮNG QUY ĐỊNH CHUNG**\n\n"
        "### Điều 1. Phạm vi\n\nNội dung **quan trọng**.\n\n"
        "**Điều 2.** Đối tượng\n\n1\\. Công dân.\n"
    )
    doc = parse_file(name="luat.md", data=text.encode())
    assert anchors_of(doc, "article") == ["dieu-1", "dieu-2"]
    assert doc.provisions[0].title == "NHỮNG QUY ĐỊNH CHUNG"
    assert doc.articles[0].text == "Nội dung quan trọng."
    assert doc.articles[1].title == "Đối tượng"
    assert anchors_of(doc, "clause") == ["dieu-2-khoan-1"]
    # The document title before the first article is reported, and kept.
    assert doc.preamble == ["Luật mẫu"]
    assert doc.warnings == [parsing.WARN_TEXT_BEFORE_ARTICLE % {"line": 1}]


def test_docx_paragraphs_are_read():
    document = docx.Document()
    for line in ["Chương I", "QUY ĐỊNH CHUNG", "Điều 1. Phạm vi", "1. Khoản một.", "a) Điểm a."]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    doc = parse_file(name="van-ban.docx", data=buffer.getvalue())
    assert doc.errors == []
    assert anchors_of(doc) == ["chuong-i", "dieu-1", "dieu-1-khoan-1", "dieu-1-khoan-1-diem-a"]


def test_text_is_nfc_normalised():
    decomposed = unicodedata.normalize("NFD", "Điều 1. Dân chủ ở cơ sở\nNội dung thực hiện.\n")
    doc = parse(decomposed)
    assert doc.articles[0].title == unicodedata.normalize("NFC", "Dân chủ ở cơ sở")
    assert unicodedata.is_normalized("NFC", doc.articles[0].text)


def test_text_before_first_article_is_reported_with_line_number_and_kept():
    doc = parse("Căn cứ Hiến pháp;\n\nQuốc hội ban hành Luật.\nĐiều 1. Phạm vi\nNội dung.\n")
    assert doc.preamble == ["Căn cứ Hiến pháp;", "Quốc hội ban hành Luật."]
    assert doc.warnings == [
        "Dòng 1: đoạn văn nằm trước Điều đầu tiên, không thuộc điều nào; đã giữ ở phần mở đầu.",
        "Dòng 3: đoạn văn nằm trước Điều đầu tiên, không thuộc điều nào; đã giữ ở phần mở đầu.",
    ]


def test_clause_out_of_sequence_is_reported_and_kept():
    doc = parse("Điều 3. Nguyên tắc\n1. Một.\n3. Ba.\n")
    assert anchors_of(doc, "clause") == ["dieu-3-khoan-1", "dieu-3-khoan-3"]
    assert doc.warnings == [
        parsing.WARN_CLAUSE_SEQUENCE % {"line": 3, "number": "3", "article": "3", "previous": "1"}
    ]


def test_point_outside_a_clause_is_reported_and_attached_to_the_article():
    doc = parse("Điều 4. Phạm vi\nGồm:\na) Một;\nb) Hai.\n")
    assert anchors_of(doc, "point") == ["dieu-4-diem-a", "dieu-4-diem-b"]
    assert doc.warnings[0] == parsing.WARN_POINT_OUTSIDE_CLAUSE % {
        "line": 3,
        "label": "a",
        "article": "4",
    }
    assert len(doc.warnings) == 2


def test_point_out_of_sequence_is_reported():
    doc = parse("Điều 4. Phạm vi\n1. Gồm:\na) Một;\nc) Ba.\n")
    assert doc.warnings == [
        parsing.WARN_POINT_SEQUENCE % {"line": 4, "label": "c", "previous": "a"}
    ]


def test_duplicated_article_number_is_reported_and_both_are_kept_with_distinct_anchors():
    doc = parse("Điều 1. A\nMột.\nĐiều 2. B\nHai.\nĐiều 2. B lặp\nHai lặp.\n")
    assert anchors_of(doc, "article") == ["dieu-1", "dieu-2", "dieu-2-2"]
    assert doc.warnings == [parsing.WARN_ARTICLE_DUPLICATE % {"line": 5, "number": "2", "first": 3}]


def test_missing_article_numbers_are_reported():
    doc = parse("Điều 1. A\nMột.\nĐiều 3. C\nBa.\n")
    assert doc.warnings == [
        parsing.WARN_ARTICLE_SEQUENCE % {"line": 3, "number": "3", "previous": "1"}
    ]


def test_text_between_chapter_and_article_is_reported_and_kept_on_the_heading():
    doc = parse("Chương I\nQUY ĐỊNH CHUNG\nĐoạn lạc.\nĐiều 1. A\n")
    assert doc.provisions[0].text == "Đoạn lạc."
    assert doc.warnings == [parsing.WARN_TEXT_OUTSIDE_ARTICLE % {"line": 3, "heading": "Chương I"}]


def test_no_article_is_a_hard_error():
    doc = parse("Chương I\nQUY ĐỊNH CHUNG\nChỉ có đoạn văn.\n")
    assert doc.errors == [str(parsing.ERROR_NO_ARTICLE)]


def test_wrong_type_too_large_and_unreadable_files_are_hard_errors():
    assert parse_file(name="luat.pdf", data=b"%PDF").errors == [str(parsing.ERROR_WRONG_TYPE)]
    big = b"a" * (parsing.MAX_FILE_BYTES + 1)
    assert parse_file(name="luat.txt", data=big).errors == [str(parsing.ERROR_TOO_LARGE)]
    assert parse_file(name="luat.txt", data=b"\xff\xfe\x00D").errors == [
        str(parsing.ERROR_UNREADABLE)
    ]
    assert parse_file(name="luat.docx", data=b"not a zip").errors == [str(parsing.ERROR_UNREADABLE)]


def test_invisible_characters_from_web_copies_are_removed():
    doc = parse("Điều 1. Phạm vi\nph\u00adương án chuyển\u200b dịch.\n")
    assert doc.articles[0].text == "phương án chuyển dịch."
