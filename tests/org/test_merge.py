import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lms.org.models import PositionAssignment, Unit, UnitEvent
from lms.org.services import unit_merge, unit_name_on, unit_rename
from tests.factories import PersonFactory

MERGE_DAY = dt.date(2026, 7, 1)


@pytest.fixture
def staffed(tree, groups):
    head = PersonFactory(full_name="Nguyễn Văn Hùng")
    board_member = PersonFactory(full_name="Trần Thị Lan")
    left_before = PersonFactory(full_name="Lê Văn Tâm")
    PositionAssignment.objects.create(
        person=head,
        unit=tree.hamlet_b1,
        target_group=groups.hamlet_head,
        title="Trưởng ấp",
        start_date=dt.date(2025, 7, 1),
    )
    PositionAssignment.objects.create(
        person=board_member,
        unit=tree.commune_b,
        target_group=groups.inspection,
        start_date=dt.date(2025, 9, 1),
    )
    PositionAssignment.objects.create(
        person=left_before,
        unit=tree.commune_b,
        target_group=groups.official,
        start_date=dt.date(2025, 7, 1),
        end_date=dt.date(2026, 3, 1),
    )
    return head, board_member, left_before


def test_merge_moves_people_and_keeps_past_years_as_they_were(tree, staffed):
    head, board_member, left_before = staffed

    unit_merge(sources=[tree.commune_b], successor=tree.commune_a, date=MERGE_DAY)

    commune_b = Unit.objects.get(pk=tree.commune_b.pk)
    assert commune_b.valid_to == MERGE_DAY and commune_b.successor_id == tree.commune_a.pk
    # The hamlet continues under the successor with the same code; the old one is history.
    new_hamlet = Unit.objects.active_on(MERGE_DAY).get(code="TT-B1")
    assert new_hamlet.get_parent().pk == tree.commune_a.pk
    assert Unit.objects.get(pk=tree.hamlet_b1.pk).successor_id == new_hamlet.pk

    # People now hold their positions in the successor units…
    assert head.positions.current().get().unit_id == new_hamlet.pk
    assert board_member.positions.active_on(MERGE_DAY).get().unit_id == tree.commune_a.pk
    # …someone who left before the merge does not move.
    assert left_before.positions.count() == 1

    # A report for 2025 still sees the old communes with their people.
    units_2025 = Unit.objects.overlapping_year(2025)
    assert {tree.commune_b.pk, tree.hamlet_b1.pk} <= set(units_2025.values_list("pk", flat=True))
    positions_2025 = PositionAssignment.objects.overlapping_year(2025).filter(unit=tree.commune_b)
    assert {p.person_id for p in positions_2025} == {board_member.pk, left_before.pk}
    # And the current tree no longer shows commune B.
    assert not Unit.objects.active_on(MERGE_DAY).filter(pk=tree.commune_b.pk).exists()
    assert UnitEvent.objects.filter(unit=commune_b, kind=UnitEvent.Kind.MERGED).exists()


def test_merge_into_own_subtree_is_refused(tree):
    with pytest.raises(ValidationError):
        unit_merge(sources=[tree.commune_a], successor=tree.hamlet_a1, date=MERGE_DAY)


def test_rename_keeps_the_old_name_for_earlier_dates(tree):
    unit_rename(unit=tree.commune_a, new_name="Phường Bắc Tân Uyên", date=dt.date(2026, 1, 1))
    assert unit_name_on(unit=tree.commune_a, day=dt.date(2025, 12, 31)) == "Xã Bắc Tân Uyên"
    assert unit_name_on(unit=tree.commune_a, day=dt.date(2026, 1, 2)) == "Phường Bắc Tân Uyên"
