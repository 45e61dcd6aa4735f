"""The Excel template: what a trainer who does not know GIFT fills in, and how errors come back."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from assessments.formats import xlsx, xlsx_writer
from assessments.formats.types import (
    FALSE_TEXT,
    TRUE_TEXT,
    ParsedChoice,
    ParsedLegalTag,
    ParsedQuestion,
)

HEADERS = [
    "Danh mục", "Loại câu hỏi", "Tên", "Nội dung", "Phương án A", "Phương án B", "Phương án C",
    "Phương án D", "Phương án E", "Phương án F", "Đáp án đúng", "Giải thích", "Văn bản", "Điều",
    "Khoản", "Điểm", "Mức độ",
]  # fmt: skip


def workbook_bytes(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Câu hỏi"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(**values):
    cells = dict.fromkeys(HEADERS, None)
    cells.update(values)
    return [cells[h] for h in HEADERS]


def test_template_has_instructions_examples_and_reads_back_empty():
    data = xlsx_writer.xlsx_template()
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Câu hỏi", "Hướng dẫn", "Ví dụ"]
    assert [c.value for c in book["Câu hỏi"][1]] == HEADERS
    assert book["Câu hỏi"].max_row == 1
    assert "Đáp án đúng" in "\n".join(str(c.value) for c in book["Hướng dẫn"]["A"])
    result = xlsx.parse_xlsx(data)
    assert not result.errors and not result.questions


def test_template_examples_are_valid_questions():
    book = load_workbook(io.BytesIO(xlsx_writer.xlsx_template()))
    book.remove(book["Câu hỏi"])
    book["Ví dụ"].title = "Câu hỏi"
    buffer = io.BytesIO()
    book.save(buffer)
    result = xlsx.parse_xlsx(buffer.getvalue())
    assert not result.errors, [str(e) for e in result.errors]
    assert [q.qtype for q in result.questions] == [
        "single", "multiple", "truefalse", "shortanswer", "numerical", "matching",
    ]  # fmt: skip


def test_reads_each_question_type():
    data = workbook_bytes(
        [
            row(**{"Danh mục": "Luật 10/2022/QH15 > Chương II", "Loại câu hỏi": "Một lựa chọn",
                   "Tên": "Niêm yết", "Nội dung": "Niêm yết bao lâu?", "Phương án A": "15 ngày",
                   "Phương án B": "30 ngày", "Đáp án đúng": "B", "Giải thích": "Điều 13",
                   "Văn bản": "10/2022/QH15", "Điều": 13, "Khoản": 2, "Điểm": "a",
                   "Mức độ": "Dễ"}),
            row(**{"Loại câu hỏi": "Nhiều lựa chọn", "Nội dung": "Chọn", "Phương án A": "a",
                   "Phương án B": "b", "Phương án C": "c", "Phương án D": "d",
                   "Đáp án đúng": "A, B, C"}),
            row(**{"Loại câu hỏi": "Đúng/Sai", "Nội dung": "Có hiệu lực 01/7/2023",
                   "Đáp án đúng": "Sai"}),
            row(**{"Loại câu hỏi": "Trả lời ngắn", "Nội dung": "Cơ quan?",
                   "Phương án A": "Quốc hội", "Phương án B": "QH"}),
            row(**{"Loại câu hỏi": "Số", "Nội dung": "Bao nhiêu hộ?", "Đáp án đúng": "200:5"}),
            row(**{"Loại câu hỏi": "Ghép đôi", "Nội dung": "Ghép", "Phương án A": "Điều 9 -> Cấm",
                   "Phương án B": "Điều 11 -> Công khai"}),
            row(**{"Loại câu hỏi": "Sắp xếp thứ tự", "Nội dung": "Xếp", "Phương án A": "Một",
                   "Phương án B": "Hai"}),
        ]
    )  # fmt: skip
    result = xlsx.parse_xlsx(data)
    assert not result.errors, [str(e) for e in result.errors]
    single, multiple, truefalse, short, numerical, matching, ordering = result.questions
    assert single.category_path == ("Luật 10/2022/QH15", "Chương II")
    assert [(c.text, c.fraction) for c in single.choices] == [("15 ngày", 0), ("30 ngày", 1)]
    assert [(t.law, t.article, t.clause, t.point) for t in single.legal_tags] == [
        ("10/2022/QH15", 13, 2, "a")
    ]
    assert (single.difficulty, single.explanation, single.line) == ("easy", "Điều 13", 2)
    assert [c.fraction for c in multiple.choices] == [
        Decimal("0.33333"), Decimal("0.33333"), Decimal("0.33334"), Decimal("-0.33333"),
    ]  # fmt: skip
    assert sum(c.fraction for c in multiple.choices if c.fraction > 0) == 1
    assert multiple.name == "Chọn"
    assert [(c.text, c.fraction) for c in truefalse.choices] == [(TRUE_TEXT, 0), (FALSE_TEXT, 1)]
    assert [c.text for c in short.choices] == ["Quốc hội", "QH"]
    assert (numerical.choices[0].text, numerical.choices[0].tolerance) == ("200", 5)
    assert [(p.prompt, p.answer) for p in matching.pairs] == [
        ("Điều 9", "Cấm"),
        ("Điều 11", "Công khai"),
    ]
    assert [c.text for c in ordering.choices] == ["Một", "Hai"]


def test_errors_name_the_excel_row_and_nothing_is_kept():
    data = workbook_bytes(
        [
            row(**{"Nội dung": "Đúng", "Phương án A": "a", "Phương án B": "b", "Đáp án đúng": "A"}),
            row(**{"Nội dung": "Thiếu đáp án", "Phương án A": "a", "Phương án B": "b"}),
            row(**{"Nội dung": "Sai chữ", "Phương án A": "a", "Phương án B": "b",
                   "Đáp án đúng": "E"}),
            row(**{"Loại câu hỏi": "Câu đố", "Nội dung": "x"}),
            row(**{"Nội dung": "Mức độ", "Phương án A": "a", "Phương án B": "b",
                   "Đáp án đúng": "A", "Mức độ": "rất khó"}),
            row(**{"Nội dung": "Điều", "Phương án A": "a", "Phương án B": "b",
                   "Đáp án đúng": "A", "Điều": 5}),
        ]
    )  # fmt: skip
    result = xlsx.parse_xlsx(data)
    assert [(e.line, e.message_vi) for e in result.errors] == [
        (3, xlsx.MSG_XLSX_CORRECT_MISSING),
        (4, xlsx.MSG_XLSX_CORRECT_LETTER.format(value="E")),
        (
            5,
            xlsx.MSG_XLSX_TYPE.format(value="Câu đố", allowed=", ".join(xlsx.TYPE_LABELS.values())),
        ),
        (6, xlsx.MSG_XLSX_DIFFICULTY.format(value="rất khó")),
        (7, xlsx.MSG_XLSX_ARTICLE_NO_LAW),
    ]
    assert str(result.errors[0]) == "Dòng 3: " + xlsx.MSG_XLSX_CORRECT_MISSING
    assert not result.can_import(skip_unsupported=True)


def test_essay_rows_are_listed_as_unsupported():
    result = xlsx.parse_xlsx(
        workbook_bytes(
            [row(**{"Loại câu hỏi": "Tự luận", "Tên": "Bài viết", "Nội dung": "Trình bày"})]
        )
    )
    assert [(u.number, u.name, u.line) for u in result.unsupported] == [(1, "Bài viết", 2)]


def test_columns_may_come_in_any_order_and_blank_rows_are_skipped():
    headers = ["Đáp án đúng", "nội dung", "PHƯƠNG ÁN A", "Phương án B"]
    data = workbook_bytes(
        [["B", "Câu", "x", "y"], [None, None, None, None], ["A", "Câu 2", "x", "y"]], headers
    )
    result = xlsx.parse_xlsx(data)
    assert [q.choices[1].fraction for q in result.questions] == [1, 0]
    assert [q.line for q in result.questions] == [2, 4]


def test_not_an_excel_file():
    result = xlsx.parse_xlsx(b"PK\x03\x04 not really a zip")
    assert [e.message_vi for e in result.errors] == [xlsx.MSG_XLSX_UNREADABLE]


def test_export_then_import_keeps_the_template_fields():
    original = [
        ParsedQuestion(
            qtype="single",
            name="T",
            text="=1+1 bằng mấy?",
            text_format="plain",
            category_path=("A", "B"),
            choices=[ParsedChoice("-2", Decimal(0)), ParsedChoice("2", Decimal(1))],
            legal_tags=[ParsedLegalTag("10/2022/QH15", 11), ParsedLegalTag("10/2022/QH15", 12)],
            difficulty="hard",
            explanation="Vì 1 + 1 = 2",
            line=2,
            number=1,
        )
    ]
    data = xlsx_writer.write_xlsx(original)
    again = xlsx.parse_xlsx(data)
    assert not again.errors
    assert again.questions == original
    sheet = load_workbook(io.BytesIO(data))["Câu hỏi"]
    assert sheet["D2"].value == "'=1+1 bằng mấy?"  # formula injection neutralised
