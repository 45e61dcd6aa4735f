"""Citizens' accounts never reach the admin, and staff-only courses stay closed to them."""

from __future__ import annotations

import pytest

from courses.models import Enrolment, LessonPage
from lms.org.models import StaffRole
from lms.org.services import staff_role_grant

pytestmark = pytest.mark.django_db


def test_a_citizen_cannot_open_the_wagtail_admin(citizen_client, citizen):
    response = citizen_client.get("/admin/", follow=True)
    assert response.redirect_chain, "the admin must send the citizen away"
    assert response.request["PATH_INFO"] == "/hoc-tap/"
    assert not citizen.has_perm("wagtailadmin.access_admin")


def test_not_even_a_role_granted_later_opens_the_admin(citizen_client, citizen, tree):
    citizen.is_staff = citizen.is_superuser = True
    citizen.save()
    staff_role_grant(user=citizen, role=StaffRole.Role.MANAGER, unit=tree.commune_a)
    citizen.refresh_from_db()
    assert not citizen.is_staff and not citizen.is_superuser
    assert not citizen.has_perm("wagtailadmin.access_admin")
    response = citizen_client.get("/admin/", follow=True)
    assert response.request["PATH_INFO"] == "/hoc-tap/"
    assert citizen_client.get("/django-admin/").status_code in (302, 403)
    home = citizen_client.get("/tai-khoan/")
    assert home["Location"] == "/hoc-tap/"
    assert "Quản trị" not in citizen_client.get("/hoc-tap/").content.decode()


def test_login_with_next_to_the_admin_lands_on_the_dashboard(client, citizen):
    from .conftest import PASSWORD

    response = client.post(
        "/tai-khoan/dang-nhap/?next=/admin/", {"username": "0977111222", "password": PASSWORD}
    )
    assert response["Location"] == "/tai-khoan/"


def test_a_staff_course_is_forbidden_to_a_citizen(citizen_client, staff_course):
    assert citizen_client.get(staff_course.url).status_code == 403
    lesson = LessonPage.objects.descendant_of(staff_course).first()
    assert citizen_client.get(lesson.url).status_code == 403
    enrol = citizen_client.post(f"/hoc-tap/khoa-hoc/{staff_course.pk}/bat-dau/")
    assert enrol.status_code == 404
    done = citizen_client.post(f"/hoc-tap/bai-hoc/{lesson.pk}/da-hoc/")
    assert done.status_code == 404
    assert not Enrolment.objects.exists()


def test_a_staff_course_still_asks_visitors_to_log_in(client, staff_course):
    response = client.get(staff_course.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_the_catalogue_and_search_show_citizens_open_courses_only(
    citizen_client, public_course, staff_course
):
    page = citizen_client.get("/hoc-tap/khoa-hoc/?nhom=tat-ca").content.decode()
    assert public_course.title in page
    assert staff_course.title not in page
    found = citizen_client.get("/hoc-tap/khoa-hoc/?q=bai 1").content.decode()
    assert f"Bài 1 của {public_course.title}" in found
    assert f"Bài 1 của {staff_course.title}" not in found


def test_officials_still_read_staff_courses(client, staff_course, tree, groups):
    from tests import factories

    world = factories.staff_world(tree, groups)
    client.force_login(world.learner)
    assert client.get(staff_course.url).status_code == 200
