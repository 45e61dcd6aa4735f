"""questions_import / file_import / bank_export: one transaction, idempotent, lossless via Moodle XML."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assessments import formats, importing
from assessments.models import (
    Choice,
    LegalTag,
    Question,
    QuestionBank,
    QuestionCategory,
    QuestionRevision,
)

GIFT_BANK = """$CATEGORY: $course$/top/Luật 10//2022/Chương II

// tags: law=10/2022/QH15 article=11 difficulty=easy
::Công khai::Nội dung nào phải công khai? {=Kế hoạch phát triển kinh tế - xã hội ~Thư riêng}

::Hiệu lực::Luật có hiệu lực từ 01/7/2023.{T}

$CATEGORY: $course$/top/Luật 10//2022/Chương III

// tags: law=10/2022/QH15 article=15 clause=3
::Hương ước::Ai quyết định nội dung hương ước? {=Nhân dân =%50%Cộng đồng dân cư}
"""


def gift_questions(count: int) -> bytes:
    blocks = [
        f"$CATEGORY: Tạo sẵn/Nhóm {i % 3}\n\n"
        f"// tags: law=10/2022/QH15 article={i + 1}\n"
        f"::Câu {i}::Nội dung câu {i} {{=đúng#tốt ~sai ~sai nữa}}\n"
        for i in range(count)
    ]
    return "\n".join(blocks).encode()


@pytest.fixture
def target(db):
    return QuestionBank.objects.create(name="Ngân hàng nhập", slug="nhap")


def test_gift_import_creates_categories_questions_choices_and_tags(target):
    result = importing.file_import(bank=target, data=GIFT_BANK.encode(), fmt="gift")
    assert (result.created, result.updated, result.unchanged, result.categories_created) == (
        3,
        0,
        0,
        3,
    )
    paths = list(QuestionCategory.objects.filter(bank=target).values_list("full_path", "name"))
    assert sorted(paths) == [
        ("Luật 10-2022", "Luật 10/2022"),
        ("Luật 10-2022/Chương II", "Chương II"),
        ("Luật 10-2022/Chương III", "Chương III"),
    ]
    question = Question.objects.get(bank=target, name="Hương ước")
    assert question.category.full_path == "Luật 10-2022/Chương III"
    assert question.status == "draft"
    assert [(c.text, c.fraction) for c in question.choices.all()] == [
        ("Nhân dân", Decimal("1")),
        ("Cộng đồng dân cư", Decimal("0.5")),
    ]
    assert [(t.law, t.article, t.clause) for t in question.legal_tags.all()] == [
        ("10/2022/QH15", 15, 3)
    ]
    assert QuestionRevision.objects.filter(question__bank=target).count() == 3


def test_status_option_marks_imported_questions_reviewed(target):
    importing.file_import(bank=target, data=GIFT_BANK.encode(), fmt="gift", status="reviewed")
    assert set(Question.objects.filter(bank=target).values_list("status", flat=True)) == {
        "reviewed"
    }
    with pytest.raises(ValueError):
        importing.questions_import(bank=target, questions=[], status="retired")


def test_reimporting_the_same_file_changes_nothing(target):
    importing.file_import(bank=target, data=GIFT_BANK.encode(), fmt="gift")
    before = list(
        Question.objects.filter(bank=target).values_list("pk", "updated_at").order_by("pk")
    )
    choice_ids = list(Choice.objects.filter(question__bank=target).values_list("pk", flat=True))
    again = importing.file_import(bank=target, data=GIFT_BANK.encode(), fmt="gift")
    assert (again.created, again.updated, again.unchanged, again.categories_created) == (0, 0, 3, 0)
    after = list(
        Question.objects.filter(bank=target).values_list("pk", "updated_at").order_by("pk")
    )
    assert after == before
    assert (
        list(Choice.objects.filter(question__bank=target).values_list("pk", flat=True))
        == choice_ids
    )
    assert QuestionRevision.objects.filter(question__bank=target).count() == 3


def test_changed_question_is_updated_in_place_and_needs_review_again(target):
    importing.file_import(bank=target, data=GIFT_BANK.encode(), fmt="gift", status="reviewed")
    original = Question.objects.get(bank=target, name="Công khai")
    changed = GIFT_BANK.replace("~Thư riêng", "~Thư riêng#Không phải ~Hồ sơ mật")
    result = importing.file_import(bank=target, data=changed.encode(), fmt="gift")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    original.refresh_from_db()
    assert original.status == "draft"
    assert [c.text for c in original.choices.all()] == [
        "Kế hoạch phát triển kinh tế - xã hội",
        "Thư riêng",
        "Hồ sơ mật",
    ]
    assert original.revisions.count() == 2


def test_idnumber_matches_even_when_the_text_changed(target):
    xml = formats.write_moodle_xml(
        [
            formats.ParsedQuestion(
                qtype="truefalse", name="A", text="Cũ", idnumber="Q-1",
                choices=[formats.ParsedChoice("Đúng", Decimal(1)), formats.ParsedChoice("Sai")],
            )
        ]
    )  # fmt: skip
    importing.file_import(bank=target, data=xml.encode(), fmt="moodle-xml")
    result = importing.file_import(
        bank=target, data=xml.replace("Cũ", "Mới").encode(), fmt="moodle-xml"
    )
    assert (result.created, result.updated) == (0, 1)
    assert list(Question.objects.filter(bank=target).values_list("text", flat=True)) == ["Mới"]


def test_dry_run_reports_counts_and_writes_nothing(target):
    result = importing.file_import(bank=target, data=GIFT_BANK.encode(), fmt="gift", dry_run=True)
    assert (result.created, result.categories_created, result.dry_run) == (3, 3, True)
    assert not Question.objects.filter(bank=target).exists()
    assert not QuestionCategory.objects.filter(bank=target).exists()


def test_a_file_with_one_error_writes_nothing(target):
    broken = GIFT_BANK + "\n::Hỏng::Thiếu ngoặc {=a ~b\n"
    with pytest.raises(importing.ImportRefused) as refused:
        importing.file_import(bank=target, data=broken.encode(), fmt="gift")
    assert refused.value.messages[0].startswith("Dòng 13 (câu hỏi số 4): ")
    assert not Question.objects.filter(bank=target).exists()
    assert not QuestionCategory.objects.filter(bank=target).exists()


def test_unsupported_questions_block_the_import_unless_skipped(target):
    data = (GIFT_BANK + "\n::Tự luận::Trình bày ý kiến {}\n").encode()
    with pytest.raises(importing.ImportRefused) as refused:
        importing.file_import(bank=target, data=data, fmt="gift")
    assert "Câu hỏi số 4 (dòng 13) “Tự luận”" in refused.value.messages[0]
    assert not Question.objects.filter(bank=target).exists()
    result = importing.file_import(bank=target, data=data, fmt="gift", skip_unsupported=True)
    assert result.created == 3
    assert [(u.number, u.name) for u in result.skipped_unsupported] == [(4, "Tự luận")]


def test_same_question_twice_in_a_file_is_imported_once(target):
    data = (
        GIFT_BANK
        + "\n// tags: law=10/2022/QH15 article=15 clause=3\n::Hương ước::Ai quyết định nội dung hương ước? {=Nhân dân =%50%Cộng đồng dân cư}\n"
    )
    data = data.replace(
        "$CATEGORY: $course$/top/Luật 10//2022/Chương III\n\n",
        "$CATEGORY: $course$/top/Luật 10//2022/Chương III\n\n",
        1,
    )
    result = importing.file_import(bank=target, data=data.encode(), fmt="gift")
    assert result.created == 3
    assert result.warnings == [
        importing.MSG_DUPLICATE_IN_FILE.format(number=4, name="Hương ước", other=3)
    ]


@pytest.mark.parametrize("count", [5, 60])
def test_import_query_count_does_not_grow_with_the_file(
    target, count, django_assert_max_num_queries
):
    parsed = formats.parse_gift(gift_questions(count))
    assert not parsed.errors
    with django_assert_max_num_queries(20):
        result = importing.questions_import(bank=target, questions=parsed.questions)
    assert result.created == count
    assert LegalTag.objects.filter(question__bank=target).count() == count
    with django_assert_max_num_queries(8):
        again = importing.questions_import(bank=target, questions=parsed.questions)
    assert again.unchanged == count


def _snapshot(bank):
    return [
        importing.content_key(q) + (q.category_path,)
        for q in importing.bank_questions_parsed(bank=bank)
    ]


def test_bank_exported_to_moodle_xml_reimports_without_loss(bank, questions, target):
    """Every stored field survives: fractions, feedback, tolerance, pairs, categories, tags…"""
    single = questions["single"]
    single.idnumber = "DCCS-01"
    single.difficulty = "hard"
    single.default_mark = Decimal("2.50")
    single.penalty = Decimal("0.333")
    single.shuffle_choices = False
    single.text_format = "plain"
    single.save()
    LegalTag.objects.create(question=single, law="61/2023/NĐ-CP", article=4, clause=2, point="đ")
    questions["shortanswer"].case_sensitive = True
    questions["shortanswer"].save()
    QuestionCategory.objects.create(bank=bank, name="Trống", parent=None)
    data = importing.bank_export(bank=bank, fmt="moodle-xml")
    result = importing.file_import(bank=target, data=data, fmt="moodle-xml")
    assert result.created == len(questions) and not result.warnings
    assert _snapshot(target) == _snapshot(bank)
    names = sorted(QuestionCategory.objects.filter(bank=target).values_list("name", flat=True))
    assert names == ["Chương II", "Luật 10/2022"]
    # …and exporting the copy gives the same file.
    assert importing.bank_export(bank=target, fmt="moodle-xml") == data


def test_gift_export_of_the_same_bank_needs_skip_for_ordering(bank, questions):
    with pytest.raises(formats.FormatError):
        importing.bank_export(bank=bank, fmt="gift")
    text = importing.bank_export(bank=bank, fmt="gift", skip_unsupported=True).decode()
    parsed = formats.parse_gift(text.encode())
    assert not parsed.errors
    assert len(parsed.questions) == len(questions) - 1


def test_retired_questions_are_not_exported_by_default(bank, questions):
    Question.objects.filter(pk=questions["single"].pk).update(status="retired")
    names = [q.name for q in importing.bank_questions_parsed(bank=bank)]
    assert "Một lựa chọn" not in names
    assert "Một lựa chọn" in [
        q.name for q in importing.bank_questions_parsed(bank=bank, include_retired=True)
    ]


def test_bank_get_or_create_finds_by_name_or_slug_and_makes_unique_slugs(db):
    bank, created = importing.bank_get_or_create(name="Luật Dân chủ ở cơ sở")
    assert created and bank.slug == "luat-dan-chu-o-co-so"
    assert importing.bank_get_or_create(name="Luật Dân chủ ở cơ sở") == (bank, False)
    assert importing.bank_get_or_create(name="luat-dan-chu-o-co-so") == (bank, False)
    other, created = importing.bank_get_or_create(name="Luật dân chủ ở cơ sở!")
    assert created is False and other == bank  # same slug: the same bank
    third, created = importing.bank_get_or_create(name="Đường dây nóng")
    assert third.slug == "duong-day-nong"
