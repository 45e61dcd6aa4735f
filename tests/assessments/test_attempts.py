"""Attempts: frozen order, per-question sequence numbers, server deadline, exactly-once submit, auto-close."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import (
    Attempt,
    AttemptChoice,
    AttemptQuestion,
    Choice,
    Response,
)
from assessments.services import (
    ATTEMPT_CLOSED,
    NO_ATTEMPTS_LEFT,
    AssessmentError,
    AttemptClosed,
    attempt_start,
    attempt_submit,
    attempts_close_expired,
    response_save,
)
from assessments.signals import attempt_graded
from assessments.tasks import attempts_close_expired as attempts_close_expired_task


def aq_of(attempt, qtype):
    return AttemptQuestion.objects.get(attempt=attempt, snapshot__qtype=qtype)


def option_for(aq, text):
    ids = {c["id"] for c in aq.snapshot["choices"] if c["text"] == text}
    return AttemptChoice.objects.get(attempt_question=aq, source_id__in=ids, is_prompt=False).pk


@pytest.fixture
def graded_events():
    events = []

    def receiver(sender, **kwargs):
        events.append(kwargs)

    attempt_graded.connect(receiver)
    yield events
    attempt_graded.disconnect(receiver)


def test_question_and_choice_order_is_frozen_as_rows(quiz, start):
    attempt = start(quiz)
    again = start(quiz)  # resuming gives the same attempt, same order
    assert again.pk == attempt.pk
    aqs = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("position"))
    assert [aq.position for aq in aqs] == list(range(1, 8))
    single = aq_of(attempt, "single")
    assert AttemptChoice.objects.filter(attempt_question=single).count() == 3
    assert Response.objects.filter(attempt_question__attempt=attempt).count() == 7


def test_editing_a_question_does_not_change_an_attempt_in_progress(quiz, start, questions):
    attempt = start(quiz)
    aq = aq_of(attempt, "single")
    right = option_for(aq, "Đúng là A")
    # The trainer flips the key and rewrites the text while the learner is answering.
    Choice.objects.filter(question=questions["single"], text="Đúng là A").update(
        fraction=0, text="Đã sửa"
    )
    questions["single"].text = "Nội dung mới"
    questions["single"].save()
    response_save(attempt=attempt, attempt_question_id=aq.pk, answer=right, seq=1)
    attempt_submit(attempt_id=attempt.pk)
    aq.refresh_from_db()
    assert aq.fraction == 1
    assert "Nội dung mới" not in aq.snapshot["text"]


def test_one_open_attempt_per_person_and_quiz_is_a_database_constraint(quiz, start, learner):
    start(quiz)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(quiz=quiz, person=learner, number=2)


def test_stale_or_duplicate_save_never_overwrites_a_newer_answer(quiz, start):
    attempt = start(quiz)
    aq = aq_of(attempt, "single")
    a, b = option_for(aq, "Đúng là A"), option_for(aq, "Sai B")
    assert response_save(attempt=attempt, attempt_question_id=aq.pk, answer=a, seq=2).stored
    stale = response_save(attempt=attempt, attempt_question_id=aq.pk, answer=b, seq=1)
    duplicate = response_save(attempt=attempt, attempt_question_id=aq.pk, answer=b, seq=2)
    assert not stale.stored and not duplicate.stored and stale.seq == 2
    response = Response.objects.get(attempt_question=aq)
    assert (response.answer, response.seq) == (a, 2)
    assert response_save(attempt=attempt, attempt_question_id=aq.pk, answer=b, seq=3).stored
    assert Response.objects.get(attempt_question=aq).answer == b


def test_save_is_one_conditional_update(quiz, start, django_assert_num_queries):
    attempt = start(quiz)
    aq = aq_of(attempt, "multiple")
    # load the question's type with its options (one query), one UPDATE ... WHERE seq < new_seq
    with django_assert_num_queries(2):
        response_save(attempt=attempt, attempt_question_id=aq.pk, answer=[], seq=1)


def test_saves_after_deadline_plus_grace_are_refused_and_not_graded(quiz, start, settings):
    settings.ASSESSMENTS_GRACE_SECONDS = 30
    attempt = start(quiz)
    aq = aq_of(attempt, "single")
    right = option_for(aq, "Đúng là A")
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(seconds=10))
    attempt.refresh_from_db()
    # within the grace period: accepted (the answer was in flight when time ran out)
    assert response_save(attempt=attempt, attempt_question_id=aq.pk, answer=right, seq=1).stored
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(seconds=31))
    attempt.refresh_from_db()
    wrong = option_for(aq, "Sai B")
    with pytest.raises(AttemptClosed) as exc:
        response_save(attempt=attempt, attempt_question_id=aq.pk, answer=wrong, seq=2)
    assert exc.value.message == ATTEMPT_CLOSED
    attempt_submit(attempt_id=attempt.pk)
    aq.refresh_from_db()
    assert aq.fraction == 1  # the refused late answer was not graded


def test_deadline_is_capped_by_the_quiz_close_time(make_quiz, questions, start):
    close = timezone.now() + dt.timedelta(minutes=5)
    quiz = make_quiz(
        [questions["single"]],
        time_limit=3600,
        close_at=close,
        review_answers="never",
        review_explanations="never",
    )
    attempt = start(quiz)
    assert attempt.deadline == close


def test_repeated_submits_grade_once_and_announce_once(
    quiz, start, graded_events, django_capture_on_commit_callbacks
):
    attempt = start(quiz)
    aq = aq_of(attempt, "truefalse")
    response_save(attempt=attempt, attempt_question_id=aq.pk, answer=option_for(aq, "Đúng"), seq=1)
    with django_capture_on_commit_callbacks(execute=True):
        results = [attempt_submit(attempt_id=attempt.pk) for _ in range(10)]
    assert results.count(True) == 1
    assert len(graded_events) == 1
    event = graded_events[0]
    assert event["attempt_id"] == attempt.pk and event["quiz_id"] == quiz.pk
    attempt.refresh_from_db()
    assert (
        attempt.state == "submitted"
        and attempt.score == Decimal("1.000")
        and attempt.max_score == 7
    )
    assert event["score"] == attempt.score and event["passed"] is False


@pytest.mark.django_db(transaction=True)
def test_submit_is_exactly_once_when_committed_in_separate_transactions(
    make_quiz, bank, categories, learner, graded_events
):
    from tests.assessments.conftest import add_choices, make_question

    q = add_choices(make_question(bank, categories[0], "single", "Câu 1"), [("A", 1), ("B", 0)])
    quiz = make_quiz([q], review_answers="never", review_explanations="never")
    attempt = attempt_start(quiz=quiz, person=learner)
    outcomes = []
    for _ in range(5):
        with transaction.atomic():
            outcomes.append(attempt_submit(attempt_id=attempt.pk))
    assert outcomes == [True, False, False, False, False]
    assert len(graded_events) == 1  # sent on commit, once


def test_close_expired_task_grades_with_saved_answers_and_is_idempotent(
    quiz, start, graded_events, django_capture_on_commit_callbacks, settings
):
    settings.ASSESSMENTS_GRACE_SECONDS = 30
    attempt = start(quiz)
    aq = aq_of(attempt, "single")
    response_save(
        attempt=attempt, attempt_question_id=aq.pk, answer=option_for(aq, "Đúng là A"), seq=1
    )
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(seconds=5))
    assert attempts_close_expired() == 0  # still inside the grace period
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert attempts_close_expired_task.delay().get() == 1
        assert attempts_close_expired() == 0
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.auto_submitted
    assert attempt.score == 1
    assert len(graded_events) == 1


def test_attempts_allowed_is_enforced_and_numbers_attempts(make_quiz, questions, start):
    quiz = make_quiz(
        [questions["single"]],
        attempts_allowed=2,
        review_answers="never",
        review_explanations="never",
    )
    first = start(quiz)
    attempt_submit(attempt_id=first.pk)
    second = start(quiz)
    assert second.number == 2
    attempt_submit(attempt_id=second.pk)
    with pytest.raises(AssessmentError) as exc:
        start(quiz)
    assert exc.value.message == NO_ATTEMPTS_LEFT


def test_starting_a_closed_quiz_is_refused(make_quiz, questions, start):
    quiz = make_quiz(
        [questions["single"]],
        open_at=timezone.now() + dt.timedelta(days=1),
        review_answers="never",
        review_explanations="never",
    )
    with pytest.raises(AssessmentError):
        start(quiz)


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_submits_give_one_graded_attempt_and_one_event(
    make_quiz, bank, categories, learner, graded_events
):
    """Real threads. On PostgreSQL the row lock serialises the conditional UPDATEs; on SQLite the shared
    in-memory database refuses concurrent writers, so a thread retries when its write is locked out."""
    import threading
    import time

    from django.db import OperationalError, connection

    from tests.assessments.conftest import add_choices, make_question

    q = add_choices(make_question(bank, categories[0], "single", "Câu 1"), [("A", 1), ("B", 0)])
    quiz = make_quiz([q], review_answers="never", review_explanations="never")
    attempt = attempt_start(quiz=quiz, person=learner)
    barrier = threading.Barrier(10)
    results, errors = [], []

    def submit():
        try:
            barrier.wait()
            for _ in range(200):
                try:
                    results.append(attempt_submit(attempt_id=attempt.pk))
                    return
                except OperationalError:
                    time.sleep(0.01)
            errors.append("locked")
        except Exception as exc:  # surface in the main thread
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [False] * 9 + [True]
    assert len(graded_events) == 1
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.graded_at is not None


def test_expired_attempts_are_closed_every_minute_by_celery_beat(settings):
    from lms.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["assessments-close-expired-attempts"]
    assert entry["task"] == "assessments.tasks.attempts_close_expired" and entry["schedule"] == 60.0
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
