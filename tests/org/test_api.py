"""The org API: scoped like the screens, session or bearer token, fixed query counts."""

import pytest
from wagtail.models import APIToken

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tree, groups):
    return factories.staff_world(tree, groups)


def _bearer(user):
    _token, raw = APIToken.create_token(user=user, name="Hệ thống quản lý cán bộ")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_units_are_the_callers_subtree_with_parents(client, world, tree):
    client.force_login(world.manager_a)
    response = client.get("/api/org/units")
    assert response.status_code == 200
    units = {u["code"]: u for u in response.json()}
    assert set(units) == {"BTU", "BTU-A1", "BTU-TTND"}
    assert units["BTU"]["parent_id"] is None
    assert units["BTU-A1"]["parent_id"] == tree.commune_a.pk
    assert units["BTU"]["people_count"] == 1
    assert units["BTU"]["kind"] == "xa-phuong"


def test_system_admin_sees_the_whole_tree(client, world):
    client.force_login(world.admin)
    assert len(client.get("/api/org/units").json()) == 6


def test_people_filtered_searched_sorted_and_paginated(client, world, tree, groups):
    for name in ("Lê Thị Yến", "Đỗ Minh Đức"):
        person = factories.PersonFactory(full_name=name)
        factories.PositionFactory(person=person, unit=tree.board_a, target_group=groups.inspection)
    client.force_login(world.manager_a)
    body = client.get("/api/org/people").json()
    assert body["count"] == 3
    assert [p["full_name"] for p in body["items"]] == ["Nguyễn Văn An", "Đỗ Minh Đức", "Lê Thị Yến"]
    assert body["items"][0]["current_positions"][0]["unit_code"] == "BTU-A1"
    by_group = client.get("/api/org/people", {"target_group": "ban-ttnd"}).json()
    assert {p["full_name"] for p in by_group["items"]} == {"Đỗ Minh Đức", "Lê Thị Yến"}
    by_unit = client.get("/api/org/people", {"unit": tree.hamlet_a1.pk}).json()
    assert [p["full_name"] for p in by_unit["items"]] == ["Nguyễn Văn An"]
    searched = client.get("/api/org/people", {"q": "thi yen"}).json()
    assert [p["full_name"] for p in searched["items"]] == ["Lê Thị Yến"]
    page2 = client.get("/api/org/people", {"page": 2}).json()
    assert page2["items"] == []


def test_person_detail_with_positions(client, world):
    client.force_login(world.manager_a)
    body = client.get(f"/api/org/people/{world.person_a.pk}").json()
    assert body["full_name"] == "Nguyễn Văn An"
    assert [p["target_group"] for p in body["positions"]] == ["truong-thon"]


def test_sibling_manager_sees_nothing_of_the_other_subtree(client, world, tree):
    client.force_login(world.manager_b)
    assert "BTU" not in {u["code"] for u in client.get("/api/org/units").json()}
    names = [p["full_name"] for p in client.get("/api/org/people").json()["items"]]
    assert names == ["Trần Thị Bình"]
    assert client.get(f"/api/org/people/{world.person_a.pk}").status_code == 404
    assert client.get("/api/org/people", {"unit": tree.commune_a.pk}).status_code == 404


def test_bearer_token_acts_as_its_owner(client, world):
    headers = _bearer(world.manager_b)
    response = client.get("/api/org/people", **headers)
    assert response.status_code == 200
    assert [p["full_name"] for p in response.json()["items"]] == ["Trần Thị Bình"]
    assert client.get(f"/api/org/people/{world.person_a.pk}", **headers).status_code == 404
    token = APIToken.objects.get()
    assert token.last_used_at is not None


def test_revoked_or_wrong_token_is_refused(client, world):
    headers = _bearer(world.admin)
    APIToken.objects.get().revoke()
    assert client.get("/api/org/units", **headers).status_code == 401
    assert client.get("/api/org/units", HTTP_AUTHORIZATION="Bearer wagtail_sai").status_code == 401


def test_token_of_inactive_owner_is_refused(client, world):
    headers = _bearer(world.admin)
    world.admin.is_active = False
    world.admin.save()
    assert client.get("/api/org/units", **headers).status_code == 401


def test_anonymous_and_learners_are_refused(client, world):
    assert client.get("/api/org/units").status_code == 401
    client.force_login(world.learner)
    assert client.get("/api/org/people").status_code == 403
    client.force_login(world.trainer)
    assert client.get("/api/org/units").status_code == 403


def test_openapi_docs(client, world):
    client.force_login(world.admin)
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["version"] == "1"
    assert "/api/org/people/{person_id}" in schema["paths"]


def _grow(tree, groups, n):
    for _ in range(n):
        factories.PositionFactory(unit=tree.hamlet_a1, target_group=groups.official)


@pytest.mark.parametrize("url", ["/api/org/units", "/api/org/people"])
def test_query_count_does_not_grow_with_rows(
    client,
    world,
    tree,
    groups,
    kinds,
    url,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    headers = _bearer(world.admin)
    client.get(url, **headers)
    with django_assert_max_num_queries(50) as before:
        client.get(url, **headers)
    _grow(tree, groups, 12)
    for i in range(5):
        tree.commune_a.refresh_from_db()
        tree.commune_a.add_child(code=f"BTU-X{i}", name=f"Ấp X{i}", kind=kinds.hamlet)
    with django_assert_num_queries(len(before.captured_queries)):
        client.get(url, **headers)


def test_person_detail_query_count(
    client, world, tree, groups, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(world.admin)
    url = f"/api/org/people/{world.person_a.pk}"
    client.get(url)
    with django_assert_max_num_queries(50) as before:
        client.get(url)
    for _ in range(4):
        factories.PositionFactory(
            person=world.person_a, unit=tree.board_a, target_group=groups.inspection
        )
    with django_assert_num_queries(len(before.captured_queries)):
        assert len(client.get(url).json()["positions"]) == 5
