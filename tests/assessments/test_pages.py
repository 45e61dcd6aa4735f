"""Learner pages and JSON endpoints: ownership, CSRF, no answer-key leaks, review options, query counts."""

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, AttemptChoice, AttemptQuestion
from assessments.services import ATTEMPT_CLOSED, attempt_submit
from tests.assessments.conftest import SECRET_MARKERS, add_choices, make_question
from tests.factories import PersonFactory


def csrf_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def save(client, attempt, aq_id, answer, seq, token):
    return client.post(
        reverse("assessments:attempt_save", args=[attempt.pk]),
        data=json.dumps({"question": aq_id, "answer": answer, "seq": seq}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )


def first_option(aq):
    return (
        AttemptChoice.objects.filter(attempt_question=aq, is_prompt=False)
        .order_by("position")
        .first()
        .pk
    )


@pytest.fixture
def open_attempt(quiz, start):
    return start(quiz)


@pytest.fixture
def page(learner_client, open_attempt):
    response = learner_client.get(reverse("assessments:attempt", args=[open_attempt.pk]))
    assert response.status_code == 200
    return response


def test_quiz_intro_requires_login_for_non_public_quizzes(quiz):
    response = Client().get(reverse("assessments:quiz_intro", args=[quiz.pk]))
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]


def test_intro_then_start_opens_the_attempt_page(learner_client, quiz):
    intro = learner_client.get(reverse("assessments:quiz_intro", args=[quiz.pk]))
    assert "Bắt đầu làm bài" in intro.content.decode()
    response = learner_client.post(
        reverse("assessments:attempt_start", args=[quiz.pk]),
        {"csrfmiddlewaretoken": csrf_of(intro.content.decode())},
    )
    attempt = Attempt.objects.get(quiz=quiz)
    assert response["Location"] == reverse("assessments:attempt", args=[attempt.pk])
    html = learner_client.get(response["Location"]).content.decode()
    assert html.count('class="question card"') == 7
    assert 'src="/static/assessments/attempt.js"' in html
    assert "<script>" not in html  # CSP: no inline script


def test_nothing_secret_reaches_the_browser_during_the_attempt(learner_client, open_attempt, page):
    bodies = [page.content.decode()]
    token = csrf_of(bodies[0])
    for aq in AttemptQuestion.objects.filter(attempt=open_attempt):
        if aq.snapshot["qtype"] in ("single", "truefalse"):
            bodies.append(
                save(
                    learner_client, open_attempt, aq.pk, first_option(aq), 1, token
                ).content.decode()
            )
        elif aq.snapshot["qtype"] == "shortanswer":
            bodies.append(
                save(learner_client, open_attempt, aq.pk, "hội nghị", 1, token).content.decode()
            )
    bodies.append(
        learner_client.get(
            reverse("assessments:attempt_status", args=[open_attempt.pk])
        ).content.decode()
    )
    bodies.append(
        learner_client.get(reverse("assessments:attempt", args=[open_attempt.pk])).content.decode()
    )
    for body in bodies:
        for marker in SECRET_MARKERS:
            assert marker not in body
        for word in ("fraction", "correct", "explanation", "feedback", "tolerance", "Điều 3"):
            assert word not in body
    # the values sent for options are the attempt's own option ids, not bank choice ids
    html = bodies[0]
    single = AttemptQuestion.objects.get(attempt=open_attempt, snapshot__qtype="single")
    for option in AttemptChoice.objects.filter(attempt_question=single):
        assert f'value="{option.pk}"' in html


def test_save_requires_the_csrf_token(learner_client, open_attempt, page):
    aq = AttemptQuestion.objects.filter(attempt=open_attempt).first()
    response = save(learner_client, open_attempt, aq.pk, None, 1, "wrong-token")
    assert response.status_code == 403


def test_another_learner_cannot_see_or_save_into_my_attempt(open_attempt):
    other = Client()
    other.force_login(PersonFactory().user)
    assert other.get(reverse("assessments:attempt", args=[open_attempt.pk])).status_code == 404
    aq = AttemptQuestion.objects.filter(attempt=open_attempt).first()
    response = other.post(
        reverse("assessments:attempt_save", args=[open_attempt.pk]),
        data=json.dumps({"question": aq.pk, "answer": None, "seq": 1}),
        content_type="application/json",
    )
    assert response.status_code == 404


def test_stale_save_is_acknowledged_without_overwriting(learner_client, open_attempt, page):
    token = csrf_of(page.content.decode())
    aq = AttemptQuestion.objects.get(attempt=open_attempt, snapshot__qtype="shortanswer")
    assert save(learner_client, open_attempt, aq.pk, "mới", 5, token).json() == {
        "ok": True,
        "stored": True,
        "seq": 5,
        "server_now": pytest.approx(0, abs=10**13),
    }
    late = save(learner_client, open_attempt, aq.pk, "cũ", 4, token).json()
    assert late["ok"] and not late["stored"] and late["seq"] == 5
    assert aq.response.__class__.objects.get(attempt_question=aq).answer == "mới"


def test_save_after_deadline_and_grace_gets_409_with_a_vietnamese_message(
    learner_client, open_attempt, page, settings
):
    settings.ASSESSMENTS_GRACE_SECONDS = 30
    token = csrf_of(page.content.decode())
    Attempt.objects.filter(pk=open_attempt.pk).update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    aq = AttemptQuestion.objects.get(attempt=open_attempt, snapshot__qtype="shortanswer")
    response = save(learner_client, open_attempt, aq.pk, "trễ", 1, token)
    assert response.status_code == 409
    assert response.json()["error"] == str(ATTEMPT_CLOSED)


def test_malformed_answer_is_rejected(learner_client, open_attempt, page):
    token = csrf_of(page.content.decode())
    aq = AttemptQuestion.objects.get(attempt=open_attempt, snapshot__qtype="single")
    assert save(learner_client, open_attempt, aq.pk, 123456789, 1, token).status_code == 400


def test_submit_then_result_shows_what_review_options_allow(
    learner_client, make_quiz, questions, learner, start
):
    hidden = make_quiz(
        [questions["single"]],
        review_score="immediately",
        review_answers="never",
        review_explanations="never",
    )
    attempt = start(hidden)
    page = learner_client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    response = learner_client.post(
        reverse("assessments:attempt_submit", args=[attempt.pk]),
        {"csrfmiddlewaretoken": csrf_of(page)},
    )
    assert response["Location"] == reverse("assessments:attempt_result", args=[attempt.pk])
    html = learner_client.get(response["Location"]).content.decode()
    assert "Điểm" in html and "0/1" in html
    assert "Đáp án đúng" not in html and "BÍ-MẬT-GIẢI-THÍCH" not in html


def test_result_shows_answers_and_explanations_immediately_when_allowed(
    learner_client, quiz, start
):
    attempt = start(quiz)
    attempt_submit(attempt_id=attempt.pk)
    html = learner_client.get(
        reverse("assessments:attempt_result", args=[attempt.pk])
    ).content.decode()
    assert "Đáp án đúng" in html and "BÍ-MẬT-GIẢI-THÍCH" in html and "10/2022/QH15" in html


def test_after_close_review_waits_for_the_close_time(learner_client, make_quiz, questions, start):
    close = timezone.now() + dt.timedelta(hours=1)
    q = make_quiz(
        [questions["single"]],
        close_at=close,
        review_score="after_close",
        review_answers="after_close",
        review_explanations="after_close",
    )
    attempt = start(q)
    attempt_submit(attempt_id=attempt.pk)
    url = reverse("assessments:attempt_result", args=[attempt.pk])
    assert "Đáp án đúng" not in learner_client.get(url).content.decode()
    type(q).objects.filter(pk=q.pk).update(
        open_at=None, close_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert "Đáp án đúng" in learner_client.get(url).content.decode()


def test_opening_an_expired_attempt_closes_it_with_saved_answers(learner_client, open_attempt):
    Attempt.objects.filter(pk=open_attempt.pk).update(
        deadline=timezone.now() - dt.timedelta(hours=1)
    )
    response = learner_client.get(reverse("assessments:attempt", args=[open_attempt.pk]))
    assert response["Location"] == reverse("assessments:attempt_result", args=[open_attempt.pk])
    open_attempt.refresh_from_db()
    assert open_attempt.state == "submitted" and open_attempt.auto_submitted


# --- query counts: constant in the number of questions -------------------------------------------------


def _quiz_of(make_quiz, bank, category, n):
    qs = [
        add_choices(make_question(bank, category, "single", f"Câu {i}"), [("A", 1), ("B", 0)])
        for i in range(n)
    ]
    return make_quiz(qs, review_answers="immediately", review_explanations="immediately")


def _count_queries(func):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def _journey_counts(quiz, client, start):
    holder = {}
    counts = {
        "intro": _count_queries(
            lambda: holder.setdefault(
                "intro", client.get(reverse("assessments:quiz_intro", args=[quiz.pk]))
            )
        )
    }
    counts["start"] = _count_queries(
        lambda: client.post(
            reverse("assessments:attempt_start", args=[quiz.pk]),
            {"csrfmiddlewaretoken": csrf_of(holder["intro"].content.decode())},
        )
    )
    attempt = Attempt.objects.get(quiz=quiz)
    counts["page"] = _count_queries(
        lambda: holder.setdefault(
            "page", client.get(reverse("assessments:attempt", args=[attempt.pk]))
        )
    )
    token = csrf_of(holder["page"].content.decode())
    aq = AttemptQuestion.objects.filter(attempt=attempt).first()
    option = first_option(aq)
    counts["save"] = _count_queries(lambda: save(client, attempt, aq.pk, option, 1, token))
    counts["submit"] = _count_queries(
        lambda: client.post(
            reverse("assessments:attempt_submit", args=[attempt.pk]), {"csrfmiddlewaretoken": token}
        )
    )
    counts["result"] = _count_queries(
        lambda: client.get(reverse("assessments:attempt_result", args=[attempt.pk]))
    )
    return counts


def test_query_counts_are_constant_in_the_number_of_questions(
    make_quiz, bank, categories, learner_client, start
):
    small = _journey_counts(_quiz_of(make_quiz, bank, categories[0], 2), learner_client, start)
    large = _journey_counts(_quiz_of(make_quiz, bank, categories[0], 20), learner_client, start)
    assert small == large
    # With the test settings' database sessions; production keeps sessions in Redis (one query
    # less each). start: user, quiz, person, the person's attempts, then (savepoint) insert
    # the attempt, read slots, the fixed questions' status, questions, choices, legal tags
    # (pairs only when a matching question is drawn), bulk-insert questions,
    # options, responses. page: user, attempt + quiz, questions + responses, options (its nav
    # leaves out the notification badge and the staff link). save: user, attempt, question type
    # + options, one conditional UPDATE.
    assert large == {"intro": 7, "start": 16, "page": 5, "save": 5, "submit": 10, "result": 7}


def test_question_html_is_sanitised_on_the_attempt_page(
    learner_client, bank, categories, make_quiz, start
):
    q = add_choices(
        make_question(bank, categories[0], "single", "XSS"),
        [("<b>A</b><script>alert(2)</script>", 1), ("B", 0)],
    )
    q.text = '<p>Nội dung</p><script>alert(1)</script><img src="x" onerror="alert(1)">'
    q.save()
    attempt = start(make_quiz([q]))
    html = learner_client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert "<p>Nội dung</p>" in html and "<b>A</b>" in html
    assert "<script>alert" not in html and "onerror" not in html
