"""The optional post-session quiz: attendees only, and passing it completes exactly once."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import (
    AttemptChoice,
    Choice,
    Question,
    QuestionBank,
    QuestionCategory,
    Quiz,
    QuizSlot,
)
from assessments.services import attempt_start, attempt_submit, response_save
from lms.training.attendance import attendance_record
from lms.training.models import Assignment, Attendance, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(db):
    bank = QuestionBank.objects.create(name="Sau lớp tập huấn", slug="sau-lop")
    category = QuestionCategory.objects.create(bank=bank, name="Luật 10/2022")
    question = Question.objects.create(
        bank=bank,
        category=category,
        qtype="truefalse",
        name="Nhân dân bàn và quyết định",
        text="<p>Nhân dân bàn và quyết định việc xây dựng hương ước?</p>",
        status="reviewed",
    )
    Choice.objects.create(question=question, text="Đúng", fraction=Decimal("1"), sort_order=0)
    Choice.objects.create(question=question, text="Sai", fraction=Decimal("0"), sort_order=1)
    quiz = Quiz.objects.create(
        bank=bank, title="Kiểm tra sau lớp tập huấn", attempts_allowed=0, pass_percent=Decimal("80")
    )
    QuizSlot.objects.create(quiz=quiz, sort_order=0, kind="fixed", question=question)
    return quiz


def take_quiz(person, quiz, *, correct: bool, capture) -> None:
    """A real attempt through the assessments services; grading announces attempt_graded."""
    attempt = attempt_start(quiz=quiz, person=person)
    aq = attempt.questions.get()
    wanted = "Đúng" if correct else "Sai"
    source = Choice.objects.get(question_id=aq.snapshot["id"], text=wanted)
    option = AttemptChoice.objects.get(attempt_question=aq, source_id=source.pk)
    response_save(attempt=attempt, attempt_question_id=aq.pk, answer=option.pk, seq=1)
    with capture(execute=True):
        assert attempt_submit(attempt_id=attempt.pk)


def with_quiz(session, quiz, *, required: bool):
    session.quiz = quiz
    session.quiz_required = required
    session.save()
    return session


def test_required_quiz_completes_only_after_an_attendee_passes(
    session, quiz, people, roles, django_capture_on_commit_callbacks
):
    with_quiz(session, quiz, required=True)
    attendance_record(session=session, person=people.an, method="roster", actor=roles.trainer)
    assignment = Assignment.objects.get(person=people.an)
    assert assignment.status == "not_started", "attendance alone must wait for the quiz"

    take_quiz(people.an, quiz, correct=False, capture=django_capture_on_commit_callbacks)
    assignment.refresh_from_db()
    assert assignment.status == "not_started"

    take_quiz(people.an, quiz, correct=True, capture=django_capture_on_commit_callbacks)
    assignment.refresh_from_db()
    assert assignment.status == "completed" and assignment.completed_via == "in_person"

    take_quiz(people.an, quiz, correct=True, capture=django_capture_on_commit_callbacks)
    assert AuditEntry.objects.for_object(assignment).filter(action="completed").count() == 1


def test_passing_the_quiz_without_attending_completes_nothing(
    session, quiz, people, django_capture_on_commit_callbacks
):
    with_quiz(session, quiz, required=True)
    take_quiz(people.an, quiz, correct=True, capture=django_capture_on_commit_callbacks)
    assert Assignment.objects.get(person=people.an).status == "not_started"


def test_ticked_after_passing_completes_at_once(
    session, quiz, people, roles, django_capture_on_commit_callbacks
):
    with_quiz(session, quiz, required=True)
    take_quiz(people.an, quiz, correct=True, capture=django_capture_on_commit_callbacks)
    attendance_record(session=session, person=people.an, method="roster", actor=roles.trainer)
    assert Assignment.objects.get(person=people.an).status == "completed"


def test_optional_quiz_leaves_attendance_completing(session, quiz, people, roles):
    with_quiz(session, quiz, required=False)
    attendance_record(session=session, person=people.an, method="qr", actor=people.an.user)
    assert Assignment.objects.get(person=people.an).status == "completed"


def test_required_quiz_does_not_complete_where_only_online_counts(
    session, quiz, people, roles, django_capture_on_commit_callbacks
):
    with_quiz(session, quiz, required=True)
    Assignment.objects.get(person=people.an).requirement.__class__.objects.update(
        attendance_counts=False
    )
    attendance_record(session=session, person=people.an, method="roster", actor=roles.trainer)
    take_quiz(people.an, quiz, correct=True, capture=django_capture_on_commit_callbacks)
    assert Assignment.objects.get(person=people.an).status == "not_started"


def test_only_attendees_see_the_quiz_link(client, session, quiz, people, roles):
    with_quiz(session, quiz, required=True)
    quiz_url = reverse("assessments:quiz_intro", args=[quiz.pk])
    client.force_login(people.an.user)
    before = client.get(reverse("learner:dashboard")).content.decode()
    assert quiz_url not in before
    page = client.get(reverse("training_checkin:done", args=[session.pk])).content.decode()
    assert quiz_url not in page

    attendance_record(session=session, person=people.an, method="qr", actor=people.an.user)
    dashboard = client.get(reverse("learner:dashboard")).content.decode()
    assert quiz_url in dashboard and "Phải đạt để hoàn thành" in dashboard
    page = client.get(reverse("training_checkin:done", args=[session.pk])).content.decode()
    assert quiz_url in page and "cần làm và đạt bài kiểm tra" in page


def test_trainer_sees_who_passed_on_the_roster(
    client, session, quiz, people, roles, django_capture_on_commit_callbacks
):
    with_quiz(session, quiz, required=True)
    for person in (people.an, people.binh):
        attendance_record(session=session, person=person, method="roster", actor=roles.trainer)
    take_quiz(people.an, quiz, correct=True, capture=django_capture_on_commit_callbacks)
    take_quiz(people.binh, quiz, correct=False, capture=django_capture_on_commit_callbacks)
    client.force_login(roles.trainer)
    response = client.get(reverse("training_sessions:attendance", args=[session.pk]))
    content = response.content.decode()
    assert "1 người đã đạt" in content
    rows = {p.full_name: q for p, _a, q in response.context["rows"]}
    assert rows["Nguyễn Văn An"].passed and rows["Nguyễn Văn An"].grade == Decimal("100")
    assert not rows["Trần Thị Bình"].passed and rows["Trần Thị Bình"].attempts == 1


def test_required_quiz_needs_a_quiz(session):
    from django.core.exceptions import ValidationError

    session.quiz_required = True
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "quiz_required" in error.value.message_dict


def test_attendance_records_stay_unique_with_a_quiz(session, quiz, people, roles):
    with_quiz(session, quiz, required=False)
    for _ in range(2):
        attendance_record(session=session, person=people.an, method="qr", actor=people.an.user)
    assert Attendance.objects.filter(session=session).count() == 1
