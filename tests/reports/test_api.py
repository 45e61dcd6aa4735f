"""The reports API: same figures and scope as the screens, bearer tokens, constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import APIToken

from lms.org.models import Unit
from tests.reports.conftest import YEAR

pytestmark = pytest.mark.django_db


def _bearer(user):
    _token, raw = APIToken.create_token(user=user, name="Hệ thống báo cáo tỉnh")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_completion_matches_dashboard_arithmetic(client, figures, roles):
    response = client.get(f"/api/reports/units/{figures.city.pk}/completion?year={YEAR}",
                          **_bearer(roles.admin))  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["total"]["completed"] == 6 and body["total"]["percent"] == 60.0
    a = next(u for u in body["units"] if u["code"] == "BTU")
    assert (a["figures"]["required"], a["figures"]["exempt"], a["figures"]["percent"]) == (
        9,
        1,
        62.5,
    )
    assert body["locked"] is False and body["target_groups"] and len(body["courses"]) == 2


def test_api_is_scoped_like_the_screens(client, figures, roles):
    headers = _bearer(roles.manager)
    assert client.get(f"/api/reports/units/{figures.commune_a.pk}/completion?year={YEAR}",
                      **headers).status_code == 200  # fmt: skip
    for path in ("completion", "missing", "assignments"):
        url = f"/api/reports/units/{figures.commune_b.pk}/{path}?year={YEAR}"
        assert client.get(url, **headers).status_code == 404
    assert client.get(f"/api/reports/units/{figures.commune_a.pk}/completion",
                      **_bearer(roles.trainer)).status_code == 403  # fmt: skip
    assert client.get(f"/api/reports/units/{figures.commune_a.pk}/completion").status_code == 401


def test_missing_people_and_assignments(client, figures, roles):
    headers = _bearer(roles.manager)
    body = client.get(
        f"/api/reports/units/{figures.commune_a.pk}/missing?year={YEAR}", **headers
    ).json()
    assert [r["full_name"] for r in body["items"]] == ["Ánh Văn Bảo", "Đỗ Văn Đông", "Đặng Thị Hoa"]
    body = client.get(f"/api/reports/units/{figures.commune_a.pk}/assignments?year={YEAR}"
                      "&status=completed", **headers).json()  # fmt: skip
    assert body["count"] == 5
    assert {r["status"] for r in body["items"]} == {"completed"}


def _grow(tree, kinds, make_assignment, start, n):
    for i in range(start, start + n):
        hamlet = Unit.objects.get(pk=tree.commune_b.pk).add_child(
            code=f"API{i}", name=f"Ấp {i}", kind=kinds.hamlet, valid_from=dt.date(2025, 7, 1)
        )
        make_assignment(unit=hamlet, name=f"Người Số {i}")


@pytest.mark.parametrize("path", ["completion", "missing", "assignments"])
def test_api_query_count_is_constant(client, tree, kinds, make_assignment, roles, path):
    client.force_login(roles.admin)
    url = f"/api/reports/units/{tree.commune_b.pk}/{path}?year={YEAR}"
    _grow(tree, kinds, make_assignment, 0, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(tree, kinds, make_assignment, 2, 18)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries) <= 12
