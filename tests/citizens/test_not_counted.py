"""A citizen holds no position: never a training target, never in a manager's lists or reports."""

from __future__ import annotations

import datetime as dt

import pytest

from courses.models import Enrolment, LessonPage
from courses.services import lesson_complete
from lms.accounts.services import citizen_register
from lms.org.selectors import people_list
from lms.reports.selectors import missing_people, unit_report
from lms.training.models import Assignment
from lms.training.sync import assignments_sync_for_people, plan_people_ids
from tests import factories
from tests.training.conftest import make_plan, make_requirement

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def world(tree, groups):
    return factories.staff_world(tree, groups)


@pytest.fixture
def plan_for_hamlet_heads(tree, groups, public_course, world, django_capture_on_commit_callbacks):
    plan = make_plan(unit=tree.city, year=YEAR)
    make_requirement(plan=plan, course=public_course, groups=[groups.hamlet_head])
    # Report counts are refreshed after commit: run those callbacks as production would.
    with django_capture_on_commit_callbacks(execute=True):
        assignments_sync_for_people(person_ids=plan_people_ids(plan=plan), notify=False)
    return plan


@pytest.fixture
def resident(tree):
    """A citizen living in hamlet A1 (the same hamlet as the official person_a)."""
    user = citizen_register(
        full_name="Võ Thị Lan", phone="0966000111", email="", password=PASSWORD,
        residence_unit=tree.hamlet_a1,
    )  # fmt: skip
    return user.person


def test_a_citizen_who_completes_a_required_course_is_not_counted(
    tree, world, public_course, plan_for_hamlet_heads, resident, django_capture_on_commit_callbacks
):
    today = dt.date(YEAR, 3, 1)
    before = unit_report(unit=tree.commune_a, year=YEAR, today=today).total
    assert before.required == 1  # person_a, the hamlet head

    with django_capture_on_commit_callbacks(execute=True):
        for lesson in LessonPage.objects.descendant_of(public_course):
            lesson_complete(person=resident, lesson=lesson, course=public_course)
    assert Enrolment.objects.get(person=resident).is_completed

    assert resident.pk not in plan_people_ids(plan=plan_for_hamlet_heads)
    with django_capture_on_commit_callbacks(execute=True):
        assignments_sync_for_people(person_ids=[resident.pk], notify=False)
    assert not Assignment.objects.filter(person=resident).exists()

    after = unit_report(unit=tree.commune_a, year=YEAR, today=today).total
    assert after.as_dict() == before.as_dict()
    city = unit_report(unit=tree.city, year=YEAR, today=today).total
    assert city.required == 2 and city.completed == 0
    missing = missing_people(unit=tree.commune_a, year=YEAR, today=today)
    assert [row.person_id for row in missing] == [world.person_a.pk]


def test_citizens_are_not_in_managers_people_lists(world, resident, tree):
    listed = set(people_list(user=world.manager_a).values_list("pk", flat=True))
    assert world.person_a.pk in listed
    assert resident.pk not in listed
    in_hamlet = people_list(user=world.manager_a, unit=tree.hamlet_a1)
    assert resident.pk not in set(in_hamlet.values_list("pk", flat=True))
