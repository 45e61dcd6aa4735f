"""Admin importer (upload → preview → confirm) and who may import or change legal documents."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.legal import forms, parsing
from cms.legal.models import LegalDocumentPage
from tests import factories

from .conftest import SMALL_TEXT

ROLE = factories.ROLE
IMPORT_URL = "/admin/thu-vien-phap-luat/nhap/"


@pytest.fixture
def users(tree, groups):
    world = factories.staff_world(tree, groups)
    world.superuser = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    world.admin_a = factories.staff_user(
        role=ROLE.ADMIN, unit=tree.commune_a, username="admin-scoped"
    )
    return world


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def test_import_url_is_the_admin_view():
    assert reverse("legal_import") == IMPORT_URL


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anonymous", False),
        ("learner", False),
        ("trainer", False),
        ("manager_a", False),
        ("admin_a", False),
        ("admin", True),
        ("superuser", True),
    ],
)
def test_only_system_admins_may_open_the_importer(client, library, users, who, allowed):
    if who != "anonymous":
        client.force_login(getattr(users, who))
    response = client.get(IMPORT_URL)
    if allowed:
        assert response.status_code == 200
        assert "Nhập văn bản pháp luật" in response.content.decode()
    else:
        assert response.status_code in (302, 403)
    response = client.post(
        IMPORT_URL, {"number": "5/2024/NĐ-CP", "file": upload("a.txt", SMALL_TEXT)}
    )
    if not allowed:
        assert response.status_code in (302, 403)
        assert not LegalDocumentPage.objects.exists()


def test_upload_preview_then_confirm_imports(client, library, users):
    client.force_login(users.admin)
    response = client.post(
        IMPORT_URL,
        {"number": "61/2023/NĐ-CP", "title": "Nghị định mẫu", "file": upload("nd.txt", SMALL_TEXT)},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đọc được 1 chương, 0 mục, 2 điều, 2 khoản, 5 điểm." in html
    assert "#dieu-2" in html and "Không có cảnh báo." in html
    assert not LegalDocumentPage.objects.exists()  # the preview writes nothing
    token = response.context["form"].initial["token"]
    response = client.post(
        IMPORT_URL, {"token": token, "number": "61/2023/NĐ-CP", "title": "Nghị định mẫu"}
    )
    assert response.status_code == 302
    document = LegalDocumentPage.objects.get(number="61/2023/NĐ-CP")
    assert document.live and document.title == "Nghị định mẫu"
    assert document.provisions.filter(kind="article").count() == 2


def test_preview_lists_problems_and_confirm_needs_the_tick(client, library, users):
    client.force_login(users.admin)
    text = "Căn cứ Hiến pháp;\nĐiều 1. A\n1. Một.\n3. Ba.\n"
    response = client.post(IMPORT_URL, {"number": "7/2024/NĐ-CP", "file": upload("loi.txt", text)})
    html = response.content.decode()
    assert "Dòng 1: đoạn văn nằm trước Điều đầu tiên" in html
    assert "Dòng 4: khoản 3 của Điều 1 không đúng thứ tự" in html
    assert "Tôi đã xem các cảnh báo" in html
    token = response.context["form"].initial["token"]
    response = client.post(IMPORT_URL, {"token": token, "number": "7/2024/NĐ-CP"})
    assert str(forms.ACCEPT_REQUIRED) in response.content.decode()
    assert not LegalDocumentPage.objects.exists()
    response = client.post(
        IMPORT_URL, {"token": token, "number": "7/2024/NĐ-CP", "accept_warnings": "on"}
    )
    assert response.status_code == 302
    assert LegalDocumentPage.objects.get(number="7/2024/NĐ-CP").preamble == "Căn cứ Hiến pháp;"


def test_hard_errors_are_shown_on_the_upload_form_and_nothing_is_written(client, library, users):
    client.force_login(users.admin)
    response = client.post(IMPORT_URL, {"number": "8/2024/NĐ-CP", "file": upload("a.pdf", "x")})
    assert str(parsing.ERROR_WRONG_TYPE) in response.content.decode()
    response = client.post(
        IMPORT_URL, {"number": "8/2024/NĐ-CP", "file": upload("a.txt", "Không có điều.")}
    )
    assert str(parsing.ERROR_NO_ARTICLE) in response.content.decode()
    assert not LegalDocumentPage.objects.exists()


def test_forged_or_expired_token_is_refused(client, library, users):
    client.force_login(users.admin)
    response = client.post(IMPORT_URL, {"token": "../../etc/passwd", "number": "9/2024/NĐ-CP"})
    assert response.status_code == 302
    response = client.post(IMPORT_URL, {"token": "0" * 32, "number": "9/2024/NĐ-CP"}, follow=True)
    assert str(forms.TOKEN_INVALID) in response.content.decode()
    assert not LegalDocumentPage.objects.exists()


@pytest.mark.parametrize(
    ("who", "allowed"), [("admin_a", False), ("trainer", False), ("admin", True)]
)
def test_only_system_admins_may_edit_a_legal_document_page(
    client, small_decree, users, who, allowed
):
    client.force_login(getattr(users, who))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[small_decree.pk]))
    assert (response.status_code == 200) is allowed
