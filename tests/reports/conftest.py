"""Hand-computed fixtures for the reports: a known set of obligations on the small tree."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone
from wagtail.models import Locale, Page

from courses.models import CourseIndexPage, CoursePage
from lms.org.models import PositionAssignment
from lms.training.models import Assignment, Requirement, TrainingPlan
from tests.factories import PersonFactory, staff_user

YEAR = 2026
TODAY = dt.date(2026, 9, 1)
S = Assignment.Status


def make_course(title: str, slug: str) -> CoursePage:
    Locale.objects.get_or_create(language_code="vi")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    index = CourseIndexPage.objects.first()
    if index is None:
        index = root.add_child(instance=CourseIndexPage(title="Khóa học", slug="khoa-hoc"))
    return index.add_child(instance=CoursePage(title=title, slug=slug, summary=title, year=YEAR))


@pytest.fixture
def courses(db):
    return SimpleNamespace(
        law=make_course("Luật Thực hiện dân chủ ở cơ sở", "luat-dccs"),
        convention=make_course("Hương ước, quy ước theo Nghị định 61", "huong-uoc"),
    )


@pytest.fixture
def requirements(tree, courses, groups):
    plan = TrainingPlan.objects.create(
        year=YEAR, title=f"Kế hoạch {YEAR}", scope_unit=tree.city, status="active"
    )
    law = Requirement.objects.create(plan=plan, course=courses.law, due_date=dt.date(YEAR, 6, 30))
    convention = Requirement.objects.create(
        plan=plan, course=courses.convention, due_date=dt.date(YEAR, 12, 31)
    )
    return SimpleNamespace(plan=plan, law=law, convention=convention)


class Builder:
    """Creates one person with a position and one obligation per call."""

    def __init__(self, requirements, groups):
        self.requirements = requirements
        self.groups = groups

    def __call__(
        self,
        *,
        unit,
        status=S.NOT_STARTED,
        name="Nguyễn Văn An",
        group=None,
        requirement=None,
        completed_on=None,
        active=True,
        person=None,
        title="",
    ):
        requirement = requirement or self.requirements.law
        person = person or PersonFactory(full_name=name)
        position = PositionAssignment.objects.create(
            person=person,
            unit=unit,
            target_group=group or self.groups.hamlet_head,
            start_date=dt.date(2025, 7, 1),
            title=title,
        )
        completed_at = None
        if status == S.COMPLETED:
            day = completed_on or dt.date(YEAR, 3, 15)
            completed_at = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9))
        return Assignment.objects.create(
            person=person,
            requirement=requirement,
            position=position,
            unit=unit,
            year=YEAR,
            due_date=requirement.due_date,
            status=status,
            completed_at=completed_at,
            exempt_reason="Nghỉ ốm dài ngày" if status == S.EXEMPT else "",
            active=active,
        )


@pytest.fixture
def make_assignment(requirements, groups):
    return Builder(requirements, groups)


@pytest.fixture
def figures(tree, groups, make_assignment):
    """Hamlet A1: 3 completed, 1 in progress (law, overdue on TODAY), 1 exempt, 1 not started.
    Board A: 1 completed (inspection group), 1 not started (convention, not overdue).
    Commune A itself: 1 completed (official).  Hamlet B1: 1 completed, 1 not started (overdue).
    One inactive row in A1 that never counts.
    """
    for name, month in (("Trần Thị Bình", 2), ("Lê Văn Cường", 3), ("Phạm Thị Dung", 5)):
        make_assignment(
            unit=tree.hamlet_a1,
            status=S.COMPLETED,
            name=name,
            completed_on=dt.date(YEAR, month, 10),
        )
    make_assignment(unit=tree.hamlet_a1, status=S.IN_PROGRESS, name="Đỗ Văn Đông")
    make_assignment(unit=tree.hamlet_a1, status=S.EXEMPT, name="Võ Thị Em")
    make_assignment(
        unit=tree.hamlet_a1, status=S.NOT_STARTED, name="Ánh Văn Bảo", title="Trưởng ấp"
    )
    make_assignment(unit=tree.hamlet_a1, status=S.NOT_STARTED, name="Ngừng Tính", active=False)
    make_assignment(
        unit=tree.board_a,
        status=S.COMPLETED,
        name="Hồ Văn Giang",
        group=groups.inspection,
        completed_on=dt.date(YEAR, 5, 20),
    )
    make_assignment(
        unit=tree.board_a,
        status=S.NOT_STARTED,
        name="Đặng Thị Hoa",
        group=groups.inspection,
        requirement=make_assignment.requirements.convention,
    )
    make_assignment(
        unit=tree.commune_a,
        status=S.COMPLETED,
        name="Lý Văn Khánh",
        group=groups.official,
        completed_on=dt.date(YEAR, 7, 1),
    )
    make_assignment(
        unit=tree.hamlet_b1,
        status=S.COMPLETED,
        name="Mai Thị Lan",
        completed_on=dt.date(YEAR, 2, 1),
    )
    make_assignment(unit=tree.hamlet_b1, status=S.NOT_STARTED, name="Bùi Văn Minh")
    return tree


@pytest.fixture
def roles(tree, db):
    learner = PersonFactory(full_name="Người Học").user
    return SimpleNamespace(
        learner=learner,
        trainer=staff_user(role="trainer", unit=None, username="giang-vien"),
        manager=staff_user(role="manager", unit=tree.commune_a, username="quan-ly-a"),
        sibling=staff_user(role="manager", unit=tree.commune_b, username="quan-ly-b"),
        admin=staff_user(role="admin", unit=None, username="quan-tri"),
    )
