import datetime as dt

import pytest

from lms.dissemination.api import coverage_for, coverage_total
from lms.org.models import Unit
from tests.dissemination.conftest import YEAR, make_activity


def _rows(tree):
    return {row.unit.code: row for row in coverage_for(root_unit=tree.city, year=YEAR)}


@pytest.mark.django_db
def test_coverage_rolls_up_hamlets_into_their_commune(tree):
    make_activity(tree.commune_a, participants=100)
    make_activity(tree.hamlet_a1, participants=40)
    make_activity(tree.hamlet_a1, participants=10, day=dt.date(YEAR, 9, 9))
    rows = _rows(tree)
    a, b = rows["BTU"], rows["TT"]
    # Commune A: itself, hamlet A1 and its board; two of the three recorded activity.
    assert (a.units_total, a.units_covered, a.sessions, a.participants) == (3, 2, 3, 150)
    assert a.percent == 66.7
    assert (b.units_total, b.units_covered, b.sessions, b.participants) == (2, 0, 0, 0)
    assert b.percent == 0


@pytest.mark.django_db
def test_coverage_counts_only_the_requested_year(tree):
    make_activity(tree.commune_b, day=dt.date(YEAR - 1, 12, 31))
    make_activity(tree.commune_b, day=dt.date(YEAR + 1, 1, 1))
    assert _rows(tree)["TT"].sessions == 0


@pytest.mark.django_db
def test_coverage_ignores_units_that_did_not_exist_that_year(tree, kinds):
    tree.commune_b.add_child(
        code="TT-OLD", name="Ấp cũ", kind=kinds.hamlet, valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(YEAR - 1, 7, 1),
    )  # fmt: skip
    assert _rows(tree)["TT"].units_total == 2


@pytest.mark.django_db
def test_coverage_total_moves_when_a_unit_records_an_activity(tree):
    before = coverage_total(root_unit=tree.city, year=YEAR)
    assert before.units_total == 6 and before.units_covered == 0 and before.percent == 0
    make_activity(tree.hamlet_b1, participants=25)
    after = coverage_total(root_unit=tree.city, year=YEAR)
    assert after.units_covered == 1 and after.percent == round(100 / 6, 1)
    assert after.participants == 25


def _grow(tree, kinds, communes: int):
    city = Unit.objects.get(pk=tree.city.pk)
    for index in range(communes):
        commune = city.add_child(code=f"X{index}", name=f"Xã {index}", kind=kinds.commune)
        city = Unit.objects.get(pk=city.pk)
        hamlet = commune.add_child(code=f"X{index}-1", name=f"Ấp {index}", kind=kinds.hamlet)
        make_activity(hamlet)


@pytest.mark.django_db
@pytest.mark.parametrize("communes", [2, 20])
def test_coverage_query_count_does_not_grow_with_units(
    tree, kinds, communes, django_assert_num_queries
):
    _grow(tree, kinds, communes)
    with django_assert_num_queries(3):
        rows = coverage_for(root_unit=tree.city, year=YEAR)
    assert len(rows) == communes + 2
    assert all(row.units_covered == 1 for row in rows if row.unit.code.startswith("X"))
    with django_assert_num_queries(2):
        coverage_total(root_unit=tree.city, year=YEAR)
