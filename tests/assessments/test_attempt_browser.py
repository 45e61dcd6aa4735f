"""Real browser (Playwright + system Chromium): answers survive a dropped connection; the timer submits."""

import datetime as dt
import shutil

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, AttemptQuestion, Response
from tests.assessments.conftest import add_choices, make_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server, learner, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    client = Client()
    client.force_login(learner.user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
        context.add_cookies(
            [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield context, page
        browser.close()
        assert not errors, errors


@pytest.fixture
def three_question_quiz(bank, categories, make_quiz):
    qs = [
        add_choices(
            make_question(bank, categories[0], "single", f"Câu {i}"), [("Đúng", 1), ("Sai", 0)]
        )
        for i in range(2)
    ]
    qs.append(
        add_choices(
            make_question(bank, categories[0], "shortanswer", "Câu tự luận"), [("hương ước", 1)]
        )
    )
    return make_quiz(
        qs,
        time_limit=600,
        shuffle_questions=False,
        review_answers="immediately",
        review_explanations="immediately",
    )


def choose(page, aq, text):
    page.locator(f"#q{aq.pk} label.option", has_text=text).first.click()


def state_of(page, aq):
    return page.locator(f"#q{aq.pk} .save-state")


def test_no_answer_is_lost_when_the_connection_drops(
    browser_page, live_server, three_question_quiz, start
):
    context, page = browser_page
    attempt = start(three_question_quiz)
    aqs = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("position"))
    page.goto(live_server.url + reverse("assessments:attempt", args=[attempt.pk]))

    choose(page, aqs[0], "Đúng")
    state_of(page, aqs[0]).filter(has_text="Đã lưu").wait_for()

    context.set_offline(True)
    choose(page, aqs[1], "Sai")
    page.fill(f"#in-{aqs[2].pk}", "Hương ước")
    page.locator(f"#in-{aqs[2].pk}").dispatch_event("change")
    state_of(page, aqs[1]).filter(has_text="Chưa lưu — sẽ gửi lại").wait_for()
    state_of(page, aqs[2]).filter(has_text="Chưa lưu — sẽ gửi lại").wait_for()
    pending = page.evaluate(f"window.localStorage.getItem('lms-attempt-{attempt.pk}')")
    assert str(aqs[1].pk) in pending and "Hương ước" in pending
    assert Response.objects.get(attempt_question=aqs[1]).answer is None

    context.set_offline(False)  # the "online" event resends at once
    state_of(page, aqs[1]).filter(has_text="Đã lưu").wait_for(timeout=15000)
    state_of(page, aqs[2]).filter(has_text="Đã lưu").wait_for(timeout=15000)
    assert Response.objects.get(attempt_question=aqs[2]).answer == "Hương ước"
    assert page.evaluate(f"window.localStorage.getItem('lms-attempt-{attempt.pk}')") is None

    # Reloading shows the saved answers from the server.
    page.reload()
    assert page.locator(f"#in-{aqs[2].pk}").input_value() == "Hương ước"
    assert state_of(page, aqs[1]).inner_text() == "Đã lưu"


def test_timer_shows_the_server_deadline_and_submits_at_zero(
    browser_page, live_server, three_question_quiz, start
):
    context, page = browser_page
    attempt = start(three_question_quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + dt.timedelta(seconds=15))
    aq = AttemptQuestion.objects.filter(attempt=attempt).order_by("position").first()
    page.goto(live_server.url + reverse("assessments:attempt", args=[attempt.pk]))
    shown = page.locator("#timer").inner_text()
    minutes, seconds = shown.split(":")
    assert (
        minutes == "0" and 0 < int(seconds) <= 15
    )  # the server's deadline, not the 10-minute time limit
    choose(page, aq, "Đúng")
    page.wait_for_url("**/ket-qua/", timeout=60000)
    attempt.refresh_from_db()
    assert attempt.state == "submitted"
    assert attempt.score == 1
    assert "Kết quả bài làm" in page.content()


def test_attempt_page_fits_a_360px_screen(browser_page, live_server, three_question_quiz, start):
    context, page = browser_page
    attempt = start(three_question_quiz)
    page.goto(live_server.url + reverse("assessments:attempt", args=[attempt.pk]))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
