"""Citizens ask questions: stored for review (never shown directly), honeypot, rate limit."""

from __future__ import annotations

import time

import pytest

from cms.consultations.forms import form_token
from cms.public.models import SubmittedQuestion
from cms.public.services import RATE_LIMIT_COUNT

pytestmark = pytest.mark.django_db


def question_data(index, **extra):
    data = {
        "name": "Lê Văn Tâm",
        "locality": "Ấp 2, xã Bắc Tân Uyên",
        "contact": "0912 345 678",
        "body": "Hương ước của ấp có được quy định mức phạt tiền không?",
        "website": "",
        "token": form_token(page_id=index.pk, now=time.time() - 60),
    }
    data.update(extra)
    return data


def test_a_question_is_kept_for_review_and_not_published(client, public_site):
    index = public_site.qa_index
    response = client.post(index.url, question_data(index, topic=public_site.topic.pk))
    assert response.status_code == 302
    question = SubmittedQuestion.objects.get()
    assert question.status == SubmittedQuestion.Status.PENDING
    assert question.contact == "0912345678" and question.topic == public_site.topic
    assert "mức phạt tiền" not in client.get(index.url).content.decode()


def test_honeypot_and_too_fast_submissions_are_refused(client, public_site):
    index = public_site.qa_index
    client.post(index.url, question_data(index, website="http://spam.example"))
    client.post(index.url, question_data(index, token=form_token(page_id=index.pk)))
    assert not SubmittedQuestion.objects.exists()


def test_missing_fields_keep_what_was_typed(client, public_site):
    index = public_site.qa_index
    response = client.post(index.url, question_data(index, locality="", body="Câu hỏi còn dở"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hãy ghi ấp, khu phố hoặc xã, phường" in html and "Câu hỏi còn dở" in html


def test_rate_limited_per_address(client, public_site):
    index = public_site.qa_index
    for _ in range(RATE_LIMIT_COUNT + 1):
        client.post(index.url, question_data(index))
    assert SubmittedQuestion.objects.count() == RATE_LIMIT_COUNT
