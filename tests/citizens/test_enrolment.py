"""Self-enrolment in open courses: from the course page, through sign-up or login, and back."""

from __future__ import annotations

import pytest

from courses.models import Enrolment, LessonPage, LessonProgress
from lms.org.models import Person

from .conftest import PASSWORD, SIGNUP, signup_data

pytestmark = pytest.mark.django_db


def _enrol_url(course) -> str:
    return f"/hoc-tap/khoa-hoc/{course.pk}/bat-dau/"


def test_a_visitor_sees_register_to_study_on_an_open_course(client, public_course):
    page = client.get(public_course.url).content.decode()
    assert "Đăng ký học" in page
    assert f'action="{_enrol_url(public_course)}"' in page


def test_visitor_signs_up_and_comes_back_to_the_course_enrolled(client, public_course):
    response = client.post(_enrol_url(public_course))
    assert response.status_code == 302
    signup_url = response["Location"]
    assert signup_url.startswith(SIGNUP)
    form_page = client.get(signup_url).content.decode()
    assert f'name="next" value="{public_course.url}"' in form_page

    done = client.post(signup_url, signup_data())
    assert done["Location"] == public_course.url
    person = Person.objects.get(phone="0987654321")
    enrolment = Enrolment.objects.get(person=person, course=public_course)
    assert enrolment.source == Enrolment.Source.SELF
    assert enrolment.status == Enrolment.Status.IN_PROGRESS
    page = client.get(public_course.url).content.decode()
    assert "Tiếp tục học" in page and "Đăng ký học" not in page


def test_visitor_with_an_account_logs_in_instead_and_is_enrolled(client, citizen, public_course):
    client.post(_enrol_url(public_course))
    response = client.post(
        f"/tai-khoan/dang-nhap/?next={public_course.url}",
        {"username": "dan@example.vn", "password": PASSWORD, "next": public_course.url},
    )
    assert response["Location"] == public_course.url
    assert Enrolment.objects.filter(person__user=citizen, course=public_course).count() == 1


def test_a_pending_enrolment_is_used_once(client, citizen, public_course):
    client.post(_enrol_url(public_course))
    client.force_login(citizen)  # login signal without a request: nothing breaks
    client.logout()
    client.post("/tai-khoan/dang-nhap/", {"username": "0977111222", "password": PASSWORD})
    assert Enrolment.objects.count() == 1
    assert "courses_pending_enrolment" not in client.session


def test_double_click_on_register_gives_one_enrolment(citizen_client, citizen, public_course):
    first = citizen_client.post(_enrol_url(public_course))
    second = citizen_client.post(_enrol_url(public_course))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Enrolment.objects.filter(person__user=citizen).count() == 1


def test_enrolling_needs_a_post(citizen_client, public_course):
    assert citizen_client.get(_enrol_url(public_course)).status_code == 405
    assert not Enrolment.objects.exists()


def test_a_citizen_completes_lessons_and_the_course(citizen_client, citizen, public_course):
    citizen_client.post(_enrol_url(public_course))
    lessons = list(LessonPage.objects.descendant_of(public_course).order_by("path"))
    check = citizen_client.post(
        f"/hoc-tap/bai-hoc/{lessons[0].pk}/tu-kiem-tra/{lessons[0].body[1].id}/",
        {"choice": "0"},
    )
    assert "Chính xác" in check.content.decode()
    citizen_client.post(f"/hoc-tap/bai-hoc/{lessons[0].pk}/da-hoc/")
    enrolment = Enrolment.objects.get(person__user=citizen)
    assert enrolment.percent == 50
    citizen_client.post(f"/hoc-tap/bai-hoc/{lessons[1].pk}/da-hoc/")
    enrolment.refresh_from_db()
    assert enrolment.is_completed
    assert LessonProgress.objects.filter(person__user=citizen).count() == 2
