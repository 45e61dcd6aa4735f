import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cms.consultations.models import ConsultationComment
from tests.consultations.conftest import add_comment

ROLES = ["anonymous", "learner", "trainer", "manager_a", "manager_b", "admin"]
APPROVED, PENDING, REJECTED = (
    ConsultationComment.Status.APPROVED,
    ConsultationComment.Status.PENDING,
    ConsultationComment.Status.REJECTED,
)


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
    return str(response.status_code)


L, D, OK = "login", "denied", "ok"
EXPECTED = {
    # anonymous, learner, trainer, manager of commune A, manager of sibling commune B, admin
    "moderation": (L, L, D, OK, OK, OK),
    "export_xlsx": (L, L, D, OK, D, OK),
    "export_csv": (L, L, D, OK, D, OK),
}


def _url(view, site):
    if view == "moderation":
        return reverse("consultations_moderation")
    return reverse("consultations_export", args=[site.open.pk, view.split("_")[1]])


@pytest.mark.django_db
@pytest.mark.parametrize("view", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_moderation_views_answer_each_role_as_expected(client, site, world, view, role):
    response = login(client, world, role).get(_url(view, site))
    assert outcome(response) == EXPECTED[view][ROLES.index(role)]


@pytest.mark.django_db
def test_manager_sees_only_comments_on_consultations_of_their_subtree(client, site, world):
    mine = add_comment(site.open, name="Ý kiến ấp 1")
    theirs = add_comment(site.closed, name="Ý kiến xã Thường Tân")
    client.force_login(world.manager_a)
    listed = list(client.get(reverse("consultations_moderation")).context["comments"])
    assert listed == [mine]
    client.force_login(world.manager_b)
    listed = list(client.get(reverse("consultations_moderation")).context["comments"])
    assert listed == [theirs]


@pytest.mark.django_db
def test_bulk_approve_and_reject_within_scope_only(client, site, world):
    first = add_comment(site.open, name="Một")
    second = add_comment(site.open, name="Hai")
    foreign = add_comment(site.closed, name="Ba")
    client.force_login(world.manager_a)
    url = reverse("consultations_moderation")
    client.post(url, {"action": "approve", "comment": [first.pk, second.pk, foreign.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    foreign.refresh_from_db()
    assert first.status == APPROVED and second.status == APPROVED
    assert first.moderated_by == world.manager_a and first.moderated_at is not None
    assert foreign.status == PENDING  # another commune's consultation: untouched
    client.post(url, {"action": "reject", "comment": [second.pk]})
    second.refresh_from_db()
    assert second.status == REJECTED
    assert "Hai" not in client.get(site.open.url).content.decode()


@pytest.mark.django_db
def test_admin_moderates_everywhere(client, site, world):
    foreign = add_comment(site.closed, name="Ba")
    client.force_login(world.admin)
    client.post(reverse("consultations_moderation"), {"action": "approve", "comment": [foreign.pk]})
    foreign.refresh_from_db()
    assert foreign.status == APPROVED


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 40])
def test_moderation_listing_query_count_is_constant(
    client, site, world, count, django_assert_max_num_queries
):
    for index in range(count):
        add_comment(site.open, name=f"Người {index}")
    client.force_login(world.admin)
    client.get(reverse("consultations_moderation"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("consultations_moderation"))
    assert len(response.context["comments"]) == count


@pytest.mark.django_db
def test_export_has_every_comment_with_neutralised_formula_cells(client, site, world):
    add_comment(site.open, name='=HYPERLINK("http://x")', body="+1 đồng ý", contact="0912000111")
    add_comment(site.open, status=REJECTED, name="Lê Văn Tâm", body="Không duyệt")
    client.force_login(world.manager_a)
    xlsx = client.get(reverse("consultations_export", args=[site.open.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2] == "Họ và tên"
    assert rows[2][2] == '\'=HYPERLINK("http://x")' and rows[2][5] == "'+1 đồng ý"
    assert rows[2][4] == "0912000111"
    assert rows[3][2] == "Lê Văn Tâm" and rows[3][6] == "Không duyệt"
    response = client.get(reverse("consultations_export", args=[site.open.pk, "csv"]))
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][2] == "Họ và tên" and len(lines) == 3
    assert lines[1][2].startswith("'=")


@pytest.mark.django_db
def test_export_unknown_format_is_404(client, site, world):
    client.force_login(world.admin)
    response = client.get(reverse("consultations_export", args=[site.open.pk, "pdf"]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_editors_can_open_the_page_forms_in_the_admin(client, site):
    from tests.factories import UserFactory

    editor = UserFactory(username="bien-tap", is_superuser=True, is_staff=True)
    client.force_login(editor)
    add = client.get(
        reverse("wagtailadmin_pages:add", args=["consultations", "consultationpage", site.index.pk])
    )
    assert add.status_code == 200
    assert "Lý do rút ngắn thời gian" in add.content.decode()
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[site.open.pk]))
    assert edit.status_code == 200
