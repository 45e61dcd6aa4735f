"""import_questions / export_questions management commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments import formats
from assessments.models import Question, QuestionBank

GIFT = """$CATEGORY: Luật 10//2022/Chương I

// tags: law=10/2022/QH15 article=3
::Nguyên tắc::Có bao nhiêu nguyên tắc thực hiện dân chủ ở cơ sở? {#6}

::Chủ thể::Ai là chủ thể? {=Nhân dân ~Công an}
"""


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def gift_file(tmp_path):
    path = tmp_path / "ngan-hang.gift"
    path.write_text(GIFT, encoding="utf-8")
    return path


def test_import_creates_the_bank_and_reports_counts(gift_file, db):
    out, _err = run(
        "import_questions", str(gift_file), "--format", "gift", "--bank", "Dân chủ cơ sở"
    )
    bank = QuestionBank.objects.get(name="Dân chủ cơ sở")
    assert bank.questions.count() == 2
    assert "2 câu hỏi mới" in out and "2 danh mục mới" in out
    out, _err = run("import_questions", str(gift_file), "--bank", "Dân chủ cơ sở")  # format guessed
    assert "0 câu hỏi mới" in out and "2 câu hỏi không đổi" in out
    assert QuestionBank.objects.count() == 1


def test_dry_run_saves_nothing_not_even_the_bank(gift_file, db):
    out, _err = run("import_questions", str(gift_file), "--bank", "Thử", "--dry-run")
    assert "2 câu hỏi mới" in out and "Chạy thử" in out
    assert not QuestionBank.objects.exists()


def test_errors_are_in_vietnamese_with_line_numbers_and_exit_non_zero(tmp_path, db):
    path = tmp_path / "loi.gift"
    path.write_text(GIFT + "\n::Hỏng::Câu {=a ~b\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("import_questions", str(path), "--format", "gift", "--bank", "X")
    assert "Không nhập câu hỏi nào vì tệp có 1 lỗi" in str(error.value)
    assert "Dòng 8 (câu hỏi số 3): Thiếu dấu “}” đóng phần đáp án." in str(error.value)
    assert not QuestionBank.objects.exists() and not Question.objects.exists()


def test_unsupported_questions_need_skip_unsupported(tmp_path, db):
    path = tmp_path / "tu-luan.gift"
    path.write_text(GIFT + "\n::Bài viết::Trình bày {}\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("import_questions", str(path), "--format", "gift", "--bank", "X")
    assert "“Bài viết”: loại “essay” chưa được hỗ trợ" in str(error.value)
    out, _err = run(
        "import_questions", str(path), "--format", "gift", "--bank", "X", "--skip-unsupported",
        "--status", "reviewed",
    )  # fmt: skip
    assert "Đã bỏ qua câu hỏi chưa hỗ trợ: Câu hỏi số 3 (dòng 8) “Bài viết”" in out
    assert set(Question.objects.values_list("status", flat=True)) == {"reviewed"}


def test_missing_file_and_unknown_extension(tmp_path, db):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run("import_questions", str(tmp_path / "khong-co.gift"), "--bank", "X")
    odd = tmp_path / "cau-hoi.dat"
    odd.write_text(GIFT, encoding="utf-8")
    with pytest.raises(CommandError, match="Không đoán được định dạng"):
        run("import_questions", str(odd), "--bank", "X")


def test_export_then_import_into_another_bank(gift_file, tmp_path, db):
    run("import_questions", str(gift_file), "--bank", "Gốc")
    target = tmp_path / "ban-sao.xml"
    out, _err = run(
        "export_questions", "--bank", "Gốc", "--format", "moodle-xml", "-o", str(target)
    )
    assert "Đã xuất ngân hàng câu hỏi “Gốc”" in out
    parsed = formats.parse_moodle_xml(target.read_bytes())
    assert [q.name for q in parsed.questions] == ["Nguyên tắc", "Chủ thể"]
    run("import_questions", str(target), "--bank", "Bản sao")
    assert QuestionBank.objects.get(name="Bản sao").questions.count() == 2
    xlsx = tmp_path / "ban-sao.xlsx"
    run("export_questions", "--bank", "Gốc", "--format", "xlsx", "-o", str(xlsx))
    assert formats.parse_xlsx(xlsx.read_bytes()).questions[1].name == "Chủ thể"
    with pytest.raises(CommandError, match="Không có ngân hàng"):
        run("export_questions", "--bank", "Không có", "-o", str(target))


def test_aiken_and_excel_files(tmp_path, db):
    aiken = tmp_path / "cau-hoi.txt"
    aiken.write_text(
        "Luật có hiệu lực từ ngày nào?\nA. 01/7/2023\nB. 01/01/2023\nANSWER: A\n", encoding="utf-8"
    )
    run("import_questions", str(aiken), "--format", "aiken", "--bank", "Aiken")
    question = QuestionBank.objects.get(name="Aiken").questions.get()
    assert [(c.text, c.fraction) for c in question.choices.all()] == [
        ("01/7/2023", 1),
        ("01/01/2023", 0),
    ]
    template = tmp_path / "mau.xlsx"
    template.write_bytes(formats.xlsx_template())
    with pytest.raises(CommandError, match="Tệp không có câu hỏi nào để nhập"):
        run("import_questions", str(template), "--bank", "Excel")
    assert not QuestionBank.objects.filter(name="Excel").exists()
