"""People, positions and staff-role screens: scoped lists, search, sort, forms that keep input."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from lms.org.models import Person, PositionAssignment, StaffRole
from lms.org.roles import GROUP_NAMES
from tests import factories

pytestmark = pytest.mark.django_db


def denied(response) -> bool:
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


@pytest.fixture
def world(tree, groups):
    return factories.staff_world(tree, groups)


def _names(response):
    return [p.full_name for p in response.context["object_list"]]


def test_manager_lists_only_people_of_own_subtree(client, world):
    client.force_login(world.manager_a)
    response = client.get(reverse("org_people:index"))
    assert response.status_code == 200
    assert _names(response) == ["Nguyễn Văn An"]


def test_people_sorted_by_given_name_and_searchable_without_accents(client, world, tree, groups):
    for name in ("Lê Thị Yến", "Phạm Văn Ánh", "Đỗ Minh Đức"):
        person = factories.PersonFactory(full_name=name)
        factories.PositionFactory(person=person, unit=tree.hamlet_a1, target_group=groups.official)
    client.force_login(world.manager_a)
    response = client.get(reverse("org_people:index"))
    assert _names(response) == ["Nguyễn Văn An", "Phạm Văn Ánh", "Đỗ Minh Đức", "Lê Thị Yến"]
    found = client.get(reverse("org_people:index"), {"q": "duc"})
    assert _names(found) == ["Đỗ Minh Đức"]
    by_phone = client.get(reverse("org_people:index"), {"q": "0912000001"})
    assert _names(by_phone) == ["Nguyễn Văn An"]


def test_people_filters_by_unit_subtree_target_group_and_active(client, world, tree, groups):
    official = factories.PersonFactory(full_name="Võ Văn Công", is_active=False)
    factories.PositionFactory(person=official, unit=tree.board_a, target_group=groups.official)
    client.force_login(world.admin)
    url = reverse("org_people:index")
    assert set(_names(client.get(url, {"unit": tree.commune_a.pk}))) == {
        "Nguyễn Văn An",
        "Võ Văn Công",
    }
    assert _names(client.get(url, {"target_group": groups.official.pk})) == ["Võ Văn Công"]
    assert "Võ Văn Công" not in _names(client.get(url, {"is_active": "true"}))
    # A manager cannot filter by a unit outside their scope: not found, not silently unfiltered.
    client.force_login(world.manager_b)
    assert client.get(url, {"unit": tree.commune_a.pk}).status_code == 404


def test_people_listing_query_count_does_not_grow(
    client, world, tree, groups, django_assert_max_num_queries
):
    client.force_login(world.manager_a)
    url = reverse("org_people:index")
    client.get(url)
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for _ in range(20):
        factories.PositionFactory(unit=tree.hamlet_a1, target_group=groups.official)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.context["object_list"]) == 21


def test_manager_creates_person_with_a_position_in_scope(client, world, tree, groups):
    client.force_login(world.manager_a)
    url = reverse("org_people:add")
    form = client.get(url).context["form"]
    assert tree.hamlet_b1 not in form.fields["unit"].queryset
    data = {
        "full_name": "Hoàng  Thị Mai",
        "phone": "+84 912 000 009",
        "unit": tree.hamlet_a1.pk,
        "target_group": groups.official.pk,
        "start_date": "01/01/2026",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    person = Person.objects.get(phone="0912000009")
    assert person.full_name == "Hoàng Thị Mai"
    assert person.positions.get().unit == tree.hamlet_a1
    duplicate = client.post(url, {**data, "phone": "0912 000 009", "full_name": "Người khác"})
    assert duplicate.status_code == 200
    assert duplicate.context["form"].errors["phone"] == [
        "Số điện thoại này đã thuộc về người khác."
    ]
    assert duplicate.context["form"]["full_name"].value() == "Người khác"


def test_sibling_manager_gets_404_for_person_outside_subtree(client, world):
    client.force_login(world.manager_b)
    assert client.get(reverse("org_people:edit", args=[world.person_a.pk])).status_code == 404
    response = client.post(reverse("org_people:edit", args=[world.person_a.pk]), {"full_name": "X"})
    assert response.status_code == 404
    assert Person.objects.get(pk=world.person_a.pk).full_name == "Nguyễn Văn An"


def test_people_cannot_be_deleted_from_the_screens(client, world):
    client.force_login(world.admin)
    assert denied(client.get(reverse("org_people:delete", args=[world.person_a.pk])))


def test_positions_listed_and_ended_within_scope(client, world, tree):
    position = world.person_a.positions.get()
    client.force_login(world.manager_a)
    listing = client.get(reverse("org_positions:index"))
    assert [p.pk for p in listing.context["object_list"]] == [position.pk]
    response = client.post(
        reverse("org_positions:edit", args=[position.pk]),
        {"title": "Trưởng ấp", "end_date": "01/06/2026", "note": ""},
    )
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.end_date == dt.date(2026, 6, 1) and position.title == "Trưởng ấp"
    other = world.person_b.positions.get()
    assert client.get(reverse("org_positions:edit", args=[other.pk])).status_code == 404


def test_position_create_offers_only_people_and_units_in_scope(client, world, tree, groups):
    client.force_login(world.manager_a)
    url = reverse("org_positions:add")
    form = client.get(url, {"person": world.person_a.pk}).context["form"]
    assert set(form.fields["person"].queryset) == {world.person_a}
    assert form.initial["person"] == world.person_a.pk
    response = client.post(
        url,
        {
            "person": world.person_b.pk,
            "unit": tree.hamlet_a1.pk,
            "target_group": groups.official.pk,
            "start_date": "01/01/2026",
        },
    )
    assert response.status_code == 200 and "person" in response.context["form"].errors
    ok = client.post(
        url,
        {
            "person": world.person_a.pk,
            "unit": tree.board_a.pk,
            "target_group": groups.inspection.pk,
            "start_date": "01/01/2026",
        },
    )
    assert ok.status_code == 302
    assert PositionAssignment.objects.filter(person=world.person_a, unit=tree.board_a).exists()


def test_position_listing_query_count_does_not_grow(
    client, world, tree, groups, django_assert_max_num_queries
):
    client.force_login(world.admin)
    url = reverse("org_positions:index")
    client.get(url)
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for _ in range(10):
        factories.PositionFactory(unit=tree.hamlet_b1, target_group=groups.official)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_target_groups_and_unit_kinds_are_for_administrators(client, world, groups):
    client.force_login(world.manager_a)
    assert denied(client.get(reverse("org_target_groups:index")))
    assert denied(client.get(reverse("org_unit_kinds:index")))
    client.force_login(world.admin_a)
    assert client.get(reverse("org_target_groups:index")).status_code == 200
    assert denied(client.get(reverse("org_target_groups:edit", args=[groups.official.pk])))
    client.force_login(world.admin)
    assert (
        client.get(reverse("org_target_groups:edit", args=[groups.official.pk])).status_code == 200
    )


def test_scoped_admin_grants_roles_only_inside_subtree(client, world, tree):
    client.force_login(world.admin_a)
    url = reverse("org_staff_roles:add")
    form = client.get(url).context["form"]
    assert tree.commune_b not in form.fields["unit"].queryset
    assert world.person_b.user not in form.fields["user"].queryset
    outside = client.post(
        url, {"user": world.learner.pk, "role": "manager", "unit": tree.commune_b.pk}
    )
    assert outside.status_code == 200 and "unit" in outside.context["form"].errors
    everywhere = client.post(url, {"user": world.learner.pk, "role": "manager", "unit": ""})
    assert everywhere.status_code == 200 and "unit" in everywhere.context["form"].errors
    granted = client.post(
        url, {"user": world.learner.pk, "role": "manager", "unit": tree.hamlet_a1.pk}
    )
    assert granted.status_code == 302
    role = StaffRole.objects.get(user=world.learner)
    assert world.learner.groups.filter(name=GROUP_NAMES["manager"]).exists()
    listing = client.get(reverse("org_staff_roles:index"))
    assert world.manager_b.staff_roles.get() not in listing.context["object_list"]
    assert (
        client.get(
            reverse("org_staff_roles:delete", args=[world.manager_b.staff_roles.get().pk])
        ).status_code
        == 404
    )
    assert client.post(reverse("org_staff_roles:delete", args=[role.pk])).status_code == 302
    assert not world.learner.groups.filter(name__in=GROUP_NAMES.values()).exists()


def test_staff_role_rows_keep_groups_in_sync(world):
    group = Group.objects.get(name=GROUP_NAMES["trainer"])
    assert world.trainer.groups.filter(pk=group.pk).exists()
    StaffRole.objects.filter(user=world.trainer).delete()
    assert not world.trainer.groups.filter(pk=group.pk).exists()
    StaffRole.objects.create(user=world.trainer, role="trainer")
    assert world.trainer.groups.filter(pk=group.pk).exists()


def test_people_list_filtered_by_a_sibling_unit_is_not_found(client, world, tree):
    """`?unit=<sibling unit>` must not silently fall back to the unfiltered list."""
    client.force_login(world.manager_a)
    url = reverse("org_people:index")
    assert client.get(url, {"unit": tree.commune_a.pk}).status_code == 200
    assert client.get(url, {"unit": tree.hamlet_b1.pk}).status_code == 404
    assert (
        client.get(reverse("org_people:index_results"), {"unit": tree.hamlet_b1.pk}).status_code
        == 404
    )
    assert client.get(url, {"unit": 999999}).status_code == 404


def test_positions_list_filtered_outside_the_subtree_is_not_found(client, world, tree):
    client.force_login(world.manager_a)
    url = reverse("org_positions:index")
    assert client.get(url, {"unit": tree.hamlet_a1.pk}).status_code == 200
    assert client.get(url, {"unit": tree.hamlet_b1.pk}).status_code == 404
    assert client.get(url, {"person": world.person_a.pk}).status_code == 200
    assert client.get(url, {"person": world.person_b.pk}).status_code == 404


def test_out_of_scope_unit_edit_is_not_found_but_own_unit_is_refused(client, world, tree):
    client.force_login(world.manager_a)
    foreign = client.get(reverse("org_units:edit", args=[tree.hamlet_b1.pk]))
    assert foreign.status_code == 404
    own = client.get(reverse("org_units:edit", args=[tree.hamlet_a1.pk]))
    assert own.status_code == 302 and own["Location"] == reverse("wagtailadmin_home")
