"""Logging in: by username, email or phone, landing per role, one login page, lock-out."""

import unicodedata

import pytest
from django.urls import reverse

from lms.accounts.forms import MSG_INVALID_LOGIN
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = factories.DEFAULT_PASSWORD
LOGIN = "/tai-khoan/dang-nhap/"


@pytest.fixture
def world(tree, groups):
    return factories.staff_world(tree, groups)


@pytest.fixture
def learner(world):
    user = world.learner
    user.username = "nguyenvanan"
    user.email = "an.nguyen@example.vn"
    user.save()
    return user


def _login(client, identifier, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": identifier, "password": password, **extra})


@pytest.mark.parametrize(
    "identifier",
    [
        "nguyenvanan",
        "NguyenVanAn",
        "  nguyenvanan ",
        "an.nguyen@example.vn",
        "AN.NGUYEN@example.vn",
        "0912000001",
        "0912 000 001",
        "+84 912 000 001",
        "+84912000001",
        "84912000001",
        "091.200.0001",
    ],
)
def test_learner_logs_in_with_username_email_or_phone(client, learner, identifier):
    response = _login(client, identifier)
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_login_with_email_only_on_person_record(client, learner):
    learner.email = ""
    learner.save()
    person = learner.person
    person.email = "an@xa.gov.vn"
    person.save()
    assert _login(client, "An@Xa.gov.vn").status_code == 302


def test_login_with_decomposed_unicode_username(client, learner):
    learner.username = "trưởngấp"
    learner.save()
    assert _login(client, unicodedata.normalize("NFD", "trưởngấp")).status_code == 302


def test_wrong_password_shows_vietnamese_message(client, learner):
    response = _login(client, "0912000001", "sai-mat-khau")
    assert response.status_code == 200
    assert str(MSG_INVALID_LOGIN) in response.content.decode()
    assert response.context["form"]["username"].value() == "0912000001"


def test_inactive_account_cannot_log_in(client, learner):
    learner.is_active = False
    learner.save()
    assert _login(client, "nguyenvanan").status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("who", "landing"),
    [
        ("learner", "/hoc-tap/"),
        ("trainer", "/admin/"),
        ("manager_a", "/admin/"),
        ("admin_a", "/admin/"),
        ("admin", "/admin/"),
    ],
)
def test_each_role_lands_where_it_works(client, world, who, landing):
    user = getattr(world, who)
    response = _login(client, user.username)
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"] == landing


def test_admin_login_page_redirects_to_the_one_login_page(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/pages/"
    anonymous = client.get("/admin/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(LOGIN)


def test_learner_sent_to_admin_does_not_loop(client, world):
    client.force_login(world.learner)
    response = client.get(f"{LOGIN}?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")


def test_staff_login_follows_next_to_admin(client, world):
    response = _login(client, world.manager_a.username, next="/admin/to-chuc/nguoi/")
    assert response["Location"] == "/admin/to-chuc/nguoi/"


def test_login_next_cannot_leave_the_site(client, learner):
    response = _login(client, "nguyenvanan", next="https://evil.example/")
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
