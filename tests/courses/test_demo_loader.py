from pathlib import Path

import pytest
from wagtail.models import GroupPagePermission, Page, Revision, Site

from courses.demo import DEMO_DIR, load_demo_courses
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        sorted(Page.objects.values_list("path", "title", "live")),
    )


def test_loader_creates_published_course_tree_under_site_root(groups):
    load_demo_courses(directory=FIXTURES)

    index = CourseIndexPage.objects.get()
    assert index.get_parent().pk == Site.objects.get(is_default_site=True).root_page_id
    course = CoursePage.objects.get(slug="khoa-thu-nghiem")
    assert course.live and course.get_parent().pk == index.pk
    assert {g.code for g in course.target_groups.all()} == {"nguoi-thuc-hien", "truong-thon"}
    assert [row.number for row in course.legal_basis.all()] == ["10/2022/QH15"]
    assert [m.title for m in ModulePage.objects.child_of(course).order_by("path")] == [
        "Những vấn đề chung",
        "Công khai thông tin",
    ]
    lessons = LessonPage.objects.descendant_of(course).order_by("path")
    assert [lesson.slug for lesson in lessons] == [
        "nguyen-tac",
        "hanh-vi-bi-nghiem-cam",
        "noi-dung-cong-khai",
    ]
    assert all(lesson.live for lesson in lessons)
    first = lessons[0]
    assert [block.block_type for block in first.body] == [
        "heading", "paragraph", "citation", "key_points", "callout", "summary", "check",
    ]  # fmt: skip
    citation = first.body[2].value
    assert (citation["law"], citation["article"], citation["clause"]) == ("10/2022/QH15", 3, 1)
    assert lessons[1].required is False


def test_loader_twice_changes_nothing(groups):
    load_demo_courses(directory=FIXTURES)
    before = _snapshot()
    load_demo_courses(directory=FIXTURES)
    assert _snapshot() == before


def test_loader_grants_trainers_page_permissions_on_index(groups):
    from lms.org.roles import ensure_role_groups

    trainers = ensure_role_groups()["trainer"]
    load_demo_courses(directory=FIXTURES)
    granted = set(
        GroupPagePermission.objects.filter(group=trainers).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page", "publish_page"} <= granted


def test_demo_content_files_all_load(groups):
    """Whatever curricula are in courses/demo_content load without error, each lesson with content."""
    load_demo_courses()
    files = list(DEMO_DIR.glob("*.json"))
    assert CoursePage.objects.count() == len(files)
    for lesson in LessonPage.objects.all():
        assert len(lesson.body) > 0
