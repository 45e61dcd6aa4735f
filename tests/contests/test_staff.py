"""Staff side: permissions for every view and role, scoping, closing a round (dissemination record),
winners' export cells, certificates issued once, query counts."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import Attempt
from certificates.api import CertificateTemplate
from cms.contests import services, tasks
from cms.contests.models import ContestCertificate, Entry, RoundCommuneActivity, RoundState
from cms.contests.selectors import round_standing
from lms.dissemination.api import DisseminationActivity

from .conftest import answer_all, enter

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "learner", "trainer", "manager_a", "manager_b", "admin"]
L, D, OK, NF = "login", "denied", "ok", "404"


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


def close_round(round_page):
    """Move the round's window into the past (past the grace) and sum it up."""
    now = timezone.now()
    round_page.opens_at = now - dt.timedelta(days=3)
    round_page.closes_at = now - dt.timedelta(minutes=5)
    round_page.save_revision().publish()
    assert services.round_finalise(round_id=round_page.pk)
    return type(round_page).objects.get(pk=round_page.pk)


def finish(entry, *, correct=None, prediction=None, seconds=None):
    answer_all(entry, correct=correct)
    services.entry_submit(entry=entry)
    if seconds is not None:
        attempt = entry.attempt
        Attempt.objects.filter(pk=attempt.pk).update(
            started_at=attempt.submitted_at - dt.timedelta(seconds=seconds)
            if attempt.submitted_at
            else None
        )
    if prediction is not None:
        entry.refresh_from_db()
        entry.attempt.refresh_from_db()
        services.entry_predict(entry=entry, prediction=prediction)
    return entry


@pytest.fixture
def played(site, world):
    """Three people in commune A (one twice), one in commune B; two fully correct phones."""
    a = site.tree.commune_a
    b = site.tree.commune_b
    r = site.round
    finish(enter(r, phone="0911000001", name="Nguyễn Văn An", commune=a), prediction=2)
    finish(enter(r, phone="0911000001", name="Nguyễn Văn An", commune=a), correct=2)
    finish(enter(r, phone="0911000002", name="Lê Thị Bình", commune=a), correct=3, prediction=1)
    finish(enter(r, phone="0911000003", name="Trần Văn Cường", commune=b), prediction=5)
    return r


@pytest.fixture
def template(tree):
    return CertificateTemplate.objects.create(
        name="Mẫu Ban Tổ chức cuộc thi",
        issuer_unit=tree.commune_a,
        parent_body="UBND Thành phố Hồ Chí Minh",
        issuing_body="Ủy ban nhân dân xã Bắc Tân Uyên",
        place_name="Bắc Tân Uyên",
        serial_prefix="GCN-CT",
        intro="Ban Tổ chức cuộc thi chứng nhận:",
        signer_title="Trưởng Ban Tổ chức",
        signer_name="Trần Văn Đặng",
    )


VIEWS = {
    # anonymous, learner, trainer, manager of commune A, manager of sibling commune B, admin
    "rounds": (L, L, D, OK, OK, OK),
    "entries": (L, L, D, OK, OK, OK),
    "ranking": (L, L, D, OK, OK, OK),
    "export": (L, L, D, OK, OK, OK),
    "certificate_pdf": (L, L, D, OK, NF, OK),
    "issue": (L, L, D, OK, OK, OK),  # POST
}


def _url(view, round_page, certificate=None):
    return {
        "rounds": lambda: reverse("contests_rounds"),
        "entries": lambda: reverse("contests_entries", args=[round_page.pk]),
        "ranking": lambda: reverse("contests_ranking", args=[round_page.pk]),
        "export": lambda: reverse("contests_winners_export", args=[round_page.pk]),
        "certificate_pdf": lambda: reverse("contests_certificate_pdf", args=[certificate.pk]),
        "issue": lambda: reverse("contests_certificates_issue", args=[round_page.pk]),
    }[view]()


@pytest.mark.parametrize("role", ROLES)
def test_staff_views_answer_each_role_as_expected(played, world, template, role):
    round_page = close_round(played)
    services.certificates_issue(
        round_page=round_page,
        template_id=template.pk,
        user=world.admin,
        ranking=round_standing(round_page=round_page).rows,
        site_url="https://example.test/",
    )
    certificate = ContestCertificate.objects.get(rank=1)  # the winner lives in commune A
    got = {}
    for view in VIEWS:
        client = login(Client(), world, role)
        url = _url(view, round_page, certificate)
        if view == "issue":
            response = client.post(url, {"template": template.pk})
            ranking = reverse("contests_ranking", args=[round_page.pk])
            got[view] = OK if response.get("Location") == ranking else outcome(response)
        else:
            got[view] = outcome(client.get(url))
    assert got == {view: expected[ROLES.index(role)] for view, expected in VIEWS.items()}


@pytest.mark.parametrize("role", ["trainer", "learner"])
def test_issue_post_refused_to_non_managers(played, world, template, role):
    round_page = close_round(played)
    url = reverse("contests_certificates_issue", args=[round_page.pk])
    response = login(Client(), world, role).post(url, {"template": template.pk})
    assert response.status_code in (302, 403)
    assert ContestCertificate.objects.count() == 0


def test_manager_sees_entries_of_their_communes_only(played, world):
    client = login(Client(), world, "manager_b")
    html = client.get(reverse("contests_entries", args=[played.pk])).content.decode()
    assert "Trần Văn Cường" in html
    assert "Nguyễn Văn An" not in html and "Lê Thị Bình" not in html
    ranking = client.get(reverse("contests_ranking", args=[played.pk])).content.decode()
    assert "Trần Văn Cường" in ranking and "Nguyễn Văn An" not in ranking
    html = (
        login(Client(), world, "manager_a")
        .get(reverse("contests_entries", args=[played.pk]))
        .content.decode()
    )
    assert "Nguyễn Văn An" in html and "Trần Văn Cường" not in html


def test_closing_a_round_fixes_the_result_and_records_dissemination_once(played, tree):
    round_page = close_round(played)
    state = RoundState.objects.get(round=round_page)
    assert state.closed_at is not None
    assert state.fully_correct_count == 2  # 0911000001 (first entry) and 0911000003
    activities = {a.unit_id: a for a in DisseminationActivity.objects.all()}
    assert set(activities) == {tree.commune_a.pk, tree.commune_b.pk}
    assert activities[tree.commune_a.pk].participants == 2  # two people, three entries
    assert activities[tree.commune_b.pk].participants == 1
    assert activities[tree.commune_a.pk].form == "contest"
    # Idempotent: a second run changes nothing; re-recording updates the same activities.
    assert services.round_finalise(round_id=round_page.pk) is False
    assert services.round_dissemination_record(round_page=round_page) == 2
    assert DisseminationActivity.objects.count() == 2 == RoundCommuneActivity.objects.count()


def test_final_ranking_uses_the_prediction_distance(played):
    round_page = close_round(played)
    standing = round_standing(round_page=round_page)
    assert standing.final and standing.actual == 2
    # An (4/4, predicted 2: distance 0) · Cường (4/4, predicted 5: distance 3) · Bình (3/4).
    assert [r.entry.full_name for r in standing.rows] == [
        "Nguyễn Văn An",
        "Trần Văn Cường",
        "Lê Thị Bình",
    ]
    assert [r.distance for r in standing.rows] == [0, 3, 1]


def test_public_round_page_shows_masked_winners_after_close(played):
    round_page = close_round(played)
    html = Client().get(round_page.url).content.decode()
    assert "Nguyễn V. A." in html and "09xx xxx 001" in html
    for phone in ("0911000001", "0911000002", "0911000003"):
        assert phone not in html
    assert "Nguyễn Văn An" not in html


def test_public_round_page_hides_the_ranking_while_open(played):
    html = Client().get(played.url).content.decode()
    assert "Kết quả xếp hạng" not in html and "09xx" not in html


def test_winners_export_cells(played, world):
    round_page = close_round(played)
    response = login(Client(), world, "admin").get(
        reverse("contests_winners_export", args=[round_page.pk])
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["F1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert ws["A5"].value == "DANH SÁCH NGƯỜI ĐOẠT GIẢI"
    assert "Số người có bài làm đúng hoàn toàn: 2" in ws["A8"].value
    assert [c.value for c in ws[10]][:4] == ["STT", "Hạng", "Họ và tên", "Số điện thoại"]
    first = [c.value for c in ws[11]]
    assert first[:4] == [1, 1, "Nguyễn Văn An", "0911000001"]
    assert first[5] == "Xã Bắc Tân Uyên" and first[6] == 4.0 and first[7] == 2 and first[8] == 0
    assert [c.value for c in ws[13]][2] == "Lê Thị Bình"
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "TRƯỞNG BAN TỔ CHỨC" in values and "(Ký, ghi rõ họ tên, đóng dấu)" in values


def test_export_neutralises_formulas(site, world):
    finish(enter(site.round, phone="0911000009", name="=HYPERLINK(1)", commune=site.tree.commune_a))
    response = login(Client(), world, "admin").get(
        reverse("contests_winners_export", args=[site.round.pk])
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["C11"].value == "'=HYPERLINK(1)"


def test_certificates_are_issued_once_per_phone(played, world, template):
    round_page = close_round(played)
    client = login(Client(), world, "admin")
    url = reverse("contests_certificates_issue", args=[round_page.pk])
    client.post(url, {"template": template.pk})
    assert ContestCertificate.objects.count() == 3
    client.post(url, {"template": template.pk})
    assert ContestCertificate.objects.count() == 3
    first = ContestCertificate.objects.get(rank=1)
    assert first.serial == "0001/GCN-CT" and first.pdf.name.endswith(".pdf")
    pdf = client.get(reverse("contests_certificate_pdf", args=[first.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_certificates_need_a_closed_round(played, world, template):
    client = login(Client(), world, "admin")
    url = reverse("contests_certificates_issue", args=[played.pk])
    client.post(url, {"template": template.pk})
    assert ContestCertificate.objects.count() == 0


def test_manager_issues_certificates_for_their_communes_only(played, world, template):
    round_page = close_round(played)
    url = reverse("contests_certificates_issue", args=[round_page.pk])
    login(Client(), world, "manager_a").post(url, {"template": template.pk})
    assert set(ContestCertificate.objects.values_list("phone", flat=True)) == {
        "0911000001",
        "0911000002",
    }


def test_beat_task_queues_due_rounds_on_commit(played, django_capture_on_commit_callbacks):
    now = timezone.now()
    played.opens_at = now - dt.timedelta(days=3)
    played.closes_at = now - dt.timedelta(minutes=5)
    played.save_revision().publish()
    with mock.patch.object(tasks.round_finalise_task, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.close_due_rounds() == 1
        delay.assert_called_once_with(played.pk)
    assert tasks.round_finalise_task(played.pk) is True
    assert tasks.close_due_rounds() == 0


def test_open_attempts_are_closed_when_the_round_is_summed_up(site):
    entry = enter(site.round, phone="0911000077", commune=site.tree.commune_b)
    answer_all(entry)
    close_round(site.round)
    entry.attempt.refresh_from_db()
    assert entry.attempt.state == "submitted" and entry.attempt.auto_submitted


def test_query_counts_do_not_grow_with_entries(site, world, django_assert_max_num_queries):
    def load():
        client = login(Client(), world, "manager_a")
        for name in ("contests_rounds", "contests_entries", "contests_ranking"):
            args = [] if name == "contests_rounds" else [site.round.pk]
            with django_assert_max_num_queries(MAX_QUERIES[name]):
                assert client.get(reverse(name, args=args)).status_code == 200
        with django_assert_max_num_queries(MAX_QUERIES["public"]):
            assert Client().get(site.round.url).status_code == 200

    for i in range(2):
        finish(enter(site.round, phone=f"091200000{i}", commune=site.tree.commune_a))
    load()
    for i in range(2, 8):
        finish(enter(site.round, phone=f"091200000{i}", commune=site.tree.commune_a))
    Entry.objects.update(hamlet="Ấp 1")
    load()


MAX_QUERIES = {"contests_rounds": 12, "contests_entries": 14, "contests_ranking": 14, "public": 12}


def test_public_ranking_is_computed_once_then_cached(played):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    round_page = close_round(played)
    first = Client().get(round_page.url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(round_page.url).content.decode()
    assert "Nguyễn V. A." in first and "Nguyễn V. A." in second
    assert not [q for q in queries.captured_queries if "contests_entry" in q["sql"]]
