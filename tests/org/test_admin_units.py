"""Unit tree screens: readable tree, scoped lists, create child, rename, merge, end."""

import datetime as dt

import pytest
from django.urls import reverse

from lms.org.models import PositionAssignment, Unit, UnitEvent
from tests import factories

pytestmark = pytest.mark.django_db


def denied(response) -> bool:
    """Wagtail answers a refused admin view with a redirect to the admin home and a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


@pytest.fixture
def world(tree, groups):
    return factories.staff_world(tree, groups)


def test_tree_lists_units_in_tree_order_with_people_counts(client, world, tree):
    client.force_login(world.admin)
    response = client.get(reverse("org_units:index"))
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(u.name) for u in (tree.city, tree.commune_a, tree.hamlet_a1)]
    assert positions == sorted(positions)
    rows = {u.pk: u for u in response.context["object_list"]}
    assert rows[tree.city.pk].people_count == 2
    assert rows[tree.commune_a.pk].people_count == 1
    assert rows[tree.hamlet_b1.pk].people_count == 1
    assert "Thêm đơn vị trực thuộc" in html


def test_manager_sees_only_own_subtree_and_cannot_change_it(client, world, tree):
    client.force_login(world.manager_a)
    response = client.get(reverse("org_units:index"))
    assert response.status_code == 200
    names = {u.name for u in response.context["object_list"]}
    assert names == {tree.commune_a.name, tree.hamlet_a1.name, tree.board_a.name}
    assert "Thêm đơn vị trực thuộc" not in response.content.decode()
    assert denied(client.get(reverse("org_units:edit", args=[tree.commune_a.pk])))


def test_tree_search_ignores_accents(client, world, tree):
    client.force_login(world.admin)
    response = client.get(reverse("org_units:index"), {"q": "bac tan uyen"})
    names = {u.name for u in response.context["object_list"]}
    assert tree.commune_a.name in names
    assert tree.commune_b.name not in names


def test_tree_query_count_does_not_grow_with_units(
    client, world, tree, kinds, django_assert_max_num_queries
):
    client.force_login(world.admin)
    url = reverse("org_units:index")
    client.get(url)
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    parent = Unit.objects.get(pk=tree.commune_b.pk)
    for i in range(15):
        parent.add_child(code=f"TT-X{i}", name=f"Khu phố {i}", kind=kinds.hamlet)
        parent = Unit.objects.get(pk=tree.commune_b.pk)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_scoped_admin_creates_child_unit_inside_subtree_only(client, world, tree, kinds):
    client.force_login(world.admin_a)
    url = reverse("org_units:add")
    page = client.get(url, {"parent": tree.commune_a.pk})
    assert page.status_code == 200
    choices = {u.pk for u in page.context["form"].fields["parent"].queryset}
    assert tree.commune_b.pk not in choices and tree.commune_a.pk in choices
    data = {"parent": tree.commune_a.pk, "code": "btu-a2", "name": "Ấp  2", "kind": kinds.hamlet.pk}
    response = client.post(url, data)
    assert response.status_code == 302
    unit = Unit.objects.get(code="BTU-A2")
    assert unit.get_parent().pk == tree.commune_a.pk
    assert unit.events.filter(kind=UnitEvent.Kind.CREATED).exists()
    refused = client.post(url, {**data, "parent": tree.commune_b.pk, "code": "x"})
    assert refused.status_code == 200
    assert "parent" in refused.context["form"].errors
    assert refused.context["form"]["code"].value() == "x"


def test_rename_records_history(client, world, tree):
    client.force_login(world.admin_a)
    url = reverse("org_units:rename", args=[tree.commune_a.pk])
    response = client.post(url, {"new_name": "Phường Bắc Tân Uyên", "date": "01/01/2026"})
    assert response.status_code == 302
    event = UnitEvent.objects.get(unit=tree.commune_a, kind=UnitEvent.Kind.RENAMED)
    assert (event.old_name, event.new_name) == ("Xã Bắc Tân Uyên", "Phường Bắc Tân Uyên")
    assert event.actor == world.admin_a


def test_rename_out_of_scope_is_404_and_manager_is_403(client, world, tree):
    client.force_login(world.admin_a)
    assert client.get(reverse("org_units:rename", args=[tree.commune_b.pk])).status_code == 404
    client.force_login(world.manager_a)
    assert denied(client.get(reverse("org_units:rename", args=[tree.commune_a.pk])))


def test_merge_previews_then_moves_people(client, world, tree):
    client.force_login(world.admin)
    url = reverse("org_units:merge")
    data = {"sources": [tree.commune_b.pk], "successor": tree.commune_a.pk, "date": "01/01/2026"}
    preview = client.post(url, data)
    assert preview.status_code == 200
    assert "Xác nhận sáp nhập" in preview.content.decode()
    row = preview.context["preview"][0]
    assert (row["positions"], row["people"]) == (1, 1)
    assert Unit.objects.get(pk=tree.commune_b.pk).valid_to is None
    done = client.post(url, {**data, "confirm": "1"})
    assert done.status_code == 302
    merged = Unit.objects.get(pk=tree.commune_b.pk)
    assert merged.valid_to == dt.date(2026, 1, 1) and merged.successor_id == tree.commune_a.pk
    moved = PositionAssignment.objects.get(person=world.person_b, end_date__isnull=True)
    assert moved.unit.get_parent().pk == tree.commune_a.pk


def test_merge_form_keeps_input_on_error(client, world, tree):
    client.force_login(world.admin)
    response = client.post(
        reverse("org_units:merge"),
        {"sources": [tree.commune_b.pk], "successor": tree.commune_b.pk, "date": "01/01/2026"},
    )
    assert response.status_code == 200
    assert "successor" in response.context["form"].errors
    assert response.context["form"]["date"].value() == "01/01/2026"


def test_units_are_ended_not_deleted(client, world, tree):
    client.force_login(world.admin)
    assert denied(client.get(reverse("org_units:delete", args=[tree.board_a.pk])))
    response = client.post(
        reverse("org_units:edit", args=[tree.board_a.pk]),
        {
            "code": tree.board_a.code,
            "kind": tree.board_a.kind_id,
            "place_name": "",
            "valid_from": "",
            "valid_to": "01/03/2026",
        },
    )
    assert response.status_code == 302
    assert UnitEvent.objects.filter(unit=tree.board_a, kind=UnitEvent.Kind.DISSOLVED).exists()
    assert Unit.objects.filter(pk=tree.board_a.pk).exists()


def test_unit_with_active_children_cannot_end(client, world, tree):
    client.force_login(world.admin)
    response = client.post(
        reverse("org_units:edit", args=[tree.commune_a.pk]),
        {
            "code": "BTU",
            "kind": tree.commune_a.kind_id,
            "valid_from": "01/07/2025",
            "valid_to": "01/03/2026",
        },
    )
    assert response.status_code == 200
    assert "valid_to" in response.context["form"].errors
