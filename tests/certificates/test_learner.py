"""“Chứng nhận của tôi”: my certificates only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates.api import certificates_for_person
from certificates.services import certificate_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(world, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
        b = certificate_issue(person_id=world.person_b.pk, course_id=course.pk)
    return a, b


def test_learner_lists_and_downloads_own_certificates(client, world, mine):
    a, b = mine
    client.force_login(world.person_a.user)
    page = client.get(reverse("certificates:mine"))
    body = page.content.decode()
    assert page.status_code == 200 and "Chứng nhận của tôi" in body
    assert a.serial in body and b.serial not in body
    download = client.get(reverse("certificates:download", args=[a.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_another_learners_certificate_is_not_found(client, world, mine):
    _a, b = mine
    client.force_login(world.person_a.user)
    assert client.get(reverse("certificates:download", args=[b.pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, mine):
    response = client.get(reverse("certificates:mine"))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_my_certificates_query_count(client, world, course, mine, django_assert_max_num_queries):
    client.force_login(world.person_a.user)
    client.get(reverse("certificates:mine"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("certificates:mine")).status_code == 200


def test_api_lists_a_persons_certificates(world, mine):
    assert [c.pk for c in certificates_for_person(person=world.person_a)] == [mine[0].pk]
    assert list(certificates_for_person(person=None)) == []
