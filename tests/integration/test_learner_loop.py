"""The whole loop a hamlet head goes through: obligation → lessons → final quiz → completion →
certificate → dashboard. Each app is exercised through its real services and signals."""

import datetime as dt
import random

import pytest
from django.urls import reverse

from assessments.models import Choice, QuestionBank, QuestionCategory
from assessments.quiz_models import AttemptChoice, AttemptQuestion, Quiz, QuizSlot
from assessments.services import attempt_start, attempt_submit, response_save
from certificates.models import Certificate, CertificateTemplate, CourseCertificateSetting
from courses.demo import course_index_ensure, course_load
from courses.models import Enrolment, LessonPage
from courses.services import lesson_complete
from lms.training.models import Assignment, Requirement, TrainingPlan
from lms.training.sync import assignments_sync_for_people
from tests.factories import PersonFactory, PositionFactory

YEAR = dt.date.today().year


@pytest.fixture
def course(db):
    index = course_index_ensure()
    lesson = {
        "slug": "bai-1",
        "title": "Bài 1: Hương ước là gì",
        "summary": "Khái niệm hương ước, quy ước.",
        "estimated_minutes": 10,
        "required": True,
        "body": [
            {
                "type": "paragraph",
                "value": "<p>Hương ước do cộng đồng dân cư bàn và quyết định.</p>",
            }
        ],
    }
    return course_load(
        data={
            "slug": "huong-uoc-tich-hop",
            "title": "Xây dựng và thực hiện hương ước, quy ước",
            "summary": "Nghị định 61/2023/NĐ-CP.",
            "target_groups": ["truong-thon"],
            "estimated_minutes": 30,
            "audience": "staff",
            "year": YEAR,
            "modules": [{"title": "Phần 1", "lessons": [lesson]}],
        },
        index=index,
    )


@pytest.fixture
def final_quiz(course):
    bank = QuestionBank.objects.create(name="Hương ước", slug="huong-uoc")
    category = QuestionCategory.objects.create(bank=bank, name="Nghị định 61")
    question = bank.questions.create(
        category=category, qtype="single", name="Điều 10", text="Hương ước được thông qua khi nào?",
        status="reviewed",
    )  # fmt: skip
    Choice.objects.create(
        question=question, text="Khi trên 50% hộ gia đình tán thành", fraction=1, sort_order=0
    )
    Choice.objects.create(
        question=question, text="Khi Trưởng thôn đồng ý", fraction=0, sort_order=1
    )
    quiz = Quiz.objects.create(
        bank=bank, title="Kiểm tra cuối khóa", pass_percent=70, time_limit=600, attempts_allowed=3
    )
    QuizSlot.objects.create(quiz=quiz, kind="fixed", question=question)
    course.final_quiz = quiz
    course.save_revision().publish()
    return quiz


@pytest.fixture
def hamlet_head(tree, groups, course):
    template = CertificateTemplate.objects.create(
        name="Mẫu xã", issuer_unit=tree.commune_a, parent_body="UBND Thành phố Hồ Chí Minh",
        issuing_body="Ủy ban nhân dân xã Bắc Tân Uyên", place_name="Bắc Tân Uyên",
        serial_prefix="GCN", intro="Chứng nhận:", signer_prefix="TM.", signer_authority="Ủy ban nhân dân",
        signer_title="Chủ tịch", signer_name="Trần Văn Đặng",
    )  # fmt: skip
    CourseCertificateSetting.objects.create(
        course=course, template=template, validity_months=12, series="huong-uoc"
    )
    plan = TrainingPlan.objects.create(
        year=YEAR, title="Kế hoạch", scope_unit=tree.city, status="active"
    )
    requirement = Requirement.objects.create(
        plan=plan, course=course, due_date=dt.date(YEAR, 12, 31)
    )
    requirement.target_groups.set([groups.hamlet_head])
    requirement.save()
    person = PersonFactory(full_name="Hoàng Thị Phương")
    PositionFactory(
        person=person, unit=tree.hamlet_a1, target_group=groups.hamlet_head, title="Trưởng ấp",
        start_date=dt.date(YEAR - 1, 7, 1),
    )  # fmt: skip
    assignments_sync_for_people(person_ids=[person.pk])
    return person


def _take_quiz(*, quiz, person, right: bool):
    attempt = attempt_start(quiz=quiz, person=person, rng=random.Random(1))
    aq = AttemptQuestion.objects.get(attempt=attempt)
    wanted = "Khi trên 50% hộ gia đình tán thành" if right else "Khi Trưởng thôn đồng ý"
    ids = {c["id"] for c in aq.snapshot["choices"] if c["text"] == wanted}
    option = AttemptChoice.objects.get(attempt_question=aq, source_id__in=ids, is_prompt=False).pk
    response_save(attempt=attempt, attempt_question_id=aq.pk, answer=option, seq=1)
    attempt_submit(attempt_id=attempt.pk)


def test_final_quiz_gates_completion_and_passing_it_issues_the_certificate(
    course, final_quiz, hamlet_head, client, django_capture_on_commit_callbacks
):
    assignment = Assignment.objects.get(person=hamlet_head)
    lesson = LessonPage.objects.descendant_of(course).get()

    with django_capture_on_commit_callbacks(execute=True):
        enrolment = lesson_complete(person=hamlet_head, lesson=lesson, course=course)
    # Lessons alone do not complete a course that has a final quiz.
    assert not enrolment.is_completed
    assert not Certificate.objects.filter(person=hamlet_head).exists()

    with django_capture_on_commit_callbacks(execute=True):
        _take_quiz(quiz=final_quiz, person=hamlet_head, right=False)
    assert (
        Enrolment.objects.get(person=hamlet_head, course=course).status
        != Enrolment.Status.COMPLETED
    )

    with django_capture_on_commit_callbacks(execute=True):
        _take_quiz(quiz=final_quiz, person=hamlet_head, right=True)

    assert Enrolment.objects.get(person=hamlet_head, course=course).is_completed
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.COMPLETED
    certificate = Certificate.objects.get(person=hamlet_head)
    assert certificate.course_title == course.title

    client.force_login(hamlet_head.user)
    page = client.get(reverse("learner:dashboard")).content.decode()
    assert f"Yêu cầu bồi dưỡng năm {YEAR}" in page
    assert "Đã hoàn thành" in page
    assert reverse("certificates_verify:detail", kwargs={"code": certificate.code}) in page


def test_outline_offers_the_final_quiz_until_it_is_passed(course, final_quiz, hamlet_head, client):
    client.force_login(hamlet_head.user)
    page = client.get(course.url).content.decode()
    assert "Bài kiểm tra cuối khóa" in page
    assert reverse("assessments:quiz_intro", args=[final_quiz.pk]) in page


def test_dashboard_shows_the_obligation_with_its_due_date(hamlet_head, client):
    client.force_login(hamlet_head.user)
    page = client.get(reverse("learner:dashboard")).content.decode()
    assert "Xây dựng và thực hiện hương ước, quy ước" in page
    assert f"31/12/{YEAR}" in page
