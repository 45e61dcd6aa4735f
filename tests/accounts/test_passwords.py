"""Forced password change, reset by email (account or person email), reset by a manager."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from lms.accounts.admin_views import MSG_STAFF_TARGET
from lms.accounts.models import PasswordResetRecord
from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Mat-khau-moi-an-toan-2026"


@pytest.fixture
def world(tree, groups):
    return factories.staff_world(tree, groups)


def _flag(user):
    user.must_change_password = True
    user.save()
    return user


@pytest.mark.parametrize(
    "path", ["/hoc-tap/", "/admin/", "/admin/to-chuc/nguoi/", "/django-admin/"]
)
def test_flagged_user_is_sent_to_change_password_everywhere(client, world, path):
    client.force_login(_flag(world.manager_a))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:password_change"))


def test_flagged_api_call_gets_json_403(client, world):
    client.force_login(_flag(world.manager_a))
    response = client.get("/api/org/units")
    assert response.status_code == 403
    assert "đổi mật khẩu" in response.json()["detail"]


def test_changing_password_clears_flag_and_returns_to_admin(client, world):
    user = _flag(world.manager_a)
    client.force_login(user)
    page = client.get("/admin/to-chuc/nguoi/")
    change_url = page["Location"]
    assert client.get(change_url).status_code == 200
    response = client.post(
        change_url,
        {
            "old_password": factories.DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/to-chuc/nguoi/"
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get("/admin/to-chuc/nguoi/").status_code == 200


def test_logout_still_works_while_flagged(client, world):
    client.force_login(_flag(world.learner))
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def _reset_link(message) -> str:
    return re.search(r"https?://[^/]+(/tai-khoan/dat-lai-mat-khau/\S+/)", message.body).group(1)


def test_password_reset_by_account_email(client, world):
    user = world.learner
    user.email = "an@example.vn"
    user.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "AN@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@example.vn"]
    _complete_reset(client, mail.outbox[0], user)


def test_password_reset_by_email_on_person_record(client, world):
    user = _flag(world.learner)
    person = user.person
    person.email = "an@xa.gov.vn"
    person.save()
    client.post(reverse("accounts:password_reset"), {"email": "an@xa.gov.vn"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["an@xa.gov.vn"]
    _complete_reset(client, mail.outbox[0], user)
    user.refresh_from_db()
    assert not user.must_change_password


def test_password_reset_unknown_email_sends_nothing_but_says_the_same(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "ai@example.vn"})
    assert response.status_code == 302
    assert mail.outbox == []


def _complete_reset(client, message, user):
    link = _reset_link(message)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert (
        client.post(
            "/tai-khoan/dang-nhap/", {"username": user.username, "password": NEW_PASSWORD}
        ).status_code
        == 302
    )


def _reset_url(person):
    return reverse("accounts_admin:reset_password", args=[person.pk])


def test_manager_resets_learner_password_shown_once_and_audited(client, world):
    client.force_login(world.manager_a)
    assert client.get(_reset_url(world.person_a)).status_code == 200
    response = client.post(_reset_url(world.person_a))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    temporary = response.context["result"].password
    assert temporary in response.content.decode()
    record = PasswordResetRecord.objects.get()
    assert (record.user, record.actor) == (world.learner, world.manager_a)
    user = get_user_model().objects.get(pk=world.learner.pk)
    assert user.must_change_password and user.check_password(temporary)
    client.logout()
    login = client.post("/tai-khoan/dang-nhap/", {"username": "0912000001", "password": temporary})
    assert login.status_code == 302
    assert client.get("/hoc-tap/")["Location"].startswith(reverse("accounts:password_change"))


def test_reset_creates_account_for_person_without_one(client, world, tree, groups):
    person = factories.PersonFactory(full_name="Lý Văn Tám", phone="0988777666", user=None)
    factories.PositionFactory(person=person, unit=tree.hamlet_a1, target_group=groups.official)
    client.force_login(world.manager_a)
    response = client.post(_reset_url(person))
    result = response.context["result"]
    assert result.account_created and result.user.username == "0988777666"
    person.refresh_from_db()
    assert person.user == result.user and result.user.must_change_password


def test_sibling_manager_cannot_reset_outside_subtree(client, world):
    client.force_login(world.manager_b)
    assert client.get(_reset_url(world.person_a)).status_code == 404
    assert client.post(_reset_url(world.person_a)).status_code == 404
    assert not PasswordResetRecord.objects.exists()


def test_manager_cannot_reset_a_staff_members_password(client, world, tree, groups):
    # The scoped admin of commune A is also a person in commune A.
    person = factories.PersonFactory(full_name="Quản Trị Xã", user=world.admin_a)
    factories.PositionFactory(person=person, unit=tree.commune_a, target_group=groups.official)
    client.force_login(world.manager_a)
    page = client.get(_reset_url(person))
    assert str(MSG_STAFF_TARGET) in page.content.decode()
    assert client.post(_reset_url(person)).status_code in (302, 403)
    assert not PasswordResetRecord.objects.exists()
    client.force_login(world.admin)
    assert client.post(_reset_url(person)).status_code == 200


def test_learner_and_trainer_cannot_reset(client, world):
    for user in (world.learner, world.trainer):
        client.force_login(user)
        assert client.get(_reset_url(world.person_a)).status_code in (302, 403)
        response = client.post(_reset_url(world.person_a))
        assert response.status_code in (302, 403)
        assert "result" not in (response.context or {})
    assert not PasswordResetRecord.objects.exists()


def test_wagtail_account_page_still_works_once_password_is_changed(client, world):
    client.force_login(world.admin)
    assert client.get("/admin/account/").status_code == 200
    flagged = _flag(world.admin)
    client.force_login(flagged)
    assert client.get("/admin/account/")["Location"].startswith(reverse("accounts:password_change"))
