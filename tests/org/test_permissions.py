"""Permission matrix: every org staff view and API endpoint, visited as every role.

Add a view by adding one line to MATRIX. `test_matrix_covers_every_org_view` fails when a view
of the org viewsets, the account admin or the API has no line.
"""

import pytest
from django.urls import get_resolver, reverse

from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "learner", "trainer", "manager_a", "manager_b", "admin_a", "admin")
OK, NO, NF = "ok", "refused", "404"


def row(*expected: str) -> dict[str, str]:
    assert len(expected) == len(ROLES)
    return dict(zip(ROLES, expected, strict=True))


#                         anon learner trainer mgr_A mgr_B adm_A admin
STAFF = row(NO, NO, NO, OK, OK, OK, OK)
IN_A = row(NO, NO, NO, OK, NF, OK, OK)
ADMINS = row(NO, NO, NO, NO, NO, OK, OK)
ADMIN_IN_B = row(NO, NO, NO, NO, NO, NF, OK)
SYSTEM = row(NO, NO, NO, NO, NO, NO, OK)
NOBODY = row(NO, NO, NO, NO, NO, NO, NO)
STAFF_IN_B = row(NO, NO, NO, NF, OK, NF, OK)
# Objects outside a manager's subtree are 404 before any role check (no "no permission"
# redirect that would confirm they exist); inside it, missing roles are still refused.
ADMINS_IN_A = row(NO, NO, NO, NO, NF, OK, OK)
UNIT_ADMINS_IN_B = row(NO, NO, NO, NF, NO, NF, OK)
NOBODY_IN_A = row(NO, NO, NO, NO, NF, NO, NO)

# (url name, object the URL points at or None, expected outcome per role)
MATRIX = [
    ("org_units:index", None, STAFF),
    ("org_units:index_results", None, STAFF),
    ("org_units:add", None, ADMINS),
    ("org_units:edit", "unit_a", ADMINS_IN_A),
    ("org_units:edit", "unit_b", UNIT_ADMINS_IN_B),
    ("org_units:delete", "unit_a", NOBODY_IN_A),
    ("org_units:history", "unit_a", ADMINS_IN_A),
    ("org_units:history_results", "unit_a", ADMINS_IN_A),
    ("org_units:usage", "unit_a", ADMINS_IN_A),
    ("org_units:rename", "unit_a", ADMINS_IN_A),
    ("org_units:rename", "unit_b", UNIT_ADMINS_IN_B),
    ("org_units:merge", None, ADMINS),
    ("org_people:index", None, STAFF),
    ("org_people:index_results", None, STAFF),
    ("org_people:add", None, STAFF),
    ("org_people:edit", "person_a", IN_A),
    ("org_people:edit", "person_b", STAFF_IN_B),
    ("org_people:delete", "person_a", NOBODY_IN_A),
    ("org_people:history", "person_a", IN_A),
    ("org_people:history_results", "person_a", IN_A),
    ("org_people:usage", "person_a", IN_A),
    ("org_positions:index", None, STAFF),
    ("org_positions:index_results", None, STAFF),
    ("org_positions:add", None, STAFF),
    ("org_positions:edit", "position_a", IN_A),
    ("org_positions:delete", "position_a", NOBODY_IN_A),
    ("org_positions:history", "position_a", IN_A),
    ("org_positions:history_results", "position_a", IN_A),
    ("org_positions:usage", "position_a", IN_A),
    ("org_target_groups:index", None, ADMINS),
    ("org_target_groups:index_results", None, ADMINS),
    ("org_target_groups:add", None, SYSTEM),
    ("org_target_groups:edit", "target_group", SYSTEM),
    ("org_target_groups:delete", "target_group", NOBODY),
    ("org_target_groups:history", "target_group", SYSTEM),
    ("org_target_groups:history_results", "target_group", SYSTEM),
    ("org_target_groups:usage", "target_group", SYSTEM),
    ("org_unit_kinds:index", None, ADMINS),
    ("org_unit_kinds:index_results", None, ADMINS),
    ("org_unit_kinds:add", None, SYSTEM),
    ("org_unit_kinds:edit", "unit_kind", SYSTEM),
    ("org_unit_kinds:delete", "unit_kind", NOBODY),
    ("org_unit_kinds:history", "unit_kind", SYSTEM),
    ("org_unit_kinds:history_results", "unit_kind", SYSTEM),
    ("org_unit_kinds:usage", "unit_kind", SYSTEM),
    ("org_staff_roles:index", None, ADMINS),
    ("org_staff_roles:index_results", None, ADMINS),
    ("org_staff_roles:add", None, ADMINS),
    ("org_staff_roles:edit", "role_a", NOBODY),
    ("org_staff_roles:delete", "role_a", ADMINS),
    ("org_staff_roles:delete", "role_b", ADMIN_IN_B),
    ("org_staff_roles:history", "role_a", ADMINS),
    ("org_staff_roles:history_results", "role_a", ADMINS),
    ("org_staff_roles:usage", "role_a", NOBODY),
    ("accounts_admin:reset_password", "person_a", IN_A),
    ("accounts_admin:reset_password", "person_b", STAFF_IN_B),
    ("api:list_units", None, STAFF),
    ("api:list_people", None, STAFF),
    ("api:get_person", "person_a", IN_A),
    ("api:get_person", "person_b", STAFF_IN_B),
    ("api:completion", "unit_a", IN_A),
    ("api:completion", "unit_b", STAFF_IN_B),
    ("api:missing", "unit_a", IN_A),
    ("api:missing", "unit_b", STAFF_IN_B),
    ("api:assignments", "unit_a", IN_A),
    ("api:assignments", "unit_b", STAFF_IN_B),
    ("api:coverage", None, STAFF),  # without unit_id: the top of the caller's own scope
]

NAMESPACES = (
    "org_units",
    "org_people",
    "org_positions",
    "org_target_groups",
    "org_unit_kinds",
    "org_staff_roles",
    "accounts_admin",
)
# The API root, schema and docs pages are not data: any signed-in user may read the schema.
API_DOCS = {"api:api-root", "api:openapi-json", "api:openapi-view"}


def _objects(world, tree, groups):
    return {
        "unit_a": tree.hamlet_a1,
        "unit_b": tree.hamlet_b1,
        "person_a": world.person_a,
        "person_b": world.person_b,
        "position_a": world.person_a.positions.get(),
        "target_group": groups.official,
        "unit_kind": tree.city.kind,
        "role_a": world.manager_a.staff_roles.get(),
        "role_b": world.manager_b.staff_roles.get(),
    }


def _url(name: str, obj) -> str:
    if obj is None:
        return reverse(name)
    if name in ("api:completion", "api:missing", "api:assignments"):
        return reverse(name, kwargs={"unit_id": obj.pk})
    if name.startswith("api:"):
        return reverse(name, kwargs={"person_id": obj.pk})
    if name.startswith("accounts_admin:"):
        return reverse(name, kwargs={"person_id": obj.pk})
    return reverse(name, args=[obj.pk])


def _outcome(response) -> str:
    if response.status_code == 200:
        return OK
    if response.status_code == 404:
        return NF
    if response.status_code in (401, 403):
        return NO
    if response.status_code == 302:
        location = response["Location"]
        assert location.startswith(("/tai-khoan/dang-nhap/", "/admin/")), location
        assert not location.startswith("/tai-khoan/doi-mat-khau/")
        return NO
    raise AssertionError(f"unexpected status {response.status_code}")


@pytest.fixture
def world(tree, groups):
    return factories.staff_world(tree, groups)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, tree, groups, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    objects = _objects(world, tree, groups)
    failures = []
    for name, key, expected in MATRIX:
        url = _url(name, objects[key] if key else None)
        got = _outcome(client.get(url))
        if got != expected[role]:
            failures.append(f"{role} GET {url} ({name}): expected {expected[role]}, got {got}")
    assert not failures, "\n".join(failures)


def test_matrix_covers_every_org_view():
    resolver = get_resolver()
    covered = {name for name, _key, _expected in MATRIX}
    missing = []
    for namespace in NAMESPACES:
        prefix, sub = resolver.namespace_dict[namespace]
        names = {p.name for p in sub.url_patterns if getattr(p, "name", None)}
        missing += [f"{namespace}:{n}" for n in names if f"{namespace}:{n}" not in covered]
    _prefix, api = resolver.namespace_dict["api"]
    api_names = {f"api:{p.name}" for p in _walk(api.url_patterns) if p.name}
    missing += sorted(api_names - covered - API_DOCS)
    assert not missing, f"views without a line in MATRIX: {missing}"


def _walk(patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _walk(pattern.url_patterns)
        else:
            yield pattern
