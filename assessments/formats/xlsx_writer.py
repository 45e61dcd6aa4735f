"""The Excel template (instructions and one example per type) and exports in its layout."""

from __future__ import annotations

import io
from decimal import Decimal

from lms.core.text import safe_cell

from .types import (
    FALSE_TEXT,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    NUMERICAL_ANY,
    ORDERING,
    SHORTANSWER,
    SINGLE,
    TRUE_TEXT,
    TRUEFALSE,
    ParsedChoice,
    ParsedLegalTag,
    ParsedPair,
    ParsedQuestion,
    format_decimal,
)
from .xlsx import (
    CATEGORY_SEPARATOR,
    COL_ARTICLE,
    COL_CATEGORY,
    COL_CLAUSE,
    COL_CORRECT,
    COL_DIFFICULTY,
    COL_EXPLANATION,
    COL_LAW,
    COL_NAME,
    COL_OPTION,
    COL_POINT,
    COL_TEXT,
    COL_TYPE,
    DEFAULT_OPTIONS,
    DIFFICULTY_LABELS,
    SHEET_EXAMPLES,
    SHEET_HELP,
    SHEET_QUESTIONS,
    TYPE_LABELS,
)

HELP_LINES = [
    "HƯỚNG DẪN NHẬP CÂU HỎI BẰNG EXCEL",
    "",
    "1. Nhập mỗi câu hỏi trên một dòng của trang “Câu hỏi”; không đổi tên các cột tiêu đề.",
    "2. “Danh mục”: đường dẫn danh mục, các cấp cách nhau bằng dấu “>”, ví dụ: "
    "Luật 10/2022/QH15 > Chương II. Danh mục chưa có sẽ được tạo mới.",
    "3. “Loại câu hỏi”: Một lựa chọn, Nhiều lựa chọn, Đúng/Sai, Trả lời ngắn, Số, Ghép đôi, "
    "Sắp xếp thứ tự. Để trống = Một lựa chọn (hoặc Nhiều lựa chọn nếu có nhiều đáp án đúng).",
    "4. “Tên”: tiêu đề ngắn để tìm câu hỏi; để trống thì hệ thống lấy phần đầu nội dung.",
    "5. “Phương án A” … “Phương án F”: các phương án trả lời; có thể thêm cột “Phương án G”, "
    "“Phương án H”… nếu cần.",
    "6. “Đáp án đúng”:",
    "   • Một lựa chọn: một chữ cái, ví dụ B.",
    "   • Nhiều lựa chọn: các chữ cái cách nhau bằng dấu phẩy, ví dụ A,C. Mỗi phương án đúng "
    "được chia đều số điểm; mỗi phương án sai bị trừ đúng bằng phần đó (tổng không dưới 0).",
    "   • Đúng/Sai: ghi Đúng hoặc Sai (không cần điền phương án).",
    "   • Trả lời ngắn: ghi các câu trả lời được chấp nhận vào các cột phương án (hoặc vào cột này, "
    "cách nhau bằng dấu chấm phẩy). Không phân biệt chữ hoa, chữ thường.",
    "   • Số: ghi số đúng, dùng dấu chấm cho phần thập phân; 1.5:0.1 nghĩa là 1,5 ± 0,1; "
    "1..2 nghĩa là từ 1 đến 2.",
    "   • Ghép đôi: mỗi cột phương án ghi “vế trái -> vế phải”; bỏ trống cột này.",
    "   • Sắp xếp thứ tự: ghi các mục theo đúng thứ tự vào các cột phương án; bỏ trống cột này.",
    "7. “Giải thích”: hiển thị cho học viên sau khi trả lời; nên nêu rõ điều, khoản áp dụng.",
    "8. “Văn bản”, “Điều”, “Khoản”, “Điểm”: căn cứ pháp lý của câu hỏi, ví dụ 10/2022/QH15, 11, 2, a. "
    "Có thể ghi nhiều điều cách nhau bằng dấu phẩy.",
    "9. “Mức độ”: Dễ, Trung bình hoặc Khó.",
    "",
    "Trang “Ví dụ” có một câu hỏi mẫu cho mỗi loại. Khi nhập, hệ thống chỉ đọc trang “Câu hỏi”.",
    "Nếu có lỗi, hệ thống báo số dòng và không lưu câu hỏi nào; sửa lỗi rồi nhập lại.",
    "Nhập lại cùng một tệp không tạo câu hỏi trùng.",
]

LAW = "10/2022/QH15"
EXAMPLES = [
    ParsedQuestion(
        qtype=SINGLE,
        name="Thời gian niêm yết công khai",
        text="Theo Luật Thực hiện dân chủ ở cơ sở, thông tin công khai bằng hình thức niêm yết "
        "phải được niêm yết trong thời gian ít nhất bao nhiêu ngày liên tục?",
        text_format="plain",
        category_path=("Luật Thực hiện dân chủ ở cơ sở", "Công khai thông tin"),
        choices=[
            ParsedChoice("15 ngày", Decimal(0)),
            ParsedChoice("30 ngày", Decimal(1)),
            ParsedChoice("45 ngày", Decimal(0)),
            ParsedChoice("60 ngày", Decimal(0)),
        ],
        explanation="Điều 13 Luật Thực hiện dân chủ ở cơ sở: thời gian niêm yết ít nhất là 30 ngày "
        "liên tục.",
        legal_tags=[ParsedLegalTag(LAW, 13)],
        difficulty="easy",
    ),
    ParsedQuestion(
        qtype=MULTIPLE,
        name="Nội dung Nhân dân bàn và quyết định",
        text="Những nội dung nào dưới đây do Nhân dân ở xã bàn và quyết định?",
        text_format="plain",
        category_path=("Luật Thực hiện dân chủ ở cơ sở", "Nhân dân bàn và quyết định"),
        choices=[
            ParsedChoice("Nội dung hương ước, quy ước của cộng đồng dân cư", Decimal("0.5")),
            ParsedChoice("Bầu, cho thôi làm Trưởng thôn, Tổ trưởng tổ dân phố", Decimal("0.5")),
            ParsedChoice("Dự toán ngân sách của tỉnh", Decimal("-0.5")),
        ],
        explanation="Khoản 3 và khoản 4 Điều 15 Luật Thực hiện dân chủ ở cơ sở.",
        legal_tags=[ParsedLegalTag(LAW, 15)],
        difficulty="medium",
    ),
    ParsedQuestion(
        qtype=TRUEFALSE,
        name="Ngày có hiệu lực",
        text="Luật Thực hiện dân chủ ở cơ sở có hiệu lực thi hành từ ngày 01/7/2023.",
        text_format="plain",
        category_path=("Luật Thực hiện dân chủ ở cơ sở", "Quy định chung"),
        choices=[ParsedChoice(TRUE_TEXT, Decimal(1)), ParsedChoice(FALSE_TEXT, Decimal(0))],
        explanation="Khoản 1 Điều 90 Luật Thực hiện dân chủ ở cơ sở.",
        legal_tags=[ParsedLegalTag(LAW, 90, 1)],
        difficulty="easy",
    ),
    ParsedQuestion(
        qtype=SHORTANSWER,
        name="Phương châm dân chủ",
        text="Điền từ còn thiếu: “Dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân …”.",
        text_format="plain",
        category_path=("Luật Thực hiện dân chủ ở cơ sở", "Quy định chung"),
        choices=[ParsedChoice("thụ hưởng", Decimal(1))],
        explanation="Phương châm “dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, "
        "dân thụ hưởng”.",
        legal_tags=[],
        difficulty="easy",
    ),
    ParsedQuestion(
        qtype=NUMERICAL,
        name="Họp theo cụm dân cư",
        text="Thôn, tổ dân phố có từ bao nhiêu hộ gia đình trở lên thì có thể tổ chức cuộc họp "
        "theo cụm dân cư?",
        text_format="plain",
        category_path=("Luật Thực hiện dân chủ ở cơ sở", "Nhân dân bàn và quyết định"),
        choices=[ParsedChoice("200", Decimal(1), tolerance=Decimal(0))],
        explanation="Điều 18 Luật Thực hiện dân chủ ở cơ sở.",
        legal_tags=[ParsedLegalTag(LAW, 18)],
        difficulty="hard",
    ),
    ParsedQuestion(
        qtype=MATCHING,
        name="Ghép điều luật với nội dung",
        text="Ghép mỗi điều của Luật Thực hiện dân chủ ở cơ sở với nội dung của điều đó.",
        text_format="plain",
        category_path=("Luật Thực hiện dân chủ ở cơ sở", "Quy định chung"),
        pairs=[
            ParsedPair("Điều 9", "Các hành vi bị nghiêm cấm"),
            ParsedPair("Điều 11", "Những nội dung chính quyền cấp xã phải công khai"),
            ParsedPair("Điều 15", "Những nội dung Nhân dân bàn và quyết định"),
        ],
        legal_tags=[ParsedLegalTag(LAW, 9), ParsedLegalTag(LAW, 11), ParsedLegalTag(LAW, 15)],
        difficulty="medium",
    ),
]


def _headers(option_count: int) -> list[str]:
    letters = [chr(ord("A") + i) for i in range(max(option_count, len(DEFAULT_OPTIONS)))]
    return [
        COL_CATEGORY,
        COL_TYPE,
        COL_NAME,
        COL_TEXT,
        *(COL_OPTION.format(letter=letter) for letter in letters),
        COL_CORRECT,
        COL_EXPLANATION,
        COL_LAW,
        COL_ARTICLE,
        COL_CLAUSE,
        COL_POINT,
        COL_DIFFICULTY,
    ]


def _row(question: ParsedQuestion, option_count: int) -> list:
    options: list[str] = []
    correct = ""
    letters = [chr(ord("A") + i) for i in range(option_count)]
    if question.qtype in (SINGLE, MULTIPLE):
        options = [c.text for c in question.choices]
        correct = ",".join(letters[i] for i, c in enumerate(question.choices) if c.fraction > 0)
    elif question.qtype == TRUEFALSE:
        correct = TRUE_TEXT if question.choices and question.choices[0].fraction > 0 else FALSE_TEXT
    elif question.qtype in (SHORTANSWER, ORDERING):
        options = [c.text for c in question.choices if c.fraction > 0 or question.qtype == ORDERING]
    elif question.qtype == NUMERICAL:
        best = next(
            (c for c in question.choices if c.text != NUMERICAL_ANY and c.fraction >= 1), None
        )
        if best is not None:
            correct = best.text
            if best.tolerance:
                correct += ":" + format_decimal(best.tolerance)
    elif question.qtype == MATCHING:
        options = [f"{p.prompt} -> {p.answer}" for p in question.pairs]
    options += [""] * (option_count - len(options))
    tag = question.legal_tags[0] if question.legal_tags else None
    same_place = [
        t
        for t in question.legal_tags
        if tag and (t.law, t.clause, t.point) == (tag.law, tag.clause, tag.point)
    ]
    articles = ", ".join(str(t.article) for t in same_place) if tag else ""
    return [
        f" {CATEGORY_SEPARATOR} ".join(question.category_path),
        TYPE_LABELS.get(question.qtype, question.qtype),
        question.name,
        question.text,
        *options,
        correct,
        question.explanation,
        tag.law if tag else "",
        articles,
        tag.clause if tag and tag.clause else "",
        tag.point if tag else "",
        DIFFICULTY_LABELS.get(question.difficulty, ""),
    ]


def _question_sheet(sheet, questions: list[ParsedQuestion]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    option_count = max(
        [len(DEFAULT_OPTIONS)]
        + [len(q.choices) for q in questions]
        + [len(q.pairs) for q in questions]
    )
    headers = _headers(option_count)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for question in questions:
        sheet.append([safe_cell(value) for value in _row(question, option_count)])
    sheet.freeze_panes = "A2"
    widths = {COL_CATEGORY: 30, COL_TYPE: 16, COL_NAME: 28, COL_TEXT: 60, COL_CORRECT: 14}
    widths |= {COL_EXPLANATION: 40, COL_LAW: 16}
    for index, header in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(
            header, 22 if "Phương án" in header else 10
        )
    last = max(sheet.max_row, 1000)
    type_column = sheet.cell(row=1, column=headers.index(COL_TYPE) + 1).column_letter
    level_column = sheet.cell(row=1, column=headers.index(COL_DIFFICULTY) + 1).column_letter
    type_list = DataValidation(
        type="list", formula1='"' + ",".join(TYPE_LABELS.values()) + '"', allow_blank=True
    )
    level_list = DataValidation(
        type="list", formula1='"' + ",".join(DIFFICULTY_LABELS.values()) + '"', allow_blank=True
    )
    sheet.add_data_validation(type_list)
    sheet.add_data_validation(level_list)
    type_list.add(f"{type_column}2:{type_column}{last}")
    level_list.add(f"{level_column}2:{level_column}{last}")


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_template() -> bytes:
    """The blank template: an empty "Câu hỏi" sheet, instructions and one example per type."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    _question_sheet(workbook.active, [])
    workbook.active.title = SHEET_QUESTIONS
    help_sheet = workbook.create_sheet(SHEET_HELP)
    for line in HELP_LINES:
        help_sheet.append([line])
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.column_dimensions["A"].width = 140
    _question_sheet(workbook.create_sheet(SHEET_EXAMPLES), EXAMPLES)
    return _save(workbook)


def write_xlsx(questions: list[ParsedQuestion]) -> bytes:
    """Questions in the template layout (custom weights and per-option feedback are not kept)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = SHEET_QUESTIONS
    _question_sheet(workbook.active, questions)
    help_sheet = workbook.create_sheet(SHEET_HELP)
    for line in HELP_LINES:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 140
    return _save(workbook)
