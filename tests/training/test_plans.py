import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.signals import course_completed
from lms.org.models import PositionAssignment
from lms.training.models import Assignment, AuditEntry, TrainingPlan
from lms.training.services import (
    MSG_PLAN_EXISTS,
    assignments_sync_for_people,
    plan_copy_from_previous_year,
)
from tests.training.conftest import YEAR, make_requirement


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(15, 0)))


def test_copy_last_years_plan_takes_yearly_requirements_with_shifted_dates(
    tree, groups, courses, plan, roles
):
    yearly = make_requirement(
        plan=plan,
        course=courses.law,
        groups=[groups.hamlet_head, groups.inspection],
        units=[tree.commune_a],
        mid_year_days=45,
        attendance_counts=False,
    )
    make_requirement(
        plan=plan, course=courses.convention, groups=[groups.official], recurrence_yearly=False
    )

    new = plan_copy_from_previous_year(plan=plan, year=YEAR + 1, actor=roles.admin)

    assert new.status == TrainingPlan.Status.DRAFT and new.scope_unit_id == tree.city.pk
    assert new.title == f"Kế hoạch bồi dưỡng năm {YEAR + 1}" and new.created_by == roles.admin
    [copy] = new.requirements.all()
    assert copy.course_id == yearly.course_id
    assert copy.due_date == dt.date(YEAR + 1, 6, 30)
    assert (copy.mid_year_days, copy.attendance_counts) == (45, False)
    assert set(copy.target_groups.all()) == {groups.hamlet_head, groups.inspection}
    assert list(copy.units.all()) == [tree.commune_a]
    assert AuditEntry.objects.for_object(new).filter(action="plan_copied").exists()

    with pytest.raises(ValidationError) as error:
        plan_copy_from_previous_year(plan=plan, year=YEAR + 1, actor=roles.admin)
    assert MSG_PLAN_EXISTS.format(year=YEAR + 1) in str(error.value)


def test_one_plan_per_unit_and_year(tree, plan):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        TrainingPlan.objects.create(year=YEAR, title="Trùng", scope_unit=tree.city)


def test_refresher_across_the_year_boundary(tree, groups, courses, plan, people, roles):
    make_requirement(plan=plan, course=courses.law, groups=[groups.hamlet_head])
    PositionAssignment.objects.create(
        person=people.an,
        unit=tree.hamlet_a1,
        target_group=groups.hamlet_head,
        start_date=dt.date(2025, 7, 1),
    )
    assignments_sync_for_people(person_ids=[people.an.pk])
    course_completed.send(
        sender=None,
        person_id=people.an.pk,
        course_id=courses.law.pk,
        completed_at=at(dt.date(YEAR, 12, 20)),
    )

    next_plan = plan_copy_from_previous_year(plan=plan, year=YEAR + 1, actor=roles.admin)
    next_plan.status = TrainingPlan.Status.ACTIVE
    next_plan.save()
    assignments_sync_for_people(person_ids=[people.an.pk])

    this_year = Assignment.objects.for_year(YEAR).get(person=people.an)
    refresher = Assignment.objects.for_year(YEAR + 1).get(person=people.an)
    assert this_year.status == Assignment.Status.COMPLETED
    assert (
        refresher.status == Assignment.Status.NOT_STARTED
    )  # December does not count for next year
    assert refresher.due_date == dt.date(YEAR + 1, 6, 30)

    course_completed.send(
        sender=None,
        person_id=people.an.pk,
        course_id=courses.law.pk,
        completed_at=at(dt.date(YEAR + 1, 2, 3)),
    )
    refresher.refresh_from_db()
    this_year.refresh_from_db()
    assert refresher.status == Assignment.Status.COMPLETED
    assert timezone.localtime(this_year.completed_at).date() == dt.date(YEAR, 12, 20)


def test_draft_and_closed_plans_create_no_assignments(tree, groups, courses, people):
    from tests.training.conftest import make_plan

    for year, status in ((YEAR, TrainingPlan.Status.DRAFT), (YEAR - 1, TrainingPlan.Status.CLOSED)):
        make_requirement(
            plan=make_plan(unit=tree.city, year=year, status=status),
            course=courses.law,
            groups=[groups.hamlet_head],
        )
    PositionAssignment.objects.create(
        person=people.an,
        unit=tree.hamlet_a1,
        target_group=groups.hamlet_head,
        start_date=dt.date(2024, 7, 1),
    )
    assignments_sync_for_people(person_ids=[people.an.pk])
    assert not Assignment.objects.exists()


def test_copy_points_refreshers_at_next_years_course_version(tree, groups, courses, plan, roles):
    from courses.services import course_copy_next_year

    make_requirement(plan=plan, course=courses.law, groups=[groups.hamlet_head])
    make_requirement(plan=plan, course=courses.convention, groups=[groups.hamlet_head])
    next_law = course_copy_next_year(course=courses.law)

    new = plan_copy_from_previous_year(plan=plan, year=YEAR + 1, actor=roles.admin)

    courses_used = [r.course_id for r in new.requirements.order_by("pk")]
    # The law course has a next-year version; the convention course has none and is kept.
    assert courses_used == [next_law.pk, courses.convention.pk]


def test_editing_an_active_plan_resyncs_its_people(tree, groups, courses, plan, people):
    from lms.training.tasks import sync_plan

    requirement = make_requirement(
        plan=plan, course=courses.law, groups=[groups.hamlet_head, groups.inspection]
    )
    PositionAssignment.objects.create(
        person=people.an, unit=tree.board_a, target_group=groups.inspection,
        start_date=dt.date(2025, 7, 1),
    )  # fmt: skip
    sync_plan.delay(plan.pk)
    assert Assignment.objects.get(person=people.an).active

    requirement.target_groups.set([groups.hamlet_head])
    requirement.save()
    sync_plan.delay(plan.pk)
    assert not Assignment.objects.get(person=people.an).active
