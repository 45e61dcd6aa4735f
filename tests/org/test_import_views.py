import io
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.org.import_views import MSG_NO_PENDING_FILE, SESSION_KEY, STORAGE_DIR
from lms.org.imports import people as P
from lms.org.models import Person, Unit
from tests.factories import ROLE, PersonFactory, staff_user
from tests.org.import_files import (
    PEOPLE_HEADERS,
    UNIT_HEADERS,
    people_rows,
    person_row,
    xlsx_file,
)


@pytest.fixture
def users(tree, groups):
    learner = PersonFactory(full_name="Người Học").user
    return {
        "anonymous": None,
        "learner": learner,
        "trainer": staff_user(role=ROLE.TRAINER, unit=tree.commune_a),
        "manager": staff_user(role=ROLE.MANAGER, unit=tree.commune_a),
        "sibling_manager": staff_user(role=ROLE.MANAGER, unit=tree.commune_b),
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


ALLOWED = {
    "people": {"manager", "sibling_manager", "admin"},
    "units": {"admin"},
}


@pytest.mark.parametrize(
    "role", ["anonymous", "learner", "trainer", "manager", "sibling_manager", "admin"]
)
@pytest.mark.parametrize("kind", ["people", "units"])
def test_permissions_on_every_view(client, users, role, kind):
    login(client, users[role])
    allowed = role in ALLOWED[kind]
    pages = [
        reverse("org_import_upload", args=[kind]),
        reverse("org_import_template", args=[kind, "xlsx"]),
        reverse("org_import_template", args=[kind, "csv"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == (200 if allowed else 302), url
        if not allowed:
            assert "nhap-du-lieu" not in urlparse(response.url).path, url
    headers = PEOPLE_HEADERS if kind == "people" else UNIT_HEADERS
    upload = xlsx_file(
        [person_row()] if kind == "people" else [["X1", "Ấp", "thon-ap", "BTU"]], headers=headers
    )
    response = client.post(reverse("org_import_upload", args=[kind]), {"file": upload})
    assert response.status_code == 302
    if allowed:
        assert response.url == reverse("org_import_preview", args=[kind])
        assert client.get(response.url).status_code == 200
        assert client.get(reverse("org_import_error_report", args=[kind])).status_code == 200
        assert client.post(reverse("org_import_cancel", args=[kind])).status_code == 302
    else:
        assert stored_files() == []
        for name, method in [("org_import_preview", "get"), ("org_import_error_report", "get"),
                             ("org_import_confirm", "post"), ("org_import_cancel", "post")]:  # fmt: skip
            response = getattr(client, method)(reverse(name, args=[kind]))
            assert response.status_code == 302, name
            assert "nhap-du-lieu" not in urlparse(response.url).path, name
    assert not Person.objects.filter(phone="0912000001").exists()
    assert not Unit.objects.filter(code="X1").exists()


@pytest.mark.parametrize("role", ["anonymous", "learner", "trainer", "manager", "admin"])
def test_index_and_menu_item_follow_the_role(client, users, role):
    login(client, users[role])
    response = client.get(reverse("org_imports_index"))
    if role in {"manager", "admin"}:
        assert response.status_code == 200
        content = response.content.decode()
        assert reverse("org_import_upload", args=["people"]) in content
        assert (reverse("org_import_upload", args=["units"]) in content) == (role == "admin")
    else:
        assert response.status_code == 302
    if role in {"trainer", "manager", "admin"}:
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert (reverse("org_imports_index") in home) == (role != "trainer")


def test_manager_upload_preview_confirm_result(client, users, tree):
    login(client, users["manager"])
    rows = [
        person_row(name="Nguyễn Thị Hồng Nhung", phone="0912000001", account="Có"),
        person_row(name="Trần Văn Phúc", phone="0912000002", unit="BTU-A1", group="truong-thon"),
    ]
    response = client.post(
        reverse("org_import_upload", args=["people"]),
        {"file": xlsx_file(rows, headers=PEOPLE_HEADERS)},
    )
    assert response.status_code == 302
    # The file waits in storage under a random name known only to this session.
    pending = client.session[SESSION_KEY.format(kind="people")]
    stored = pending["name"].rsplit("/", 1)[-1]
    assert pending["name"].startswith(f"{STORAGE_DIR}/")
    assert stored != "ds.xlsx" and not stored.startswith("ds_")  # never the uploader's file name
    assert default_storage.exists(pending["name"])

    preview = client.get(reverse("org_import_preview", args=["people"]))
    content = preview.content.decode()
    assert "Nguyễn Thị Hồng Nhung" in content and "Xác nhận nhập dữ liệu" in content
    assert "tạo mới: 2" in content
    assert not Person.objects.filter(
        phone__in=["0912000001", "0912000002"]
    ).exists()  # preview writes nothing

    result = client.post(reverse("org_import_confirm", args=["people"]))
    assert result.status_code == 200 and "no-store" in result["Cache-Control"]
    content = result.content.decode()
    assert "Đã nhập dữ liệu thành công" in content
    assert Person.objects.filter(phone__in=["0912000001", "0912000002"]).count() == 2
    user = get_user_model().objects.get(username="0912000001")
    password = result.context["report"].accounts[0].password
    assert password in content and user.check_password(password) and user.must_change_password
    # Confirmed: the stored file and the session entry are gone; confirming again does nothing.
    assert not default_storage.exists(pending["name"])
    assert SESSION_KEY.format(kind="people") not in client.session
    again = client.post(reverse("org_import_confirm", args=["people"]), follow=True)
    assert MSG_NO_PENDING_FILE in again.content.decode()
    assert Person.objects.filter(phone__in=["0912000001", "0912000002"]).count() == 2


def test_preview_lists_every_error_and_offers_no_confirm(client, users, tree):
    login(client, users["manager"])
    rows = [person_row(unit="TT"), person_row(name="B", phone="0912", unit="KHONG-CO")]
    client.post(
        reverse("org_import_upload", args=["people"]),
        {"file": xlsx_file(rows, headers=PEOPLE_HEADERS)},
    )
    content = client.get(reverse("org_import_preview", args=["people"])).content.decode()
    assert P.MSG_UNIT_OUT_OF_SCOPE.format(code="TT") in content
    assert P.MSG_UNKNOWN_UNIT.format(code="KHONG-CO") in content
    assert "Số điện thoại không hợp lệ" in content
    assert "Xác nhận nhập dữ liệu" not in content

    report = client.get(reverse("org_import_error_report", args=["people"]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(report.content)).active
    assert [c.value for c in sheet[1]] == ["Dòng", "Cột", "Lỗi", "Giá trị trong tệp"]
    assert sheet.max_row == 4
    # Confirming a file with errors writes nothing.
    client.post(reverse("org_import_confirm", args=["people"]))
    assert not Person.objects.filter(phone="0912000001").exists()


def test_sibling_manager_cannot_import_into_another_commune(client, users, tree):
    login(client, users["sibling_manager"])
    client.post(
        reverse("org_import_upload", args=["people"]),
        {"file": xlsx_file([person_row(unit="BTU")], headers=PEOPLE_HEADERS)},
    )
    client.post(reverse("org_import_confirm", args=["people"]))
    assert not Person.objects.filter(phone="0912000001").exists()


def test_cancel_deletes_the_stored_file(client, users):
    login(client, users["admin"])
    client.post(
        reverse("org_import_upload", args=["units"]),
        {"file": xlsx_file([["X1", "Ấp", "thon-ap", "BTU"]], headers=UNIT_HEADERS, sheet="Đơn vị")},
    )
    assert len(stored_files()) == 1
    # A new upload replaces the previous pending file.
    client.post(
        reverse("org_import_upload", args=["units"]),
        {"file": xlsx_file([["X2", "Ấp", "thon-ap", "BTU"]], headers=UNIT_HEADERS, sheet="Đơn vị")},
    )
    assert len(stored_files()) == 1
    client.post(reverse("org_import_cancel", args=["units"]))
    assert stored_files() == []
    assert not Unit.objects.filter(code__in=["X1", "X2"]).exists()


def test_another_session_cannot_confirm_the_file(client, users, django_user_model):
    from django.test import Client

    login(client, users["admin"])
    client.post(
        reverse("org_import_upload", args=["units"]),
        {"file": xlsx_file([["X1", "Ấp", "thon-ap", "BTU"]], headers=UNIT_HEADERS, sheet="Đơn vị")},
    )
    other = login(Client(), staff_user(role=ROLE.ADMIN, unit=None, username="admin-2"))
    response = other.post(reverse("org_import_confirm", args=["units"]))
    assert response.status_code == 302 and not Unit.objects.filter(code="X1").exists()


def test_bad_upload_is_refused_on_the_form(client, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, users["admin"])
    response = client.post(
        reverse("org_import_upload", args=["people"]),
        {"file": SimpleUploadedFile("ds.pdf", b"%PDF-1.4")},
    )
    assert response.status_code == 200
    assert "không được hỗ trợ" in response.content.decode()
    assert stored_files() == []


def test_units_import_through_the_admin(client, users, tree):
    login(client, users["admin"])
    upload = xlsx_file(
        [["BTU-A7", "Ấp 7", "thon-ap", "BTU", "", ""]], headers=UNIT_HEADERS, sheet="Đơn vị"
    )
    client.post(reverse("org_import_upload", args=["units"]), {"file": upload})
    result = client.post(reverse("org_import_confirm", args=["units"]))
    assert "Đã nhập dữ liệu thành công" in result.content.decode()
    assert Unit.objects.get(code="BTU-A7").get_parent() == tree.commune_a


def test_preview_query_count_does_not_grow_with_rows(client, users):
    login(client, users["admin"])

    def preview_queries(count, prefix):
        upload = xlsx_file(people_rows(count, prefix=prefix), headers=PEOPLE_HEADERS)
        client.post(reverse("org_import_upload", args=["people"]), {"file": upload})
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("org_import_preview", args=["people"]))
        assert response.status_code == 200 and "Xác nhận nhập dữ liệu" in response.content.decode()
        return len(queries)

    assert preview_queries(200, "091") == preview_queries(10, "090")


def test_abandoned_uploads_are_swept_after_a_day(client, users):
    import os
    import time

    from django.core.files.base import ContentFile

    abandoned = default_storage.save(f"{STORAGE_DIR}/bo-quen.xlsx", ContentFile(b"PK\x03\x04"))
    recent = default_storage.save(f"{STORAGE_DIR}/dang-xem.xlsx", ContentFile(b"PK\x03\x04"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(abandoned), (two_days_ago, two_days_ago))
    login(client, users["admin"])
    upload = xlsx_file([["X1", "Ấp", "thon-ap", "BTU"]], headers=UNIT_HEADERS, sheet="Đơn vị")
    client.post(reverse("org_import_upload", args=["units"]), {"file": upload})
    assert not default_storage.exists(abandoned)
    assert default_storage.exists(recent)
