import datetime as dt
import json
import time

import pytest

from cms.consultations import forms as consult_forms
from cms.consultations.models import (
    MSG_SHORT_WINDOW,
    ConsultationComment,
    ConsultationPage,
    ConsultationPageForm,
    Status,
)
from cms.consultations.services import RATE_LIMIT_COUNT
from tests.consultations.conftest import add_comment, add_consultation, comment_data

APPROVED = ConsultationComment.Status.APPROVED
QUARTERLY_QUERIES = 9


@pytest.mark.django_db
def test_comment_is_published_only_after_moderation(client, site, world):
    response = client.post(site.open.url, comment_data(site.open), follow=True)
    assert str(consult_forms.MSG_SUCCESS) in response.content.decode()
    comment = ConsultationComment.objects.get()
    assert comment.status == ConsultationComment.Status.PENDING
    assert comment.contact == "0912345678" and len(comment.ip_hash) == 64
    page = client.get(site.open.url).content.decode()
    assert "Đề nghị ghi rõ giờ đổ rác" not in page
    comment.status = APPROVED
    comment.save()
    page = client.get(site.open.url).content.decode()
    assert "Đề nghị ghi rõ giờ đổ rác" in page
    assert "0912345678" not in page  # contact is never public


@pytest.mark.django_db
def test_rejected_and_pending_comments_stay_hidden(client, site):
    add_comment(site.open, status=ConsultationComment.Status.REJECTED, body="Quảng cáo vay tiền")
    add_comment(site.open, body="Đang chờ duyệt")
    page = client.get(site.open.url).content.decode()
    assert "Quảng cáo vay tiền" not in page and "Đang chờ duyệt" not in page


@pytest.mark.django_db
def test_honeypot_filled_is_refused_and_form_keeps_input(client, site):
    response = client.post(site.open.url, comment_data(site.open, website="http://spam.example"))
    assert response.status_code == 200
    assert str(consult_forms.MSG_SPAM) in response.content.decode()
    assert "Đề nghị ghi rõ giờ đổ rác" in response.content.decode()
    assert not ConsultationComment.objects.exists()


@pytest.mark.django_db
def test_too_fast_submission_is_refused(client, site):
    token = consult_forms.form_token(page_id=site.open.pk, now=time.time())
    response = client.post(site.open.url, comment_data(site.open, token=token))
    assert str(consult_forms.MSG_TOO_FAST) in response.content.decode()
    assert not ConsultationComment.objects.exists()


@pytest.mark.django_db
def test_token_from_another_page_is_refused(client, site):
    token = consult_forms.form_token(page_id=site.closed.pk, now=time.time() - 60)
    response = client.post(site.open.url, comment_data(site.open, token=token))
    assert str(consult_forms.MSG_SPAM) in response.content.decode()
    assert not ConsultationComment.objects.exists()


@pytest.mark.django_db
def test_rate_limit_per_client_ip(client, site):
    for index in range(RATE_LIMIT_COUNT):
        client.post(site.open.url, comment_data(site.open, name=f"Người {index}"))
    assert ConsultationComment.objects.count() == RATE_LIMIT_COUNT
    response = client.post(site.open.url, comment_data(site.open, name="Người thừa"))
    assert str(consult_forms.MSG_RATE_LIMIT) in response.content.decode()
    assert ConsultationComment.objects.count() == RATE_LIMIT_COUNT
    other = client.post(
        site.open.url, comment_data(site.open, name="Hàng xóm"), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302
    assert ConsultationComment.objects.count() == RATE_LIMIT_COUNT + 1


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["closed", "upcoming"])
def test_comments_refused_outside_the_open_window(client, site, which):
    page = getattr(site, which)
    response = client.post(page.url, comment_data(page), follow=True)
    assert str(consult_forms.MSG_CLOSED) in response.content.decode()
    assert not ConsultationComment.objects.exists()
    assert 'name="body"' not in client.get(page.url).content.decode()


@pytest.mark.django_db
def test_missing_locality_and_long_comment_have_vietnamese_errors(client, site):
    data = comment_data(site.open, locality="", body="x" * 3001)
    response = client.post(site.open.url, data)
    form = response.context["form"]
    assert str(consult_forms.MSG_LOCALITY) in form.errors["locality"]
    assert "dài quá 3000 ký tự" in form.errors["body"][0]


@pytest.mark.django_db
def test_locality_can_be_chosen_among_active_hamlets_and_communes(client, site, tree):
    response = client.get(site.open.url)
    choices = list(response.context["form"].fields["locality_unit"].queryset)
    assert tree.hamlet_a1 in choices and tree.commune_b in choices
    assert tree.city not in choices and tree.board_a not in choices
    client.post(
        site.open.url, comment_data(site.open, locality="", locality_unit=tree.hamlet_b1.pk)
    )
    assert ConsultationComment.objects.get().locality_unit == tree.hamlet_b1


@pytest.mark.django_db
def test_status_follows_the_dates_and_close_defaults_to_thirty_days(site):
    today = dt.date.today()
    assert site.open.closes_on == site.open.opens_on + dt.timedelta(days=30)
    assert site.open.status_on(today) == Status.OPEN
    assert site.open.status_on(site.open.closes_on) == Status.OPEN
    assert site.open.status_on(site.open.closes_on + dt.timedelta(days=1)) == Status.CLOSED
    assert site.upcoming.status == Status.UPCOMING and site.closed.status == Status.CLOSED


@pytest.mark.django_db
def test_explanation_is_shown_only_after_close(client, site):
    assert "Tiếp thu 3 ý kiến" in client.get(site.closed.url).content.decode()
    site.open.explanation = "<p>Báo cáo tiếp thu bí mật</p>"
    site.open.save_revision().publish()
    assert "Báo cáo tiếp thu bí mật" not in client.get(site.open.url).content.decode()


def _rich(text: str) -> str:
    block = {"key": "a", "type": "unstyled", "text": text, "depth": 0}
    block.update({"inlineStyleRanges": [], "entityRanges": []})
    return json.dumps({"blocks": [block], "entityMap": {}})


@pytest.mark.django_db
def test_admin_form_requires_a_reason_for_a_window_under_thirty_days(site, tree):
    form_class = ConsultationPage.get_edit_handler().get_form_class()
    assert issubclass(form_class, ConsultationPageForm)
    data = {
        "title": "Dự thảo ngắn",
        "slug": "ngan",
        "summary": "Tóm tắt",
        "draft": _rich("Nội dung"),
        "issuing_unit": tree.commune_a.pk,
        "opens_on": "2026-03-01",
        "closes_on": "2026-03-15",
        "explanation": _rich(""),
    }
    form = form_class(data, instance=ConsultationPage(), parent_page=site.index)
    assert not form.is_valid()
    assert str(MSG_SHORT_WINDOW % {"days": 30}) in form.errors["short_window_reason"]
    form = form_class(
        {**data, "short_window_reason": "Dự thảo đơn giản, cần ban hành trước Tết"},
        instance=ConsultationPage(),
        parent_page=site.index,
    )
    assert "short_window_reason" not in form.errors


@pytest.mark.django_db
def test_quarterly_list_filters_by_year_and_quarter(client, site, tree):
    add_consultation(
        site.index, slug="q1-2025", unit=tree.commune_a, opens_on=dt.date(2025, 2, 1),
        title="Dự thảo quý một",
    )  # fmt: skip
    response = client.get(site.index.url, {"nam": 2025, "quy": 1})
    quarters = response.context["quarters"]
    assert [(g["year"], g["quarter"]) for g in quarters] == [(2025, 1)]
    assert [p.title for p in quarters[0]["pages"]] == ["Dự thảo quý một"]
    assert "Quý 1 năm 2025" in response.content.decode()
    everything = client.get(site.index.url).context["quarters"]
    assert sum(len(g["pages"]) for g in everything) == 4


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 20])
def test_quarterly_list_query_count_is_constant(
    client, site, tree, extra, django_assert_num_queries
):
    for index in range(extra):
        add_consultation(
            site.index, slug=f"them-{index}", unit=tree.commune_a,
            opens_on=dt.date(2025, 1 + index % 12, 1),
        )  # fmt: skip
    client.get(site.index.url)
    with django_assert_num_queries(QUARTERLY_QUERIES):
        response = client.get(site.index.url)
    assert sum(len(g["pages"]) for g in response.context["quarters"]) == 3 + extra


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 60])
def test_consultation_page_query_count_with_many_comments(
    client, site, count, django_assert_max_num_queries
):
    for index in range(count):
        add_comment(site.open, status=APPROVED, name=f"Người góp ý {index}")
    client.get(site.open.url)
    with django_assert_max_num_queries(11):
        response = client.get(site.open.url)
    assert len(response.context["comments"]) == count
