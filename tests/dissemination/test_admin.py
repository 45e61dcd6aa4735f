import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from lms.dissemination.forms import MSG_DATE_IN_FUTURE
from lms.dissemination.models import DisseminationActivity
from tests.dissemination.conftest import YEAR, make_activity

ROLES = ["anonymous", "learner", "trainer", "manager_a", "manager_b", "admin"]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def login(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def outcome(response) -> str:
    if response.status_code == 200:
        return "ok"
    if response.status_code == 302 and "next=" in response["Location"]:
        return "login"
    if response.status_code in (302, 403):
        return "denied"
    if response.status_code == 404:
        return "missing"
    return str(response.status_code)


@pytest.fixture
def activity_a(tree):
    activity = make_activity(tree.hamlet_a1)
    activity.evidence.save("bien-ban.pdf", SimpleUploadedFile("bien-ban.pdf", PDF))
    return activity


L, D, M, OK = "login", "denied", "missing", "ok"
EXPECTED = {
    # anonymous, learner, trainer, manager of commune A, manager of sibling commune B, admin
    "index": (L, L, D, OK, OK, OK),
    "add": (L, L, D, OK, OK, OK),
    "edit": (L, L, D, OK, M, OK),
    "delete": (L, L, D, OK, M, OK),
    "inspect": (L, L, D, OK, M, OK),
    "history": (L, L, D, OK, M, OK),
    "evidence": (L, L, D, OK, M, OK),
}


def _url(name, activity):
    if name in ("index", "add"):
        return reverse(f"dissemination:{name}")
    return reverse(f"dissemination:{name}", args=[activity.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("view", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_every_view_answers_each_role_as_expected(client, world, activity_a, view, role):
    response = login(client, world, role).get(_url(view, activity_a))
    assert outcome(response) == EXPECTED[view][ROLES.index(role)]


def _post_data(unit, **extra):
    data = {
        "unit": unit.pk,
        "date": f"{YEAR}-04-02",
        "form": DisseminationActivity.Form.LOUDSPEAKER,
        "topic": "Phát thanh về hương ước",
        "documents": "Nghị định 61/2023/NĐ-CP",
        "participants": "1500",
        "disseminator": "Đài truyền thanh xã",
        "place": "",
        "notes": "",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_manager_records_an_activity_and_it_is_audited(client, world, tree):
    client.force_login(world.manager_a)
    upload = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    response = client.post(
        reverse("dissemination:add"), _post_data(tree.hamlet_a1, evidence=upload)
    )
    assert response.status_code == 302
    activity = DisseminationActivity.objects.get()
    assert activity.unit == tree.hamlet_a1
    assert activity.recorded_by == world.manager_a and activity.participants == 1500
    assert ModelLogEntry.objects.filter(action="wagtail.create", user=world.manager_a).exists()
    client.force_login(world.admin)
    client.post(
        reverse("dissemination:edit", args=[activity.pk]),
        _post_data(tree.hamlet_a1, participants="1600"),
    )
    activity.refresh_from_db()
    assert activity.participants == 1600 and activity.updated_by == world.admin
    assert activity.recorded_by == world.manager_a
    assert ModelLogEntry.objects.filter(action="wagtail.edit", user=world.admin).exists()


@pytest.mark.django_db
def test_manager_cannot_record_for_a_sibling_commune(client, world, tree):
    client.force_login(world.manager_a)
    response = client.post(reverse("dissemination:add"), _post_data(tree.hamlet_b1))
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not DisseminationActivity.objects.exists()
    units = list(response.context["form"].fields["unit"].queryset)
    assert tree.commune_a in units and tree.commune_b not in units


@pytest.mark.django_db
def test_evidence_with_a_false_extension_is_refused(client, world, tree):
    client.force_login(world.manager_a)
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ not a pdf at all")
    response = client.post(reverse("dissemination:add"), _post_data(tree.commune_a, evidence=fake))
    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    assert not DisseminationActivity.objects.exists()


@pytest.mark.django_db
def test_future_date_is_refused(client, world, tree):
    client.force_login(world.manager_a)
    future = dt.date.today() + dt.timedelta(days=3)
    response = client.post(
        reverse("dissemination:add"), _post_data(tree.commune_a, date=future.isoformat())
    )
    assert str(MSG_DATE_IN_FUTURE) in response.context["form"].errors["date"]


@pytest.mark.django_db
def test_listing_shows_only_the_subtree_with_totals(client, world, tree):
    make_activity(tree.hamlet_a1, participants=30)
    make_activity(tree.commune_a, participants=20)
    make_activity(tree.hamlet_b1, participants=999)
    client.force_login(world.manager_a)
    response = client.get(reverse("dissemination:index"))
    assert response.context["totals"] == {"sessions": 2, "participants": 50, "units": 2}
    assert len(response.context["object_list"]) == 2
    filtered = client.get(reverse("dissemination:index"), {"unit": tree.hamlet_a1.pk, "year": YEAR})
    assert filtered.context["totals"]["participants"] == 30


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 30])
def test_listing_query_count_is_constant(client, world, tree, count, django_assert_max_num_queries):
    for index in range(count):
        make_activity(tree.hamlet_a1 if index % 2 else tree.commune_a)
    client.force_login(world.admin)
    client.get(reverse("dissemination:index"))  # warm per-process caches (content types, menus)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("dissemination:index"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_evidence_is_linked_only_through_the_permission_checked_view(client, world, activity_a):
    client.force_login(world.manager_a)
    evidence_url = reverse("dissemination:evidence", args=[activity_a.pk])
    inspect = client.get(reverse("dissemination:inspect", args=[activity_a.pk])).content.decode()
    edit = client.get(reverse("dissemination:edit", args=[activity_a.pk])).content.decode()
    assert evidence_url in inspect
    assert activity_a.evidence.url not in inspect and activity_a.evidence.url not in edit
    download = client.get(evidence_url)
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
