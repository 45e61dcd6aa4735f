"""The demo a newcomer sees after `make run`: realistic structure, idempotent, working logins."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page, Site

from cms.models import HomePage
from lms.org.demo_data import DEMO_PASSWORD
from lms.org.models import Person, PositionAssignment, StaffRole, TargetGroup, Unit, UnitKind
from lms.org.scoping import visible_people

SEEDED_GROUPS = {
    "nguoi-thuc-hien", "ban-ttnd", "ban-gsdtcd", "truong-thon", "truong-ban-ctmt", "can-bo",
    "bao-cao-vien",
}  # fmt: skip
SEEDED_KINDS = {"thanh-pho", "xa-phuong", "thon-ap", "co-quan", "don-vi-su-nghiep", "ban"}
DEMO_USERS = ("admin", "quanly", "quanly2", "giangvien", "hocvien")


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


# Rows a second run may legitimately touch: none of these are demo data.
NOT_DEMO_DATA = {"sessions", "admin", "axes", "contenttypes"}


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in NOT_DEMO_DATA
    }


@pytest.mark.django_db
def test_target_groups_and_unit_kinds_come_with_the_migrations():
    """Production gets them too: they are seeded by a data migration, not by seed_demo."""
    groups = dict(TargetGroup.objects.values_list("code", "legal_basis"))
    assert set(groups) >= SEEDED_GROUPS
    assert all(groups[code] for code in SEEDED_GROUPS), "every group states its legal basis"
    assert set(UnitKind.objects.values_list("code", flat=True)) >= SEEDED_KINDS


@pytest.mark.django_db
def test_seed_demo_is_idempotent_realistic_and_its_logins_work(
    client, django_assert_max_num_queries
):
    """One test, because seeding is the slow part: structure, idempotency, logins, home page."""
    output = _seed()
    first = _row_counts()
    _seed()
    assert _row_counts() == first, "running seed_demo twice must change nothing"

    # The printed table names every demo login and the password.
    for username in DEMO_USERS:
        assert username in output
    assert DEMO_PASSWORD in output

    city = Unit.objects.get(code="HCM")
    assert city.name == "Thành phố Hồ Chí Minh" and city.kind.code == "thanh-pho"
    communes = list(city.get_children().filter(kind__code="xa-phuong"))
    assert len(communes) >= 6
    assert {"Xã Bắc Tân Uyên", "Xã Thường Tân"} <= {c.name for c in communes}
    for commune in communes:
        children = commune.get_children()
        hamlets = children.filter(kind__code="thon-ap")
        assert 3 <= hamlets.count() <= 6, commune.name
        assert children.filter(kind__code="co-quan", name__startswith="Ủy ban nhân dân").exists()
        assert children.filter(kind__code="co-quan", name__startswith="Ủy ban Mặt trận").exists()
        inspection = children.get(kind__code="ban", name__startswith="Ban Thanh tra nhân dân")
        supervision = children.get(kind__code="ban", name__startswith="Ban Giám sát đầu tư")
        members = PositionAssignment.objects.current().filter(unit=inspection)
        assert 5 <= members.count() <= 9
        assert PositionAssignment.objects.current().filter(unit=supervision).count() <= 5
        for hamlet in hamlets:
            current = PositionAssignment.objects.current().filter(unit=hamlet)
            assert current.filter(target_group__code="truong-thon").count() == 1, hamlet.name
            assert current.filter(target_group__code="truong-ban-ctmt").count() == 1, hamlet.name

    people = Person.objects.all()
    assert people.count() >= 300
    for person in people:
        assert unicodedata.is_normalized("NFC", person.full_name)
        assert person.sort_key and person.search_text
    several = (
        PositionAssignment.objects.current().values("person").distinct().count(),
        PositionAssignment.objects.current().count(),
    )
    assert several[1] > several[0], "some people hold several positions"
    # History: a hamlet head replaced mid-year; the new head's obligation starts that day.
    assert PositionAssignment.objects.filter(
        target_group__code="truong-thon", end_date__isnull=False
    ).exists()

    _check_logins_and_home_page(client, django_assert_max_num_queries)


def _check_logins_and_home_page(client, django_assert_max_num_queries) -> None:
    """Each demo login works and lands where that role works; the home page is the site root."""
    User = get_user_model()
    for username in DEMO_USERS:
        assert User.objects.get(username=username).must_change_password is False

    landings = {
        "admin": "/admin/",
        "quanly": "/admin/",
        "quanly2": "/admin/",
        "giangvien": "/admin/",
        "hocvien": "/hoc-tap/",
    }
    for username, landing in landings.items():
        client.logout()
        response = client.post(
            "/tai-khoan/dang-nhap/", {"username": username, "password": DEMO_PASSWORD}, follow=True
        )
        assert response.status_code == 200, username
        assert response.redirect_chain, username
        assert response.redirect_chain[-1][0].startswith(landing), (
            username,
            response.redirect_chain,
        )

    learner = User.objects.get(username="hocvien")
    assert (
        learner.person.positions.current()
        .filter(
            target_group__code="truong-thon",
            unit__path__startswith=Unit.objects.get(code="BTU").path,
        )
        .exists()
    )
    assert not StaffRole.objects.filter(user=learner).exists()

    # The two managers see only their own commune's people.
    btu_person = learner.person
    manager, manager2 = User.objects.get(username="quanly"), User.objects.get(username="quanly2")
    assert visible_people(user=manager).filter(pk=btu_person.pk).exists()
    assert not visible_people(user=manager2).filter(pk=btu_person.pk).exists()

    # The public home page is the root of the default site (Wagtail's welcome page is gone).
    client.logout()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    home = HomePage.objects.get()
    assert site.root_page_id == home.pk
    assert home.title == "Bồi dưỡng và phổ biến pháp luật về dân chủ ở cơ sở"
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()

    client.get("/")  # warm Wagtail's site-root cache
    # Site, page, view restrictions, section roots, open consultations, latest news and their
    # renditions, running contest rounds, open courses, target groups: constant, whatever the data.
    with django_assert_max_num_queries(14):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bồi dưỡng và phổ biến pháp luật về dân chủ ở cơ sở" in html
    assert 'href="/tai-khoan/dang-nhap/"' in html
    assert 'href="/hoc-tap/khoa-hoc/"' in html
    assert "Thành viên Ban Thanh tra nhân dân" in html
