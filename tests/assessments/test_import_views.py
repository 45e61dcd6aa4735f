"""Admin import screens: permissions, upload → preview → confirm, cancel, template, export."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments import formats
from assessments.import_views import SESSION_KEY, STORAGE_DIR
from assessments.models import Question, QuestionBank
from tests.factories import ROLE, PersonFactory, staff_user

GIFT = """$CATEGORY: Luật/Chương I

// tags: law=10/2022/QH15 article=3
::Nguyên tắc::Có bao nhiêu nguyên tắc? {#6}

::Chủ thể::Ai là chủ thể? {=Nhân dân ~Công an}
"""


@pytest.fixture
def users(tree, groups):
    return {
        "anonymous": None,
        "learner": PersonFactory(full_name="Người Học").user,
        "manager": staff_user(role=ROLE.MANAGER, unit=tree.commune_a),
        "trainer": staff_user(role=ROLE.TRAINER, unit=tree.commune_a),
        "admin": staff_user(role=ROLE.ADMIN, unit=None),
    }


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def stored_files():
    try:
        return default_storage.listdir(STORAGE_DIR)[1]
    except FileNotFoundError:
        return []


def gift_upload(text=GIFT, name="ngan-hang.gift"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def upload(client, **data):
    payload = {"file": gift_upload(), "fmt": "", "new_bank": "Dân chủ cơ sở", "status": "draft"}
    payload.update(data)
    return client.post(reverse("assessments_import"), payload)


@pytest.mark.parametrize("role", ["anonymous", "learner", "manager", "trainer", "admin"])
def test_only_trainers_and_admins_may_import_or_export(client, users, role, bank, questions):
    login(client, users[role])
    allowed = role in {"trainer", "admin"}
    pages = [
        reverse("assessments_import"),
        reverse("assessments_import_template"),
        reverse("assessments_export") + f"?bank={bank.pk}&fmt=moodle-xml",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == (200 if allowed else 302), url
        if not allowed:
            assert "ngan-hang-cau-hoi" not in urlparse(response.url).path
    response = upload(client)
    assert response.status_code == 302
    if allowed:
        assert response.url == reverse("assessments_import_preview")
        assert client.get(response.url).status_code == 200
        assert client.post(reverse("assessments_import_cancel")).status_code == 302
    else:
        assert stored_files() == []
        for name, method in [
            ("assessments_import_preview", "get"),
            ("assessments_import_confirm", "post"),
            ("assessments_import_cancel", "post"),
        ]:
            response = getattr(client, method)(reverse(name))
            assert response.status_code == 302, name
            assert "ngan-hang-cau-hoi" not in urlparse(response.url).path
    assert not QuestionBank.objects.filter(name="Dân chủ cơ sở").exists()


def test_upload_preview_confirm_creates_the_bank_and_questions(client, users):
    login(client, users["trainer"])
    response = upload(client, status="reviewed")
    assert response.status_code == 302
    assert len(stored_files()) == 1  # kept in storage, not in memory, until confirmed
    preview = client.get(reverse("assessments_import_preview"))
    html = preview.content.decode()
    assert "Nguyên tắc" in html and "Chủ thể" in html
    assert "thêm 2 câu hỏi mới" in html
    assert "Điều 3 10/2022/QH15" in html
    assert not QuestionBank.objects.exists()  # the preview wrote nothing
    result = client.post(reverse("assessments_import_confirm"))
    assert result.status_code == 200
    assert "2 câu hỏi mới" in result.content.decode()
    bank = QuestionBank.objects.get(name="Dân chủ cơ sở")
    assert set(bank.questions.values_list("status", flat=True)) == {"reviewed"}
    assert stored_files() == []
    assert SESSION_KEY not in client.session
    # The token is spent: confirming again imports nothing.
    again = client.post(reverse("assessments_import_confirm"))
    assert again.status_code == 302
    assert bank.questions.count() == 2


def test_preview_lists_errors_with_lines_and_offers_no_confirm(client, users):
    login(client, users["trainer"])
    upload(client, file=gift_upload(GIFT + "\n::Hỏng::Câu {=a ~b\n"))
    html = client.get(reverse("assessments_import_preview")).content.decode()
    assert "Dòng 8 (câu hỏi số 3): Thiếu dấu “}” đóng phần đáp án." in html
    assert reverse("assessments_import_confirm") not in html
    assert client.post(reverse("assessments_import_confirm")).status_code == 200
    assert not Question.objects.exists()


def test_unsupported_questions_are_listed_and_block_unless_skipped(client, users):
    login(client, users["admin"])
    text = GIFT + "\n::Bài viết::Trình bày {}\n"
    upload(client, file=gift_upload(text))
    html = client.get(reverse("assessments_import_preview")).content.decode()
    assert "Câu hỏi số 3 (dòng 8) “Bài viết”: loại “essay” chưa được hỗ trợ" in html
    assert reverse("assessments_import_confirm") not in html
    upload(client, file=gift_upload(text), skip_unsupported="on")
    assert len(stored_files()) == 1  # the earlier upload was discarded
    html = client.get(reverse("assessments_import_preview")).content.decode()
    assert reverse("assessments_import_confirm") in html
    result = client.post(reverse("assessments_import_confirm")).content.decode()
    assert "Đã bỏ qua các câu hỏi chưa hỗ trợ" in result
    assert Question.objects.count() == 2


def test_import_into_an_existing_bank_is_idempotent(client, users, bank):
    login(client, users["trainer"])
    for _ in range(2):
        upload(client, bank=bank.pk, new_bank="")
        client.post(reverse("assessments_import_confirm"))
    assert bank.questions.count() == 2
    assert QuestionBank.objects.count() == 1


def test_upload_validation(client, users):
    login(client, users["trainer"])
    response = upload(client, new_bank="")
    assert (
        "Hãy chọn một ngân hàng câu hỏi hoặc nhập tên ngân hàng mới." in response.content.decode()
    )
    response = upload(client, file=SimpleUploadedFile("cau-hoi.pdf", b"%PDF-1.4"))
    assert "không được hỗ trợ" in response.content.decode()
    response = upload(client, file=SimpleUploadedFile("cau-hoi.xlsx", b"not a zip"))
    assert "Nội dung tệp không đúng định dạng .xlsx" in response.content.decode()
    response = upload(client, fmt="moodle-xml")
    assert "Tệp Moodle XML phải có đuôi .xml." in response.content.decode()
    assert stored_files() == []


def test_excel_template_download(client, users):
    login(client, users["trainer"])
    response = client.get(reverse("assessments_import_template"))
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-cau-hoi.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Câu hỏi", "Hướng dẫn", "Ví dụ"]


def test_export_downloads_a_file_that_reimports(
    client, users, bank, questions, django_assert_max_num_queries
):
    login(client, users["trainer"])
    url = reverse("assessments_export") + f"?bank={bank.pk}&fmt=moodle-xml"
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="luat-dan-chu-co-so.xml"'
    parsed = formats.parse_moodle_xml(response.content)
    assert not parsed.errors and len(parsed.questions) == len(questions)
    gift = client.get(reverse("assessments_export") + f"?bank={bank.pk}&fmt=gift")
    assert len(formats.parse_gift(gift.content).questions) == len(questions) - 1  # no ordering


def test_preview_query_count_does_not_grow_with_the_file(
    client, users, django_assert_max_num_queries
):
    login(client, users["trainer"])
    blocks = "\n".join(f"::Câu {i}::Nội dung {i} {{=a ~b ~c}}\n" for i in range(80))
    upload(client, file=gift_upload("$CATEGORY: A/B\n\n" + blocks))
    # Session, user and admin chrome ~10; the dry run inserts per table (SQLite splits big batches).
    with django_assert_max_num_queries(30):
        response = client.get(reverse("assessments_import_preview"))
    assert "thêm 80 câu hỏi mới" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "shown"), [("manager", False), ("trainer", True), ("admin", True)]
)
def test_menu_item_only_for_authors(client, users, role, shown):
    login(client, users[role])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (reverse("assessments_import") in html) is shown
