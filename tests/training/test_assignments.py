import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.signals import course_completed
from lms.org.models import PositionAssignment, Unit
from lms.org.services import position_assign, position_end, unit_merge
from lms.training.models import Assignment, AuditEntry
from lms.training.services import (
    MSG_EXEMPT_COMPLETED,
    MSG_EXEMPT_REASON_REQUIRED,
    assignment_add_manual,
    assignment_exempt,
    assignment_mark_completed,
    assignments_sync_for_people,
)
from tests.training.conftest import YEAR, make_requirement


def hold(person, unit, group, start, end=None):
    return PositionAssignment.objects.create(
        person=person, unit=unit, target_group=group, start_date=start, end_date=end
    )


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def test_hamlet_head_appointed_in_may_is_due_sixty_days_later(
    tree, groups, people, hamlet_requirement
):
    hold(people.an, tree.hamlet_a1, groups.hamlet_head, dt.date(2025, 7, 1))
    hold(people.binh, tree.hamlet_b1, groups.hamlet_head, dt.date(YEAR, 5, 10))

    assignments_sync_for_people(person_ids=[people.an.pk, people.binh.pk])

    long_serving = Assignment.objects.get(person=people.an)
    new_head = Assignment.objects.get(person=people.binh)
    assert long_serving.due_date == dt.date(YEAR, 6, 30)
    assert new_head.due_date == dt.date(YEAR, 7, 9)  # 10 May + 60 days, later than 30 June
    assert new_head.unit_id == tree.hamlet_b1.pk and new_head.active
    assert new_head.status == Assignment.Status.NOT_STARTED


def test_early_year_appointee_keeps_the_plan_due_date(tree, groups, people, hamlet_requirement):
    hold(people.an, tree.hamlet_a1, groups.hamlet_head, dt.date(YEAR, 1, 20))
    assignments_sync_for_people(person_ids=[people.an.pk])
    assert Assignment.objects.get(person=people.an).due_date == dt.date(YEAR, 6, 30)


def test_people_outside_target_groups_or_scope_get_nothing(
    tree, groups, people, plan, courses, hamlet_requirement
):
    hold(people.an, tree.hamlet_a1, groups.official, dt.date(2025, 7, 1))
    only_b = make_requirement(
        plan=plan, course=courses.convention, groups=[groups.hamlet_head], units=[tree.commune_b]
    )
    hold(people.binh, tree.hamlet_a1, groups.hamlet_head, dt.date(2025, 7, 1))

    assignments_sync_for_people(person_ids=[people.an.pk, people.binh.pk])

    assert not Assignment.objects.filter(person=people.an).exists()
    assert not Assignment.objects.filter(requirement=only_b).exists()
    assert Assignment.objects.filter(person=people.binh).count() == 1


def test_board_member_replaced_mid_year_hands_the_obligation_over(
    tree, groups, people, hamlet_requirement
):
    leaving = hold(people.an, tree.board_a, groups.inspection, dt.date(2025, 7, 1))
    assignments_sync_for_people(person_ids=[people.an.pk])
    assert Assignment.objects.counting().for_unit_tree(tree.board_a).count() == 1

    leaving.end_date = dt.date(YEAR, 4, 1)
    leaving.save()
    hold(people.binh, tree.board_a, groups.inspection, dt.date(YEAR, 4, 1))
    assignments_sync_for_people(person_ids=[people.an.pk, people.binh.pk])

    old = Assignment.objects.get(person=people.an)
    new = Assignment.objects.get(person=people.binh)
    assert not old.active  # kept for history, no longer counted against the board
    assert new.active and new.due_date == dt.date(YEAR, 6, 30)  # 1 April + 60 < 30 June
    assert list(Assignment.objects.counting().for_unit_tree(tree.board_a)) == [new]
    assert AuditEntry.objects.for_object(old).filter(action="deactivated").exists()


def test_member_who_completed_before_leaving_still_counts(tree, groups, people, hamlet_requirement):
    leaving = hold(people.an, tree.board_a, groups.inspection, dt.date(2025, 7, 1))
    assignments_sync_for_people(person_ids=[people.an.pk])
    assignment_mark_completed(
        assignment=Assignment.objects.get(person=people.an),
        actor=None,
        completed_at=at(dt.date(YEAR, 3, 1)),
    )
    position_end(position=leaving, end_date=dt.date(YEAR, 4, 1))
    assignments_sync_for_people(person_ids=[people.an.pk])

    kept = Assignment.objects.get(person=people.an)
    assert kept.active and kept.status == Assignment.Status.COMPLETED


def test_position_hook_syncs_after_commit(
    tree, groups, people, hamlet_requirement, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        position_assign(
            person=people.cuong,
            unit=tree.hamlet_a1,
            target_group=groups.hamlet_head,
            start_date=dt.date(YEAR, 5, 2),
        )
    assignment = Assignment.objects.get(person=people.cuong)
    assert assignment.due_date == dt.date(YEAR, 7, 1)


def test_same_requirement_through_two_units_counts_once_per_unit(
    tree, groups, people, hamlet_requirement
):
    hold(people.an, tree.hamlet_a1, groups.hamlet_head, dt.date(2025, 7, 1))
    hold(people.an, tree.board_a, groups.inspection, dt.date(2025, 7, 1))
    hold(people.an, tree.board_a, groups.hamlet_head, dt.date(2025, 9, 1))  # same unit again

    assignments_sync_for_people(person_ids=[people.an.pk])
    assignments_sync_for_people(person_ids=[people.an.pk])  # idempotent

    units = sorted(Assignment.objects.filter(person=people.an).values_list("unit_id", flat=True))
    assert units == sorted([tree.hamlet_a1.pk, tree.board_a.pk])


def test_unit_merge_moves_the_obligation_and_keeps_the_completion(
    tree, groups, people, hamlet_requirement, django_capture_on_commit_callbacks
):
    hold(people.an, tree.hamlet_b1, groups.hamlet_head, dt.date(2025, 7, 1))
    hold(people.binh, tree.commune_b, groups.inspection, dt.date(2025, 7, 1))
    assignments_sync_for_people(person_ids=[people.an.pk, people.binh.pk])
    course_completed.send(
        sender=None,
        person_id=people.an.pk,
        course_id=hamlet_requirement.course_id,
        completed_at=at(dt.date(YEAR, 2, 10)),
    )

    with django_capture_on_commit_callbacks(execute=True):
        unit_merge(sources=[tree.commune_b], successor=tree.commune_a, date=dt.date(YEAR, 5, 1))

    new_hamlet = Unit.objects.active_on(dt.date(YEAR, 5, 1)).get(code="TT-B1")
    head = Assignment.objects.get(person=people.an)
    member = Assignment.objects.get(person=people.binh)
    assert head.unit_id == new_hamlet.pk and head.status == Assignment.Status.COMPLETED
    assert head.active
    assert member.unit_id == tree.commune_a.pk and member.active
    assert member.due_date == dt.date(YEAR, 6, 30)  # a merge is not a new appointment
    assert Assignment.objects.counting().for_unit_tree(tree.commune_a).count() == 2
    assert not Assignment.objects.for_unit_tree(tree.commune_b).exists()
    assert AuditEntry.objects.for_object(head).filter(action="moved").exists()


def test_course_completion_completes_matching_assignments_exactly_once(
    tree, groups, people, hamlet_requirement
):
    hold(people.an, tree.hamlet_a1, groups.hamlet_head, dt.date(2025, 7, 1))
    hold(people.an, tree.board_a, groups.inspection, dt.date(2025, 7, 1))
    assignments_sync_for_people(person_ids=[people.an.pk])

    for day in (dt.date(YEAR, 3, 1), dt.date(YEAR, 3, 2)):
        course_completed.send(
            sender=None,
            person_id=people.an.pk,
            course_id=hamlet_requirement.course_id,
            completed_at=at(day),
        )

    done = Assignment.objects.filter(person=people.an)
    assert {a.status for a in done} == {Assignment.Status.COMPLETED}
    assert {timezone.localtime(a.completed_at).date() for a in done} == {dt.date(YEAR, 3, 1)}
    assert {a.completed_via for a in done} == {Assignment.Via.ONLINE}
    assert AuditEntry.objects.filter(action="completed").count() == 2  # one per assignment


def test_new_position_after_completing_the_course_this_year_is_already_done(
    tree, groups, people, hamlet_requirement
):
    hold(people.an, tree.hamlet_a1, groups.hamlet_head, dt.date(2025, 7, 1))
    assignments_sync_for_people(person_ids=[people.an.pk])
    course_completed.send(
        sender=None,
        person_id=people.an.pk,
        course_id=hamlet_requirement.course_id,
        completed_at=at(dt.date(YEAR, 3, 1)),
    )
    hold(people.an, tree.board_a, groups.inspection, dt.date(YEAR, 4, 1))
    assignments_sync_for_people(person_ids=[people.an.pk])

    board = Assignment.objects.get(person=people.an, unit=tree.board_a)
    assert board.status == Assignment.Status.COMPLETED


def test_exemption_needs_a_reason_and_stops_counting(
    tree, groups, people, hamlet_requirement, roles
):
    hold(people.an, tree.hamlet_a1, groups.hamlet_head, dt.date(2025, 7, 1))
    assignments_sync_for_people(person_ids=[people.an.pk])
    assignment = Assignment.objects.get(person=people.an)

    with pytest.raises(ValidationError) as error:
        assignment_exempt(assignment=assignment, reason="  ", actor=roles.manager)
    assert MSG_EXEMPT_REASON_REQUIRED in str(error.value)

    assignment = assignment_exempt(
        assignment=assignment, reason="Nghỉ chữa bệnh dài ngày", actor=roles.manager
    )
    assert assignment.status == Assignment.Status.EXEMPT and assignment.exempt_by == roles.manager
    assert not Assignment.objects.counting().exists()
    entry = AuditEntry.objects.for_object(assignment).get(action="exempted")
    assert entry.actor == roles.manager
    assert entry.before["status"] == "not_started" and entry.after["status"] == "exempt"

    # Sync leaves the exemption alone; a later completion does not override it either.
    assignments_sync_for_people(person_ids=[people.an.pk])
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.EXEMPT


def test_completed_assignment_cannot_be_exempted(tree, groups, people, hamlet_requirement, roles):
    hold(people.an, tree.hamlet_a1, groups.hamlet_head, dt.date(2025, 7, 1))
    assignments_sync_for_people(person_ids=[people.an.pk])
    assignment = assignment_mark_completed(
        assignment=Assignment.objects.get(person=people.an), actor=roles.manager
    )
    with pytest.raises(ValidationError) as error:
        assignment_exempt(assignment=assignment, reason="Lý do", actor=roles.manager)
    assert MSG_EXEMPT_COMPLETED in str(error.value)


def test_manager_adds_an_extra_person(tree, groups, people, hamlet_requirement, roles):
    hold(people.cuong, tree.hamlet_a1, groups.official, dt.date(2025, 7, 1))
    assignment = assignment_add_manual(
        person=people.cuong, requirement=hamlet_requirement, actor=roles.manager
    )
    assert assignment.source == Assignment.Source.MANAGER and assignment.position is None
    assert assignment.unit_id == tree.hamlet_a1.pk
    with pytest.raises(ValidationError):
        assignment_add_manual(
            person=people.cuong, requirement=hamlet_requirement, actor=roles.manager
        )
    # Position sync never removes what a manager added.
    assignments_sync_for_people(person_ids=[people.cuong.pk])
    assert Assignment.objects.get(pk=assignment.pk).active


def test_overdue_is_computed_not_stored(tree, groups, people, hamlet_requirement):
    hold(people.an, tree.hamlet_a1, groups.hamlet_head, dt.date(2025, 7, 1))
    assignments_sync_for_people(person_ids=[people.an.pk])
    late = dt.date(YEAR, 7, 1)
    [row] = Assignment.objects.with_effective_status(late)
    assert row.effective_status == Assignment.Status.OVERDUE
    assert row.status == Assignment.Status.NOT_STARTED
    assert Assignment.objects.overdue(late).count() == 1
    assert Assignment.objects.overdue(dt.date(YEAR, 6, 30)).count() == 0


def test_starting_the_course_marks_this_years_assignment_in_progress(
    tree, groups, people, courses, tree_plan_this_year
):
    from courses.models import Enrolment

    hold(people.an, tree.hamlet_a1, groups.hamlet_head, dt.date(2025, 7, 1))
    assignments_sync_for_people(person_ids=[people.an.pk])
    enrolment = Enrolment.objects.create(person=people.an, course=courses.law)
    assert Assignment.objects.get(person=people.an).status == Assignment.Status.NOT_STARTED
    enrolment.status = Enrolment.Status.IN_PROGRESS
    enrolment.save()
    assert Assignment.objects.get(person=people.an).status == Assignment.Status.IN_PROGRESS
