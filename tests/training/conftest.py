import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone
from wagtail.models import Locale, Page

from courses.models import CourseIndexPage, CoursePage
from lms.org.models import PositionAssignment
from lms.training.models import Requirement, Session, TrainingPlan
from lms.training.services import assignments_sync_for_people
from tests.factories import PersonFactory, staff_user

YEAR = 2026


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


def make_plan(*, unit, year: int = YEAR, status=TrainingPlan.Status.ACTIVE, title=None):
    return TrainingPlan.objects.create(
        year=year, title=title or f"Kế hoạch bồi dưỡng năm {year}", scope_unit=unit, status=status
    )


def make_requirement(*, plan, course, groups, due=None, units=(), **kwargs) -> Requirement:
    requirement = Requirement.objects.create(
        plan=plan, course=course, due_date=due or dt.date(plan.year, 6, 30), **kwargs
    )
    requirement.target_groups.set(groups)
    requirement.units.set(units)
    requirement.save()  # parental M2M values are written on save
    return requirement


@pytest.fixture
def plan(tree):
    return make_plan(unit=tree.city)


@pytest.fixture
def hamlet_requirement(plan, courses, groups):
    return make_requirement(
        plan=plan, course=courses.law, groups=[groups.hamlet_head, groups.inspection]
    )


@pytest.fixture
def people(db):
    return SimpleNamespace(
        an=PersonFactory(full_name="Nguyễn Văn An", email="an@example.vn"),
        binh=PersonFactory(full_name="Trần Thị Bình", email="binh@example.vn"),
        cuong=PersonFactory(full_name="Lê Văn Cường", email="cuong@example.vn"),
    )


@pytest.fixture
def roles(tree, people):
    """One user per role the permission tests walk through."""
    learner = people.an.user
    return SimpleNamespace(
        learner=learner,
        trainer=staff_user(role="trainer", unit=None, username="giang-vien"),
        manager=staff_user(role="manager", unit=tree.commune_a, username="quan-ly-a"),
        sibling=staff_user(role="manager", unit=tree.commune_b, username="quan-ly-b"),
        admin=staff_user(role="admin", unit=None, username="quan-tri"),
    )


@pytest.fixture
def tree_plan_this_year(tree, courses, groups):
    from django.utils import timezone

    plan = make_plan(unit=tree.city, year=timezone.localdate().year)
    return make_requirement(plan=plan, course=courses.law, groups=[groups.hamlet_head])


@pytest.fixture
def this_year_plan(tree):
    return make_plan(unit=tree.city, year=timezone.localdate().year)


@pytest.fixture
def session(tree, groups, courses, people, roles, this_year_plan):
    make_requirement(plan=this_year_plan, course=courses.law, groups=[groups.hamlet_head],
                     due=timezone.localdate() + dt.timedelta(days=30))  # fmt: skip
    for person, unit in ((people.an, tree.hamlet_a1), (people.binh, tree.hamlet_b1)):
        PositionAssignment.objects.create(
            person=person, unit=unit, target_group=groups.hamlet_head,
            start_date=dt.date(2025, 7, 1),
        )  # fmt: skip
    assignments_sync_for_people(person_ids=[people.an.pk, people.binh.pk], notify=False)
    now = timezone.now()
    session = Session.objects.create(
        course=courses.law,
        title="Lớp tập huấn Luật Thực hiện dân chủ ở cơ sở",
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=3),
        place="Hội trường UBND xã Bắc Tân Uyên",
        trainer=roles.trainer,
    )
    session.invited_units.set([tree.commune_a])
    session.invited_target_groups.set([groups.hamlet_head])
    session.save()
    return session
