"""Public quizzes: citizens without an account, one counted attempt per phone, rate-limited per IP."""

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from assessments.models import Attempt, PublicEntrant
from assessments.services import PHONE_ALREADY_USED, TOO_MANY_REQUESTS, phone_normalise


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_quiz(make_quiz, questions):
    return make_quiz(
        [questions["single"], questions["truefalse"]],
        is_public=True,
        review_answers="never",
        review_explanations="never",
    )


def register(client, quiz, phone="0912 345 678", name="Trần Thị Dân"):
    url = reverse("assessments:public_register", args=[quiz.pk])
    return client.post(url, {"full_name": name, "phone": phone, "locality": "Xã Bắc Tân Uyên"})


def test_citizen_takes_a_public_quiz_without_an_account(public_quiz):
    client = Client()
    assert client.get(reverse("assessments:quiz_intro", args=[public_quiz.pk])).status_code == 200
    response = register(client, public_quiz)
    entrant = PublicEntrant.objects.get()
    attempt = Attempt.objects.get(public_entrant=entrant)
    assert entrant.phone == "0912345678" and attempt.person is None
    assert response["Location"] == reverse("assessments:attempt", args=[attempt.pk])
    assert client.get(response["Location"]).status_code == 200
    # Another browser cannot open it.
    assert Client().get(response["Location"]).status_code == 404


def test_one_counted_attempt_per_phone_number(public_quiz):
    register(Client(), public_quiz, phone="0912345678")
    response = register(Client(), public_quiz, phone="+84 912 345 678")
    assert str(PHONE_ALREADY_USED) in response.content.decode()
    assert Attempt.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicEntrant.objects.create(quiz=public_quiz, full_name="X", phone="0912345678")


def test_same_browser_returns_to_its_attempt(public_quiz):
    client = Client()
    first = register(client, public_quiz)
    again = client.get(reverse("assessments:public_register", args=[public_quiz.pk]))
    assert again["Location"] == first["Location"]


def test_registrations_are_rate_limited_per_ip(public_quiz, settings):
    settings.ASSESSMENTS_PUBLIC_RATE_PER_HOUR = 3
    client = Client(REMOTE_ADDR="10.1.2.3")
    codes = [
        register(Client(REMOTE_ADDR="10.1.2.3"), public_quiz, phone=f"09100000{i:02d}").status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 302]
    response = register(client, public_quiz, phone="0910000099")
    assert response.status_code == 429 and str(TOO_MANY_REQUESTS) in response.content.decode()
    assert (
        register(Client(REMOTE_ADDR="10.9.9.9"), public_quiz, phone="0910000098").status_code == 302
    )


def test_non_public_quiz_has_no_registration(quiz):
    assert Client().get(reverse("assessments:public_register", args=[quiz.pk])).status_code == 404


@pytest.mark.parametrize(
    "raw,expected",
    [("0912.345.678", "0912345678"), ("+84912345678", "0912345678"), ("84912345678", "0912345678")],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert phone_normalise(raw) == expected


def test_rate_limit_uses_the_proxy_header_when_configured(public_quiz, settings):
    settings.ASSESSMENTS_PUBLIC_RATE_PER_HOUR = 1
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    proxy = "127.0.0.1"
    assert (
        register(
            Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP="10.0.0.1"), public_quiz, phone="0910000001"
        ).status_code
        == 302
    )
    assert (
        register(
            Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP="10.0.0.2"), public_quiz, phone="0910000002"
        ).status_code
        == 302
    )
    assert (
        register(
            Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP="10.0.0.2"), public_quiz, phone="0910000003"
        ).status_code
        == 429
    )
