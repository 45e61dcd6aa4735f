"""CSP: strict on the public site, relaxed only for the Wagtail admin; Django admin for superusers."""

import pytest
from django.contrib.auth import get_user_model

from tests import factories

pytestmark = pytest.mark.django_db


def _script_src(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("script-src"))


def test_public_pages_keep_the_strict_policy(client):
    response = client.get("/tai-khoan/dang-nhap/")
    script_src = _script_src(response)
    assert "'unsafe-inline'" not in script_src
    assert "'self'" in script_src


def test_admin_pages_allow_wagtails_inline_scripts(client, tree, groups):
    world = factories.staff_world(tree, groups)
    client.force_login(world.admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    script_src = _script_src(response)
    assert "'unsafe-inline'" in script_src and "nonce-" not in script_src
    policy = response["Content-Security-Policy"]
    assert "object-src 'none'" in policy and "frame-ancestors 'self'" in policy


def test_api_docs_are_served_without_a_cdn(client, tree, groups):
    world = factories.staff_world(tree, groups)
    client.force_login(world.admin)
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn.jsdelivr" not in html and "/static/ninja/swagger-ui-bundle.js" in html
    assert "'unsafe-inline'" not in _script_src(response)


def test_django_admin_is_for_superusers_only(client, tree, groups):
    world = factories.staff_world(tree, groups)
    staff = world.admin
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/django-admin/").status_code in (302, 403)
    superuser = get_user_model().objects.create_superuser(
        "root", "root@example.vn", "x-Mat-khau-2026"
    )
    client.force_login(superuser)
    assert client.get("/django-admin/").status_code == 200


def test_django_admin_sends_anonymous_visitors_to_the_one_login_page(client, db):
    response = client.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/tai-khoan/dang-nhap/")
