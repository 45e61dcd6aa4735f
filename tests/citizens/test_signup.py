"""“Đăng ký tài khoản người dân”: validation, duplicates, honeypot, rate limit, login."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from lms.accounts.models import CitizenProfile
from lms.org.models import Person, PositionAssignment
from tests import factories

from .conftest import PASSWORD, SIGNUP, signup_data

pytestmark = pytest.mark.django_db


def test_sign_up_creates_a_citizen_without_position_and_logs_in(client, tree):
    response = client.post(
        SIGNUP,
        signup_data(
            full_name="  lê   Thị Hoa ",
            phone="+84 987 654 321",
            email="Hoa@Example.VN",
            residence_unit=str(tree.hamlet_a1.pk),
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == "/hoc-tap/"
    person = Person.objects.select_related("user").get(phone="0987654321")
    assert person.full_name == "lê Thị Hoa"
    assert person.email == "hoa@example.vn"
    user = person.user
    assert user.is_citizen and not user.is_staff and not user.is_superuser
    assert user.username == "0987654321"
    assert user.check_password(PASSWORD)
    assert not PositionAssignment.objects.filter(person=person).exists()
    assert CitizenProfile.objects.get(user=user).residence_unit == tree.hamlet_a1
    assert int(client.session["_auth_user_id"]) == user.pk
    dashboard = client.get("/hoc-tap/").content.decode()
    assert "Xin chào lê Thị Hoa" in dashboard


def test_the_form_is_public_and_offers_residence_with_commune_names(client, tree):
    page = client.get(SIGNUP).content.decode()
    assert "Đăng ký tài khoản người dân" in page
    assert "Xã Bắc Tân Uyên — Ấp 1" in page
    # An agency-like board is not a place of residence; the province root is not offered either.
    assert "Ban Thanh tra nhân dân xã Bắc Tân Uyên" not in page
    assert f'value="{tree.city.pk}"' not in page


def test_the_citizen_can_log_in_with_any_spelling_of_the_phone(client, db):
    client.post(SIGNUP, signup_data())
    client.logout()
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": "+84 987 654 321", "password": PASSWORD}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "variant",
    ["0987654321", "+84 987 654 321", "84987654321", "0987.654.321", "０９８７ ６５４ ３２１"],
)
def test_a_phone_already_registered_is_refused_however_it_is_written(client, db, variant):
    assert client.post(SIGNUP, signup_data()).status_code == 302
    client.logout()
    response = client.post(
        SIGNUP, signup_data(full_name="Người Khác", phone=variant, email="khac@example.vn")
    )
    assert response.status_code == 200
    assert "Số điện thoại này đã có tài khoản" in response.content.decode()
    assert Person.objects.count() == 1


def test_an_officials_phone_is_refused_too(client, tree, groups):
    world = factories.staff_world(tree, groups)
    response = client.post(SIGNUP, signup_data(phone=world.person_a.phone))
    assert "Số điện thoại này đã có tài khoản" in response.content.decode()
    assert not get_user_model().objects.filter(is_citizen=True).exists()


def test_an_email_in_use_is_refused_whatever_the_case(client, db):
    factories.UserFactory(username="canbo", email="canbo@example.vn")
    response = client.post(SIGNUP, signup_data(email="CanBo@Example.vn"))
    assert "Thư điện tử này đã được dùng" in response.content.decode()
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc12", "quá ngắn"),
        ("12345678901", "hoàn toàn là số"),
        ("password123", "quá phổ biến"),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(client, db, password, message):
    response = client.post(SIGNUP, signup_data(password1=password, password2=password))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_a_password_like_the_name_is_refused(client, db):
    response = client.post(
        SIGNUP,
        signup_data(
            full_name="Nguyễn Hoàng Long",
            password1="Nguyễn Hoàng Long",
            password2="Nguyễn Hoàng Long",
        ),
    )
    assert "quá giống" in response.content.decode()


def test_mismatched_passwords_keep_the_rest_of_the_input_but_not_the_passwords(client, db):
    response = client.post(
        SIGNUP,
        signup_data(full_name="Trần Văn Nam", email="nam@example.vn", password2="Khac-han-2026"),
    )
    page = response.content.decode()
    assert "Hai lần nhập mật khẩu không khớp nhau." in page
    assert 'value="Trần Văn Nam"' in page
    assert 'value="nam@example.vn"' in page
    assert 'value="0987 654 321"' in page
    assert PASSWORD not in page and "Khac-han-2026" not in page


def test_consent_and_a_valid_phone_are_required(client, db):
    data = signup_data(phone="12345")
    del data["consent"]
    page = client.post(SIGNUP, data).content.decode()
    assert "Bạn cần đồng ý để tạo tài khoản." in page
    assert "Số điện thoại chưa đúng." in page
    assert not Person.objects.exists()


def test_the_honeypot_creates_nothing(client, db):
    response = client.post(SIGNUP, signup_data(website="http://spam.example"))
    assert response.status_code == 400
    assert not Person.objects.exists()
    assert "_auth_user_id" not in client.session


def test_sign_ups_are_rate_limited_per_ip(client, db, settings):
    settings.ACCOUNTS_SIGNUP_RATE_LIMIT = (3, 600)
    for n in range(3):
        data = signup_data(phone=f"098765432{n}", password2="sai")  # invalid, still counted
        assert client.post(SIGNUP, data, REMOTE_ADDR="203.0.113.7").status_code == 200
    limited = client.post(SIGNUP, signup_data(full_name="Đỗ Thị Mai"), REMOTE_ADDR="203.0.113.7")
    assert limited.status_code == 429
    page = limited.content.decode()
    assert "Có quá nhiều lượt đăng ký" in page
    assert 'value="Đỗ Thị Mai"' in page  # what was typed is kept
    assert not Person.objects.exists()
    # Another address is not affected.
    other = client.post(SIGNUP, signup_data(), REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 302


def test_next_is_followed_only_within_the_site(client, db):
    ok = client.post(SIGNUP + "?next=/hoc-tap/khoa-hoc/", signup_data())
    assert ok["Location"] == "/hoc-tap/khoa-hoc/"
    client.logout()
    evil = client.post(SIGNUP, signup_data(phone="0911222333", next="https://evil.example/"))
    assert evil["Location"] == "/hoc-tap/"


def test_a_logged_in_user_is_not_offered_sign_up(client, citizen):
    client.force_login(citizen)
    assert client.get(SIGNUP)["Location"] == "/tai-khoan/"


def test_the_login_page_links_to_sign_up_keeping_next(client, db):
    page = client.get("/tai-khoan/dang-nhap/?next=/hoc-tap/").content.decode()
    assert "/tai-khoan/dang-ky/?next=/hoc-tap/" in page


def test_sign_up_page_queries_do_not_grow_with_the_number_of_hamlets(client, tree, kinds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(SIGNUP).status_code == 200
        return len(ctx.captured_queries)

    client.get(SIGNUP)
    few = count()
    commune = tree.commune_b
    for n in range(10):
        commune.add_child(code=f"TT-X{n}", name=f"Ấp mới {n}", kind=kinds.hamlet)
        commune.refresh_from_db()
    many = count()
    assert many == few <= 5
    assert "Xã Thường Tân — Ấp mới 9" in client.get(SIGNUP).content.decode()
