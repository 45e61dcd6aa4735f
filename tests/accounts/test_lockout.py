"""django-axes locks an account after five failures, however the identifier is spelled."""

import pytest
from axes.models import AccessAttempt

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/tai-khoan/dang-nhap/"
LOCKED_TEXT = "Bạn đã nhập sai thông tin quá nhiều lần"


@pytest.fixture
def learner(tree, groups):
    return factories.staff_world(tree, groups).learner


def _fail(client, identifier):
    return client.post(LOGIN, {"username": identifier, "password": "khong-dung"})


def test_fifth_failure_locks_with_vietnamese_message(client, learner):
    for _ in range(4):
        assert _fail(client, "0912000001").status_code == 200
    locked = _fail(client, "0912000001")
    assert locked.status_code == 429
    assert LOCKED_TEXT in locked.content.decode()
    # Even the right password is refused while locked.
    right = client.post(LOGIN, {"username": "0912000001", "password": factories.DEFAULT_PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_spelling_variants_count_against_the_same_account(client, learner):
    for identifier in (
        "0912000001",
        "+84 912 000 001",
        "84912000001",
        learner.username,
        "0912.000.001",
    ):
        _fail(client, identifier)
    assert AccessAttempt.objects.count() == 1
    assert _fail(client, "0912 000 001").status_code == 429


def test_unknown_identifier_failures_also_lock(client, db):
    for _ in range(5):
        response = _fail(client, "khong-ton-tai")
    assert response.status_code == 429


def test_success_resets_the_failure_count(client, learner):
    for _ in range(4):
        _fail(client, "0912000001")
    ok = client.post(LOGIN, {"username": "0912000001", "password": factories.DEFAULT_PASSWORD})
    assert ok.status_code == 302
    client.logout()
    assert _fail(client, "0912000001").status_code == 200


def test_admin_login_url_is_guarded_too(client, learner):
    # /admin/login/ is a redirect to the one login page, so axes guards every login.
    response = client.post("/admin/login/", {"username": "0912000001", "password": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
