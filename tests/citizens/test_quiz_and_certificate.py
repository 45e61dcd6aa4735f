"""A citizen's final quiz completes the open course and issues a certificate from its template."""

from __future__ import annotations

import pytest

from assessments.models import Choice, QuestionBank, QuestionCategory
from assessments.quiz_models import Attempt, AttemptChoice, AttemptQuestion, Quiz, QuizSlot
from assessments.services import attempt_submit, response_save
from certificates.models import Certificate, CertificateTemplate, CourseCertificateSetting
from certificates.selectors import certificates_visible_to
from courses.models import Enrolment, LessonPage
from tests import factories

pytestmark = pytest.mark.django_db
RIGHT = "Khi trên 50% hộ gia đình tán thành"


@pytest.fixture
def final_quiz(public_course):
    bank = QuestionBank.objects.create(name="Hương ước", slug="huong-uoc")
    category = QuestionCategory.objects.create(bank=bank, name="Nghị định 61")
    question = bank.questions.create(
        category=category, qtype="single", name="Điều 10", text="Hương ước được thông qua khi nào?",
        status="reviewed",
    )  # fmt: skip
    Choice.objects.create(question=question, text=RIGHT, fraction=1, sort_order=0)
    Choice.objects.create(
        question=question, text="Khi Trưởng thôn đồng ý", fraction=0, sort_order=1
    )
    quiz = Quiz.objects.create(
        bank=bank, title="Kiểm tra cuối khóa", pass_percent=70, time_limit=600, attempts_allowed=3
    )
    QuizSlot.objects.create(quiz=quiz, kind="fixed", question=question)
    public_course.final_quiz = quiz
    public_course.save_revision().publish()
    return quiz


@pytest.fixture
def certificate_setting(public_course, tree):
    template = CertificateTemplate.objects.create(
        name="Mẫu xã", issuer_unit=tree.commune_a, parent_body="UBND Thành phố Hồ Chí Minh",
        issuing_body="Ủy ban nhân dân xã Bắc Tân Uyên", place_name="Bắc Tân Uyên",
        serial_prefix="GCN", intro="Chứng nhận:", signer_prefix="TM.", signer_authority="Ủy ban nhân dân",
        signer_title="Chủ tịch", signer_name="Trần Văn Đặng",
    )  # fmt: skip
    return CourseCertificateSetting.objects.create(
        course=public_course, template=template, validity_months=0, series="huong-uoc-dan"
    )


def test_citizen_passes_the_final_quiz_and_gets_a_certificate_of_the_issuing_commune(
    citizen_client, citizen, public_course, final_quiz, certificate_setting, tree, groups,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    person = citizen.person
    citizen_client.post(f"/hoc-tap/khoa-hoc/{public_course.pk}/bat-dau/")
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in LessonPage.objects.descendant_of(public_course).order_by("path"):
            citizen_client.post(f"/hoc-tap/bai-hoc/{lesson.pk}/da-hoc/")
    assert not Enrolment.objects.get(person=person).is_completed  # the quiz is still due

    outline = citizen_client.get(public_course.url).content.decode()
    assert f"/kiem-tra/de/{final_quiz.pk}/" in outline
    assert citizen_client.get(f"/kiem-tra/de/{final_quiz.pk}/").status_code == 200
    started = citizen_client.post(f"/kiem-tra/de/{final_quiz.pk}/bat-dau/")
    assert started.status_code == 302
    attempt = Attempt.objects.get(person=person, quiz=final_quiz)
    assert started["Location"].endswith(f"/{attempt.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        aq = AttemptQuestion.objects.get(attempt=attempt)
        ids = {c["id"] for c in aq.snapshot["choices"] if c["text"] == RIGHT}
        option = AttemptChoice.objects.get(attempt_question=aq, source_id__in=ids, is_prompt=False)
        response_save(attempt=attempt, attempt_question_id=aq.pk, answer=option.pk, seq=1)
        attempt_submit(attempt_id=attempt.pk)

    assert Enrolment.objects.get(person=person).is_completed
    certificate = Certificate.objects.get(person=person)
    assert certificate.holder_name == "Phạm Văn Dân"
    # No position: the certificate belongs to the template's issuing unit, no "Đơn vị" line.
    assert certificate.unit == tree.commune_a
    assert certificate.unit_name == ""
    assert certificate.issuing_body == "Ủy ban nhân dân xã Bắc Tân Uyên"

    world = factories.staff_world(tree, groups)
    assert certificate in certificates_visible_to(user=world.manager_a)
    assert certificate not in certificates_visible_to(user=world.manager_b)
    mine = citizen_client.get("/chung-nhan/").content.decode()
    assert certificate.course_title in mine


def test_citizen_cannot_take_the_final_quiz_of_a_staff_course_but_an_official_can(
    citizen_client, client, public_course, staff_course, final_quiz
):
    # The quiz moves from the open course to a staff-only course: closed to citizens, by URL too.
    public_course.final_quiz = None
    public_course.save_revision().publish()
    staff_course.final_quiz = final_quiz
    staff_course.save_revision().publish()

    assert citizen_client.get(f"/kiem-tra/de/{final_quiz.pk}/").status_code == 404
    assert citizen_client.post(f"/kiem-tra/de/{final_quiz.pk}/bat-dau/").status_code == 404
    assert not Attempt.objects.filter(quiz=final_quiz).exists()

    official = factories.PersonFactory(full_name="Lê Thị Cán Bộ")
    client.force_login(official.user)
    assert client.get(f"/kiem-tra/de/{final_quiz.pk}/").status_code == 200
