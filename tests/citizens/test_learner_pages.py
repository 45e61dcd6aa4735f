"""“Học tập của tôi” and the profile for citizens; password reset by email."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.services import enrolment_start
from lms.accounts.models import CitizenProfile
from lms.org.models import Person

from .conftest import PASSWORD, build_course

pytestmark = pytest.mark.django_db
PROFILE = "/tai-khoan/thong-tin/"


def _queries(client, url: str) -> int:
    client.get(url)  # warm-up (sessions, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_of_a_citizen_with_nothing_yet_offers_the_open_courses(
    citizen_client, public_course, staff_course
):
    page = citizen_client.get("/hoc-tap/").content.decode()
    assert "Xin chào Phạm Văn Dân" in page
    assert "Khóa học mở cho Nhân dân" in page
    assert public_course.title in page
    assert staff_course.title not in page
    # No obligations for a citizen: the officials' sections are not shown.
    assert "Khóa học dành cho bạn" not in page
    assert "Yêu cầu bồi dưỡng" not in page


def test_dashboard_shows_the_citizens_progress(citizen_client, citizen, public_course):
    citizen_client.post(f"/hoc-tap/khoa-hoc/{public_course.pk}/bat-dau/")
    from courses.models import LessonPage

    lesson = LessonPage.objects.descendant_of(public_course).order_by("path").first()
    citizen_client.post(f"/hoc-tap/bai-hoc/{lesson.pk}/da-hoc/")
    page = citizen_client.get("/hoc-tap/").content.decode()
    assert "Đang học" in page
    assert 'aria-valuenow="50"' in page
    assert "Bạn đã đăng ký học tất cả các khóa học mở." in page


def test_dashboard_queries_do_not_grow_with_courses(citizen_client, citizen, groups):
    person = citizen.person
    first = build_course(slug="mo-1", title="Khóa mở 1", audience="public")
    enrolment_start(person=person, course=first)
    build_course(slug="mo-2", title="Khóa mở 2", audience="public")
    few = _queries(citizen_client, "/hoc-tap/")
    for n in range(3, 7):
        course = build_course(slug=f"mo-{n}", title=f"Khóa mở {n}", audience="public")
        if n % 2:
            enrolment_start(person=person, course=course)
    many = _queries(citizen_client, "/hoc-tap/")
    assert many <= few
    assert many <= 25


def test_profile_queries_are_fixed(citizen_client, tree):
    assert _queries(citizen_client, PROFILE) <= 12


def test_citizen_updates_name_phone_email_and_residence(client, citizen, tree):
    client.force_login(citizen)
    page = client.get(PROFILE).content.decode()
    assert 'value="Phạm Văn Dân"' in page and 'value="0977111222"' in page
    response = client.post(
        PROFILE,
        {
            "full_name": "Phạm Văn Dân Chủ",
            "phone": "+84 977 333 444",
            "email": "DANCHU@example.vn",
            "residence_unit": str(tree.hamlet_b1.pk),
        },
    )
    assert response["Location"] == PROFILE
    person = Person.objects.select_related("user").get(pk=citizen.person.pk)
    assert (person.full_name, person.phone, person.email) == (
        "Phạm Văn Dân Chủ", "0977333444", "danchu@example.vn",
    )  # fmt: skip
    assert person.user.email == "danchu@example.vn"
    assert person.user.username == "0977333444"  # the login follows the phone it was named after
    assert CitizenProfile.objects.get(user=citizen).residence_unit == tree.hamlet_b1
    client.logout()
    login = client.post("/tai-khoan/dang-nhap/", {"username": "0977333444", "password": PASSWORD})
    assert login.status_code == 302


def test_profile_refuses_someone_elses_phone_and_keeps_the_input(client, citizen, tree, groups):
    from tests import factories

    world = factories.staff_world(tree, groups)
    client.force_login(citizen)
    response = client.post(
        PROFILE,
        {"full_name": "Tên Mới", "phone": world.person_a.phone, "email": "", "residence_unit": ""},
    )
    page = response.content.decode()
    assert "Số điện thoại này đã có tài khoản" in page
    assert 'value="Tên Mới"' in page
    assert Person.objects.get(pk=citizen.person.pk).full_name == "Phạm Văn Dân"


def test_keeping_ones_own_phone_is_not_a_duplicate(client, citizen):
    client.force_login(citizen)
    response = client.post(
        PROFILE,
        {"full_name": "Phạm Văn Dân", "phone": "0977 111 222", "email": "dan@example.vn",
         "residence_unit": ""},
    )  # fmt: skip
    assert response.status_code == 302


def test_officials_see_their_details_read_only(client, tree, groups):
    from tests import factories

    world = factories.staff_world(tree, groups)
    client.force_login(world.learner)
    page = client.get(PROFILE).content.decode()
    assert "Nguyễn Văn An" in page and '<form method="post" novalidate>' not in page
    client.post(PROFILE, {"full_name": "Đổi Tên", "phone": "0900000000"})
    assert Person.objects.get(pk=world.person_a.pk).full_name == "Nguyễn Văn An"


def test_profile_needs_login(client, db):
    assert client.get(PROFILE)["Location"].startswith("/tai-khoan/dang-nhap/")


def test_password_change_works_for_citizens(citizen_client, citizen):
    response = citizen_client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": "Moi-hon-nua-2027", "new_password2": "Moi-hon-nua-2027"},
    )  # fmt: skip
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("Moi-hon-nua-2027")


def test_a_citizen_with_an_email_resets_the_password_by_email(client, citizen):
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": "DAN@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dan@example.vn"]
    link = re.search(r"/tai-khoan/dat-lai-mat-khau/[^/\s]+/[^/\s]+/", mail.outbox[0].body).group(0)
    form = client.get(link, follow=True)
    confirm_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = client.post(
        confirm_url, {"new_password1": "Lay-lai-2026-ok", "new_password2": "Lay-lai-2026-ok"}
    )
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("Lay-lai-2026-ok")
