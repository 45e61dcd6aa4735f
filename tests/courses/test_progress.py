"""Progress never lost, never doubled: double clicks, two tabs, retries and content edits."""

from unittest import mock

import pytest
from django.db import IntegrityError
from django.urls import reverse

from courses import services
from courses.models import Enrolment, LessonPage, LessonProgress
from courses.selectors import course_counted_lesson_ids
from courses.signals import course_completed

pytestmark = pytest.mark.django_db


@pytest.fixture
def completions():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    course_completed.connect(receiver, dispatch_uid="test-completions")
    yield received
    course_completed.disconnect(dispatch_uid="test-completions")


def _lessons(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def test_marking_a_lesson_twice_records_it_once(make_course, learner):
    course = make_course(lessons=3)
    lesson = _lessons(course)[0]
    services.lesson_complete(person=learner, lesson=lesson, course=course)
    enrolment = services.lesson_complete(person=learner, lesson=lesson, course=course)
    assert LessonProgress.objects.filter(person=learner, lesson=lesson).count() == 1
    assert Enrolment.objects.filter(person=learner, course=course).count() == 1
    assert enrolment.percent == 33
    assert enrolment.status == Enrolment.Status.IN_PROGRESS


def test_duplicate_mark_done_posts_are_harmless(make_course, learner_client, learner):
    course = make_course(lessons=2)
    lesson = _lessons(course)[0]
    url = reverse("learner:lesson_done", args=[lesson.pk])
    first = learner_client.post(url)
    second = learner_client.post(url)
    assert first.status_code == second.status_code == 302
    assert LessonProgress.objects.filter(person=learner).count() == 1
    assert Enrolment.objects.get(person=learner, course=course).percent == 50


def test_completing_all_required_lessons_completes_course_and_announces_once(
    make_course, learner, completions, django_capture_on_commit_callbacks
):
    course = make_course(lessons=2)
    first, second = _lessons(course)
    with django_capture_on_commit_callbacks(execute=True):
        services.lesson_complete(person=learner, lesson=first, course=course)
        enrolment = services.lesson_complete(person=learner, lesson=second, course=course)
        # A retry of the last click, and a direct second call of the deciding service:
        services.lesson_complete(person=learner, lesson=second, course=course)
        assert services.enrolment_complete_if_done(enrolment=enrolment) is False
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.percent == 100 and enrolment.completed_at is not None
    assert completions == [
        {
            "signal": course_completed,
            "person_id": learner.pk,
            "course_id": course.pk,
            "completed_at": enrolment.completed_at,
        }
    ]


def test_two_stale_copies_of_an_enrolment_complete_it_once(
    make_course, learner, completions, django_capture_on_commit_callbacks
):
    """Two tabs: both hold an out-of-date, not-completed enrolment when they ask to complete."""
    course = make_course(lessons=1)
    (lesson,) = _lessons(course)
    enrolment = services.enrolment_start(person=learner, course=course)
    LessonProgress.objects.create(person=learner, lesson=lesson, completed_at=enrolment.started_at)
    tab_a = Enrolment.objects.get(pk=enrolment.pk)
    tab_b = Enrolment.objects.get(pk=enrolment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        results = [
            services.enrolment_complete_if_done(enrolment=tab_a),
            services.enrolment_complete_if_done(enrolment=tab_b),
        ]
    assert results == [True, False]
    assert len(completions) == 1


def test_optional_lessons_do_not_block_completion(make_course, learner, add_lesson):
    course = make_course(lessons=1, modules=1)
    (lesson,) = _lessons(course)
    add_lesson(course, 99, required=False)
    enrolment = services.lesson_complete(person=learner, lesson=lesson, course=course)
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_course_without_counted_lessons_is_never_completed(make_course, learner):
    course = make_course(lessons=0, modules=1)
    enrolment = services.enrolment_start(person=learner, course=course)
    assert course_counted_lesson_ids(course=course) == []
    assert services.enrolment_complete_if_done(enrolment=enrolment) is False


def test_editing_and_republishing_keeps_progress(make_course, learner):
    course = make_course(lessons=3)
    first = _lessons(course)[0]
    services.lesson_complete(person=learner, lesson=first, course=course)

    # A trainer edits the lesson and the course, and publishes new revisions of both.
    first.title = "Bài 1 (đã sửa): Dân chủ ở cơ sở"
    first.save_revision().publish()
    course.summary = "Tóm tắt mới."
    course.save_revision().publish()

    assert LessonProgress.objects.filter(person=learner, lesson_id=first.pk).exists()
    enrolment = Enrolment.objects.get(person=learner, course=course)
    services.enrolment_refresh_progress(enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.percent == 33


def test_completed_course_stays_completed_after_new_required_lesson(
    make_course, learner, add_lesson
):
    course = make_course(lessons=1)
    (lesson,) = _lessons(course)
    enrolment = services.lesson_complete(person=learner, lesson=lesson, course=course)
    completed_at = enrolment.completed_at

    new_lesson = add_lesson(course, 50, required=True)
    services.lesson_complete(person=learner, lesson=lesson, course=course)
    services.enrolment_refresh_progress(enrolment=enrolment)
    enrolment.refresh_from_db()
    assert new_lesson.live
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.percent == 100 and enrolment.completed_at == completed_at


def test_enrolment_start_survives_a_race_on_insert(make_course, learner):
    """The other tab inserted the row between our SELECT and INSERT: we use theirs."""
    course = make_course(lessons=1)
    other = Enrolment.objects.create(person=learner, course=course)
    real_get_or_create = Enrolment.objects.get_or_create

    def racing_get_or_create(**kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    with mock.patch.object(Enrolment.objects, "get_or_create", side_effect=racing_get_or_create):
        enrolment = services.enrolment_start(person=learner, course=course)
    assert enrolment.pk == other.pk
    assert real_get_or_create is not None
    assert Enrolment.objects.filter(person=learner, course=course).count() == 1


def test_assignment_upgrades_a_self_enrolment_but_never_downgrades(make_course, learner):
    course = make_course(lessons=1)
    services.enrolment_start(person=learner, course=course)
    assigned = services.enrolment_start(
        person=learner, course=course, source=Enrolment.Source.ASSIGNED, started=False
    )
    assert assigned.source == Enrolment.Source.ASSIGNED
    again = services.enrolment_start(person=learner, course=course)
    assert again.source == Enrolment.Source.ASSIGNED


def test_visiting_a_lesson_remembers_it_for_resume(make_course, learner_client, learner):
    course = make_course(lessons=3)
    lessons = _lessons(course)
    learner_client.get(lessons[1].url)
    enrolment = Enrolment.objects.get(person=learner, course=course)
    assert enrolment.last_lesson_id == lessons[1].pk
    assert enrolment.status == Enrolment.Status.IN_PROGRESS

    response = learner_client.get(course.url)
    assert f'href="{lessons[1].url}"' in response.content.decode()
    assert "Tiếp tục học" in response.content.decode()
