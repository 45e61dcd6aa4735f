"""Query counts of learner pages do not grow with the number of courses, lessons or people."""

import pytest
from django.urls import reverse

from courses import services
from courses.models import LessonPage
from tests import factories

pytestmark = pytest.mark.django_db


def _lessons(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def _progress(person, course, count):
    for lesson in _lessons(course)[:count]:
        services.lesson_complete(person=person, lesson=lesson, course=course)


def test_outline_queries_do_not_grow_with_lessons(
    make_course, learner, learner_client, count_queries
):
    small = make_course(lessons=2, modules=1)
    large = make_course(lessons=12, modules=3)
    _progress(learner, small, 1)
    _progress(learner, large, 5)
    small_count, small_response = count_queries(learner_client, small.url)
    large_count, large_response = count_queries(learner_client, large.url)
    assert small_response.status_code == large_response.status_code == 200
    assert small_count == large_count
    assert large_count <= 20


def test_lesson_queries_do_not_grow_with_lessons(
    make_course, learner, learner_client, count_queries
):
    small = make_course(lessons=2)
    large = make_course(lessons=12, modules=3)
    _progress(learner, large, 4)
    small_count, _ = count_queries(learner_client, _lessons(small)[1].url)
    large_count, _ = count_queries(learner_client, _lessons(large)[6].url)
    assert small_count == large_count
    assert large_count <= 24


def test_catalogue_queries_do_not_grow_with_courses(make_course, learner_client, count_queries):
    make_course(lessons=1)
    make_course(lessons=1, groups=("nguoi-thuc-hien", "can-bo"))
    url = reverse("learner:catalogue") + "?nhom=tat-ca"
    few, _ = count_queries(learner_client, url)
    for _ in range(8):
        make_course(lessons=1, groups=("nguoi-thuc-hien", "truong-thon"))
    many, response = count_queries(learner_client, url)
    assert response.content.decode().count('class="card course-card"') == 10
    assert few == many
    # Enrolments plus the training (obligations, sessions) and certificate sections.
    assert many <= 12

    search_url = reverse("learner:catalogue") + "?q=dan+chu"
    searched, response = count_queries(learner_client, search_url)
    assert "Bài học phù hợp" in response.content.decode()
    assert searched <= 15  # + the unread-notifications badge in the site header


def test_dashboard_queries_do_not_grow_with_courses(
    make_course, learner, learner_client, count_queries
):
    first = make_course(lessons=2)
    make_course(lessons=2)
    _progress(learner, first, 1)
    url = reverse("learner:dashboard")
    few, _ = count_queries(learner_client, url)
    for _ in range(5):
        course = make_course(lessons=2)
        _progress(learner, course, 1)
        make_course(lessons=1)
    many, response = count_queries(learner_client, url)
    assert response.content.decode().count("Tiếp tục học") == 6
    assert few == many
    # Enrolments plus the training (obligations, sessions) and certificate sections.
    assert many <= 15


def test_outline_queries_do_not_grow_with_people(
    make_course, learner, learner_client, count_queries, tree, groups
):
    course = make_course(lessons=4)
    before, _ = count_queries(learner_client, course.url)
    for _ in range(6):
        person = factories.PersonFactory()
        _progress(person, course, 2)
    after, _ = count_queries(learner_client, course.url)
    assert before == after
