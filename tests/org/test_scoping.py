"""lms.org.scoping: a unit manager sees only their subtree; roles combine; system admin sees all."""

import pytest

from lms.org import scoping
from lms.org.models import StaffRole
from lms.org.selectors import people_list, staff_roles_visible, units_manageable
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, groups):
    return factories.staff_world(tree, groups)


def test_manager_units_and_people_are_their_subtree(world, tree):
    units = set(scoping.visible_units(user=world.manager_a))
    assert units == {tree.commune_a, tree.hamlet_a1, tree.board_a}
    assert set(scoping.visible_people(user=world.manager_a)) == {world.person_a}
    assert set(scoping.visible_people(user=world.manager_b)) == {world.person_b}


def test_system_admin_and_superuser_see_everything(world, tree):
    assert scoping.visible_units(user=world.admin).count() == 6
    assert scoping.visible_people(user=world.admin).count() == 2


def test_learner_and_trainer_see_no_people(world):
    assert not scoping.visible_people(user=world.learner).exists()
    assert not scoping.visible_people(user=world.trainer).exists()


def test_two_scopes_combine(world, tree):
    StaffRole.objects.create(user=world.manager_a, role="manager", unit=tree.hamlet_b1)
    world.manager_a.refresh_from_db()
    assert set(scoping.visible_people(user=world.manager_a)) == {world.person_a, world.person_b}


def test_only_administrators_may_change_the_tree(world, tree):
    assert not units_manageable(user=world.manager_a).exists()
    assert set(units_manageable(user=world.admin_a)) == {
        tree.commune_a,
        tree.hamlet_a1,
        tree.board_a,
    }


def test_a_past_position_keeps_the_person_visible_to_the_old_unit(world, tree, groups):
    import datetime as dt

    from lms.org.services import position_end

    position_end(position=world.person_a.positions.get(), end_date=dt.date(2025, 12, 31))
    assert world.person_a in scoping.visible_people(user=world.manager_a)
    current = people_list(user=world.manager_a, unit=tree.commune_a)
    assert world.person_a not in current


def test_scoped_admin_sees_roles_in_subtree_only(world, tree):
    roles = set(staff_roles_visible(user=world.admin_a))
    assert {r.user for r in roles} == {world.manager_a, world.admin_a}
    assert staff_roles_visible(user=world.admin).count() == StaffRole.objects.count()
