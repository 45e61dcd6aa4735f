"""Pre-aggregated completion counts (decision 0008): fresh after every real write path, repaired
by the minute-by-minute reconcile, equal to the live aggregation, constant number of queries."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from courses.signals import course_completed
from lms.org.models import PositionAssignment, Unit
from lms.org.services import position_assign, position_end, unit_merge
from lms.reports import counts, selectors
from lms.reports.models import CompletionCount
from lms.reports.tasks import counts_reconcile
from lms.training.models import Assignment
from lms.training.services import (
    assignment_exempt,
    assignment_mark_completed,
    assignments_sync_for_people,
)
from tests.factories import PersonFactory
from tests.reports.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db
S = Assignment.Status


# --- A reference: the dashboard computed live from the assignments, row by row -------------


def live_report(unit: Unit, year: int, today: dt.date) -> dict:
    unit = Unit.objects.get(pk=unit.pk)
    child_len = Unit.steplen * (unit.depth + 1)
    rows, groups, courses, months = (defaultdict(lambda: [0] * 6) for _ in range(4))
    total = [0] * 6
    for a in Assignment.objects.filter(
        year=year, active=True, unit__path__startswith=unit.path
    ).select_related("unit", "position", "requirement"):
        overdue = a.status in (S.NOT_STARTED, S.IN_PROGRESS) and a.due_date < today
        flags = [1, a.status == S.COMPLETED, a.status == S.IN_PROGRESS,
                 a.status == S.NOT_STARTED, overdue, a.status == S.EXEMPT]  # fmt: skip
        group = a.position.target_group_id if a.position_id else None
        for acc in (rows[a.unit.path[:child_len]], groups[group],
                    courses[a.requirement.course_id], total):  # fmt: skip
            for i, flag in enumerate(flags):
                acc[i] += int(flag)
        if a.status == S.COMPLETED:
            local = timezone.localtime(a.completed_at)
            months[(local.year, local.month)][0] += 1
    return {
        "rows": {path: tuple(v) for path, v in rows.items()},
        "groups": {k: tuple(v) for k, v in groups.items()},
        "courses": {k: tuple(v) for k, v in courses.items()},
        "months": {k: v[0] for k, v in months.items()},
        "total": tuple(total),
    }


def fig(f) -> tuple:
    return (f.required, f.completed, f.in_progress, f.not_started, f.overdue, f.exempt)


def report_from_counts(unit: Unit, year: int, today: dt.date) -> dict:
    unit = Unit.objects.get(pk=unit.pk)
    report = selectors.unit_report(unit=unit, year=year, today=today)
    rows = {r.path: fig(r.figures) for r in report.rows if r.figures.required}
    months: dict = {}
    for point in report.trend:
        if point.completed:
            months[(point.month.year, point.month.month)] = point.completed
    live = live_report(unit, year, today)
    # Completions before the year are shown in January: fold the reference the same way.
    early = sum(n for (y, _m), n in live["months"].items() if y < year)
    live_months = {k: n for k, n in live["months"].items() if k[0] == year}
    if early:
        live_months[(year, 1)] = live_months.get((year, 1), 0) + early
    live["months"] = live_months
    # Rows of sub-units that ended before the year are in the total, not in the rows.
    shown = {r.path for r in report.rows}
    live["rows"] = {p: v for p, v in live["rows"].items() if p in shown}
    return live, {
        "rows": rows,
        "groups": {g.key: fig(g.figures) for g in report.by_group},
        "courses": {c.key: fig(c.figures) for c in report.by_course},
        "months": months,
        "total": fig(report.total),
    }


def assert_counts_match(unit: Unit, year: int = YEAR, today: dt.date = TODAY) -> None:
    live, stored = report_from_counts(unit, year, today)
    assert stored == live


def city_figures(tree, today=TODAY) -> tuple:
    city = Unit.objects.get(pk=tree.city.pk)
    return fig(selectors.unit_report(unit=city, year=YEAR, today=today).total)


# --- Fresh after every real write path (on commit, through Celery) -------------------------


@pytest.fixture
def on_commit(settings, django_capture_on_commit_callbacks):
    """The production path: counts refresh in a Celery task queued on commit."""
    settings.REPORTS_COUNTS_IMMEDIATE = False
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def law_for_heads(requirements, groups):
    law = requirements.law
    law.target_groups.set([groups.hamlet_head, groups.official])
    law.save()
    return law


def test_a_completion_shows_after_commit_not_before(figures, on_commit):
    open_one = Assignment.objects.get(person__full_name="Bùi Văn Minh")
    before = city_figures(figures)
    with on_commit():
        assignment_mark_completed(assignment=open_one, actor=None)
        assert city_figures(figures) == before  # not committed yet: the counts did not move
    after = city_figures(figures)
    assert after[1] == before[1] + 1 and after[3] == before[3] - 1 and after[4] == before[4] - 1
    assert_counts_match(figures.city)
    assert_counts_match(figures.commune_b)


def test_online_completion_and_course_start_update_the_counts(figures, on_commit, courses):
    person = Assignment.objects.get(person__full_name="Ánh Văn Bảo").person
    with on_commit():
        course_completed.send(
            sender=None,
            person_id=person.pk,
            course_id=courses.law.pk,
            completed_at=timezone.make_aware(dt.datetime(YEAR, 8, 20, 9)),
        )
    assert Assignment.objects.get(person=person).status == S.COMPLETED
    assert_counts_match(figures.city)
    assert_counts_match(figures.commune_a)
    trend = selectors.unit_report(unit=figures.city, year=YEAR, today=TODAY).trend
    assert trend[7].completed == 1  # August


def test_exemption_updates_the_counts(figures, on_commit, roles):
    open_one = Assignment.objects.get(person__full_name="Đặng Thị Hoa")
    before = city_figures(figures)
    with on_commit():
        assignment_exempt(assignment=open_one, reason="Đi học dài hạn", actor=roles.admin)
    after = city_figures(figures)
    assert after[5] == before[5] + 1 and after[3] == before[3] - 1
    assert_counts_match(figures.board_a)
    assert_counts_match(figures.city)


def test_new_and_ended_positions_update_the_counts(tree, groups, law_for_heads, on_commit):
    person = PersonFactory(full_name="Người Mới")
    with on_commit():
        position = position_assign(
            person=person, unit=tree.hamlet_b1, target_group=groups.hamlet_head,
            start_date=dt.date(2025, 7, 1),
        )  # fmt: skip
    assert city_figures(tree)[:4] == (1, 0, 0, 1)
    assert_counts_match(tree.city)
    assert_counts_match(tree.commune_b)
    with on_commit():
        position_end(position=PositionAssignment.objects.get(pk=position.pk),
                     end_date=dt.date(YEAR, 3, 1))  # fmt: skip
    assert not Assignment.objects.get(person=person).active
    assert city_figures(tree) == (0, 0, 0, 0, 0, 0)
    assert not CompletionCount.objects.filter(n__gt=0, unit=tree.city).exists()


def test_unit_merge_moves_the_counts_to_the_successor(tree, groups, law_for_heads, on_commit):
    head = PersonFactory(full_name="Trưởng Ấp B")
    with on_commit():
        position_assign(person=head, unit=tree.hamlet_b1, target_group=groups.hamlet_head,
                        start_date=dt.date(2025, 7, 1))  # fmt: skip
    with on_commit():
        assignment_mark_completed(assignment=Assignment.objects.get(person=head), actor=None)
    rows = {r.name: fig(r.figures) for r in selectors.unit_report_rows(
        unit=Unit.objects.get(pk=tree.city.pk), year=YEAR, today=TODAY)[0]}  # fmt: skip
    assert rows["Xã Thường Tân"][:2] == (1, 1)
    with on_commit():
        unit_merge(sources=[Unit.objects.get(pk=tree.commune_b.pk)],
                   successor=Unit.objects.get(pk=tree.commune_a.pk), date=dt.date(YEAR, 5, 1))  # fmt: skip
    moved = Assignment.objects.get(person=head)
    assert moved.unit.path.startswith(Unit.objects.get(pk=tree.commune_a.pk).path)
    rows = {r.name: fig(r.figures) for r in selectors.unit_report_rows(
        unit=Unit.objects.get(pk=tree.city.pk), year=YEAR, today=TODAY)[0]}  # fmt: skip
    assert rows["Xã Bắc Tân Uyên"][:2] == (1, 1)
    assert rows["Xã Thường Tân"] == (0, 0, 0, 0, 0, 0)
    assert_counts_match(tree.city)
    assert_counts_match(tree.commune_a)
    assert not CompletionCount.objects.filter(unit=tree.hamlet_b1).exists()


def test_sync_of_many_people_updates_the_counts(tree, groups, law_for_heads, on_commit):
    people = [PersonFactory(full_name=f"Người {i}") for i in range(12)]
    for i, person in enumerate(people):
        PositionAssignment.objects.create(
            person=person, unit=[tree.hamlet_a1, tree.hamlet_b1, tree.board_a][i % 3],
            target_group=groups.hamlet_head, start_date=dt.date(2025, 7, 1),
        )  # fmt: skip
    with on_commit():
        assignments_sync_for_people(person_ids=[p.pk for p in people])
    assert city_figures(tree)[:4] == (12, 0, 0, 12)
    assert_counts_match(tree.city)


# --- The safety net -------------------------------------------------------------------------


def test_reconcile_repairs_corrupted_and_bypassed_counts(figures):
    assert counts.reconcile() == 0  # everything in step: nothing written
    good = city_figures(figures)
    CompletionCount.objects.filter(unit=figures.commune_a, scope="tree", breakdown="group").update(
        n=F("n") + 7
    )
    CompletionCount.objects.filter(unit=figures.city, scope="tree", breakdown="course").delete()
    CompletionCount.objects.filter(unit=figures.hamlet_a1, scope="own").delete()
    # A change behind the services' back (no signal at all): reconcile must find it too.
    Assignment.objects.filter(person__full_name="Bùi Văn Minh").update(
        status=S.COMPLETED, completed_at=timezone.make_aware(dt.datetime(YEAR, 4, 2, 9))
    )
    assert city_figures(figures) != good
    assert counts_reconcile() > 0
    assert_counts_match(figures.city)
    assert_counts_match(figures.commune_a)
    assert_counts_match(figures.commune_b)
    assert counts.reconcile() == 0


def test_reconcile_finds_a_changed_target_group(figures, groups):
    position = Assignment.objects.get(person__full_name="Mai Thị Lan").position
    PositionAssignment.objects.filter(pk=position.pk).update(target_group=groups.official)
    assert counts.reconcile() > 0
    assert_counts_match(figures.city)


def test_rebuild_command_recreates_every_count(figures, capsys):
    expected = list(
        CompletionCount.objects.order_by("unit", "scope", "breakdown", "key", "status",
                                         "due_date", "month").values_list(
            "unit", "scope", "breakdown", "key", "status", "due_date", "month", "n")
    )  # fmt: skip
    CompletionCount.objects.all().delete()
    call_command("rebuild_report_counts")
    assert "units written" in capsys.readouterr().out
    rebuilt = list(
        CompletionCount.objects.order_by("unit", "scope", "breakdown", "key", "status",
                                         "due_date", "month").values_list(
            "unit", "scope", "breakdown", "key", "status", "due_date", "month", "n")
    )  # fmt: skip
    assert rebuilt == expected and expected
    call_command("rebuild_report_counts", "--check")
    assert "0 units written" in capsys.readouterr().out


# --- Equal to the live aggregation on a randomised fixture ----------------------------------


@pytest.mark.parametrize("seed", [1, 7])
def test_counts_equal_live_aggregation_on_random_data(tree, kinds, groups, requirements, seed,
                                                      make_assignment):  # fmt: skip
    rng = random.Random(seed)
    commune_b = Unit.objects.get(pk=tree.commune_b.pk)
    extra = commune_b.add_child(code="TT-B9", name="Ấp Chín", kind=kinds.hamlet)
    board = Unit.objects.get(pk=extra.pk).add_child(code="TT-B9-B", name="Ban Chín",
                                                    kind=kinds.board)  # fmt: skip
    units = [tree.city, tree.commune_a, tree.commune_b, tree.hamlet_a1, tree.board_a,
             tree.hamlet_b1, extra, board]  # fmt: skip
    group_choices = [groups.hamlet_head, groups.official, groups.inspection]
    made = []
    for i in range(60):
        status = rng.choice([S.NOT_STARTED, S.IN_PROGRESS, S.COMPLETED, S.COMPLETED, S.EXEMPT])
        made.append(make_assignment(
            unit=rng.choice(units), status=status, name=f"Người Thứ {i}",
            group=rng.choice(group_choices),
            requirement=rng.choice([requirements.law, requirements.convention]),
            completed_on=dt.date(rng.choice([YEAR - 1, YEAR, YEAR]), rng.randint(1, 12),
                                 rng.randint(1, 28)),
            active=rng.random() > 0.1,
        ))  # fmt: skip
    # Then some changes through save(): statuses, due dates (mid-year appointees), deactivation.
    for a in rng.sample(made, 20):
        a.due_date = dt.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
        if a.status == S.NOT_STARTED:
            a.status = S.IN_PROGRESS
        a.active = rng.random() > 0.2
        a.save()
    for unit in units:
        for today in (dt.date(YEAR, 1, 1), TODAY, dt.date(YEAR, 7, 1), dt.date(YEAR + 1, 1, 1)):
            assert_counts_match(unit, YEAR, today)
    assert counts.reconcile() == 0


# --- Query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("hamlets", [2, 25])
def test_dashboard_reads_four_queries_whatever_the_size(tree, kinds, make_assignment, hamlets,
                                                        django_assert_max_num_queries):  # fmt: skip
    for i in range(hamlets):
        hamlet = Unit.objects.get(pk=tree.commune_b.pk).add_child(
            code=f"H{i}", name=f"Ấp số {i}", kind=kinds.hamlet
        )
        make_assignment(unit=hamlet, name=f"Người Số {i}", status=S.COMPLETED)
    city = Unit.objects.get(pk=tree.city.pk)
    commune = Unit.objects.get(pk=tree.commune_b.pk)
    with django_assert_max_num_queries(4):
        report = selectors.unit_report(unit=city, year=YEAR, today=TODAY)
    assert report.total.completed == hamlets
    with django_assert_max_num_queries(4):
        report = selectors.unit_report(unit=commune, year=YEAR, today=TODAY)
    assert len(report.rows) == hamlets + 1  # Ấp Bình Hòa and the new hamlets
    with django_assert_max_num_queries(3):
        selectors.unit_report_matrix(unit=city, year=YEAR, today=TODAY)
    with django_assert_max_num_queries(2):
        selectors.unit_report_rows(unit=commune, year=YEAR, today=TODAY)


@pytest.mark.parametrize("hamlets", [2, 25])
def test_refreshing_one_unit_costs_the_same_whatever_the_tree(
    tree, kinds, make_assignment, hamlets, django_assert_max_num_queries
):
    for i in range(hamlets):
        hamlet = Unit.objects.get(pk=tree.commune_b.pk).add_child(
            code=f"H{i}", name=f"Ấp số {i}", kind=kinds.hamlet
        )
        make_assignment(unit=hamlet, name=f"Người Số {i}")
    one = make_assignment(unit=tree.hamlet_a1, name="Người Cuối")
    one.status, one.completed_at = S.COMPLETED, timezone.now()
    Assignment.objects.filter(pk=one.pk).update(status=S.COMPLETED, completed_at=one.completed_at)
    # Own rows (reads, delete, insert), 3 tree levels (reads, writes), unit lookups, and on
    # PostgreSQL the advisory locks and savepoints: the same number for 2 or 25 hamlets.
    with django_assert_max_num_queries(30):
        counts.refresh(unit_years=[(tree.hamlet_a1.pk, YEAR)])
    assert_counts_match(tree.city)
