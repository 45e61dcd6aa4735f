"""Trainer workflow in Wagtail: page rules, copy as next year's version, no deleting taken courses."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from courses import services
from courses.models import (
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModulePage,
)
from lms.org.roles import ensure_role_groups
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(tree, index):
    ensure_role_groups()
    user = factories.staff_user(role="trainer", unit=None, username="giang-vien")
    from courses.demo import course_index_ensure

    course_index_ensure()  # grants the trainer group its page permissions on the index
    return user


def test_page_tree_rules():
    assert CoursePage.parent_page_types == ["courses.CourseIndexPage"]
    assert set(CoursePage.subpage_types) == {"courses.ModulePage", "courses.LessonPage"}
    assert ModulePage.subpage_types == ["courses.LessonPage"]
    assert set(LessonPage.parent_page_types) == {"courses.CoursePage", "courses.ModulePage"}
    assert LessonPage.subpage_types == []
    assert CourseIndexPage.subpage_types == ["courses.CoursePage"]


def test_copy_next_year_copies_subtree_as_draft(make_course, trainer, client, learner):
    course = make_course(lessons=3, modules=2, year=2026)
    first = LessonPage.objects.descendant_of(course).order_by("path").first()
    services.lesson_complete(person=learner, lesson=first, course=course)
    client.force_login(trainer)
    url = reverse("courses_copy_next_year", args=[course.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    copy = CoursePage.objects.exclude(pk=course.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[copy.pk])
    assert copy.year == 2027 and not copy.live
    assert copy.get_latest_revision_as_object().year == 2027
    assert copy.slug.endswith("2027")
    copied_lessons = LessonPage.objects.descendant_of(copy)
    assert copied_lessons.count() == 3 and not copied_lessons.filter(live=True).exists()
    assert ModulePage.objects.descendant_of(copy).count() == 2
    assert set(copy.target_groups.values_list("code", flat=True)) == {"nguoi-thuc-hien"}
    # Learners' progress stays with this year's course.
    assert LessonProgress.objects.get(person=learner).lesson_id == first.pk
    assert not Enrolment.objects.filter(course=copy).exists()


def test_copy_next_year_is_refused_to_learners(make_course, learner_client):
    course = make_course(lessons=1)
    response = learner_client.post(reverse("courses_copy_next_year", args=[course.pk]))
    assert response.status_code in (302, 403)
    assert CoursePage.objects.count() == 1


def test_copy_button_is_offered_on_course_pages(make_course, trainer, client):
    course = make_course(lessons=1)
    client.force_login(trainer)
    response = client.get(reverse("wagtailadmin_explore", args=[course.get_parent().pk]))
    assert reverse("courses_copy_next_year", args=[course.pk]) in response.content.decode()


def test_deleting_a_course_with_learners_is_refused(make_course, trainer, client, learner):
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    course = make_course(lessons=1)
    lesson = LessonPage.objects.descendant_of(course).get()
    services.lesson_complete(person=learner, lesson=lesson, course=course)
    group = trainer.groups.get()
    GroupPagePermission.objects.create(
        group=group,
        page=course.get_parent(),
        permission=Permission.objects.get(codename="delete_page"),
    )
    client.force_login(trainer)
    response = client.post(reverse("wagtailadmin_pages:delete", args=[course.pk]))
    assert response.status_code == 302
    assert Page.objects.filter(pk=course.pk).exists()
    assert Enrolment.objects.filter(course_id=course.pk).exists()


def test_trainer_creates_previews_and_publishes_a_lesson(make_course, trainer, client):
    course = make_course(lessons=1)
    client.force_login(trainer)
    add_url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])
    assert client.get(add_url).status_code == 200
    data = {
        "title": "Bài mới: Hội nghị thôn",
        "slug": "hoi-nghi-thon",
        "summary": "Cách tổ chức hội nghị thôn.",
        "estimated_minutes": "12",
        "required": "on",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": '{"blocks":[{"key":"a1","type":"unstyled","depth":0,"text":"Hội nghị thôn do Trưởng thôn triệu tập.","inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    preview = client.post(
        reverse("wagtailadmin_pages:preview_on_add", args=["courses", "lessonpage", course.pk]),
        data,
    )
    assert preview.status_code == 200 and preview.json()["is_valid"]
    rendered = client.get(
        reverse("wagtailadmin_pages:preview_on_add", args=["courses", "lessonpage", course.pk])
    )
    assert "Hội nghị thôn do Trưởng thôn triệu tập." in rendered.content.decode()

    response = client.post(add_url, {**data, "action-publish": "action-publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = LessonPage.objects.get(slug="hoi-nghi-thon")
    assert lesson.live and lesson.get_parent().pk == course.pk
    assert "hoi nghi thon" in lesson.search_text


def test_trainer_edits_a_course_and_learners_keep_progress(make_course, trainer, client, learner):
    course = make_course(lessons=2)
    lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
    services.lesson_complete(person=learner, lesson=lesson, course=course)
    client.force_login(trainer)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert response.status_code == 200
    assert 'type="checkbox" name="target_groups"' in response.content.decode()
    response = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    assert response.status_code == 200
    assert LessonProgress.objects.filter(person=learner, lesson=lesson).exists()
