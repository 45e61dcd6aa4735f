"""The public side: a citizen enters a round without an account, answers, submits, predicts, and
sees their entry counted for their commune; answers never reach the page early; server time limit."""

import datetime as dt
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from assessments.models import Attempt
from cms.contests.models import Entry
from cms.contests.selectors import commune_counts
from cms.contests.views import sub_url

from .conftest import SECRET, answer_all, entrant_data

pytestmark = pytest.mark.django_db


def _url(round_page, name, *args):
    return round_page.url + round_page.reverse_subpage(name, args=args)


def test_citizen_enters_answers_submits_and_is_counted_for_their_commune(site):
    client = Client()
    page = client.get(site.round.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Giờ máy chủ" in body and "<script>" not in body
    response = client.post(_url(site.round, "enter"), entrant_data(site.tree.commune_a))
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(site.round, "entry_attempt", entry.pk)
    assert entry.phone == "0912345678" and entry.commune == site.tree.commune_a
    assert entry.attempt.questions.count() == 4
    attempt_page = client.get(response["Location"])
    assert attempt_page.status_code == 200
    answer_all(entry)
    submitted = client.post(
        _url(site.round, "entry_submit", entry.pk), HTTP_ACCEPT="application/json"
    )
    assert json.loads(submitted.content)["result_url"] == _url(
        site.round, "entry_predict", entry.pk
    )
    predicted = client.post(_url(site.round, "entry_predict", entry.pk), {"prediction": "12"})
    assert predicted["Location"] == _url(site.round, "entry_result", entry.pk)
    result = client.get(predicted["Location"]).content.decode()
    assert "Xã Bắc Tân Uyên: 1 người dự thi" in result
    assert "4/4" in result
    entry.refresh_from_db()
    assert entry.prediction == 12
    # The round page's table is cached for a minute: the visit before the entry still shows none.
    assert commune_counts(round_page=site.round) == []
    cache.clear()
    assert [(c.commune_name, c.people) for c in commune_counts(round_page=site.round)] == [
        ("Xã Bắc Tân Uyên", 1)
    ]


def test_answers_are_never_in_the_attempt_page(site):
    client = Client()
    response = client.post(_url(site.round, "enter"), entrant_data(site.tree.commune_a))
    html = client.get(response["Location"]).content.decode()
    assert "Khẳng định số" in html
    assert SECRET not in html
    assert "fraction" not in html
    # Nor after submitting: the result page shows the score only.
    entry = Entry.objects.get()
    client.post(_url(site.round, "entry_submit", entry.pk))
    result = client.get(_url(site.round, "entry_result", entry.pk)).content.decode()
    assert SECRET not in result


def test_another_browser_cannot_open_an_entry(site):
    client = Client()
    response = client.post(_url(site.round, "enter"), entrant_data(site.tree.commune_a))
    assert Client().get(response["Location"]).status_code == 404
    entry = Entry.objects.get()
    save_url = f"/kiem-tra/bai-lam/{entry.attempt_id}/luu/"
    assert Client().post(save_url, "{}", content_type="application/json").status_code == 404


def test_time_limit_is_enforced_by_the_server(site):
    client = Client()
    response = client.post(_url(site.round, "enter"), entrant_data(site.tree.commune_a))
    entry = Entry.objects.get()
    attempt = entry.attempt
    assert attempt.deadline == attempt.started_at + dt.timedelta(minutes=10)
    # The deadline (and the grace) passes: saving is refused and the attempt closes on its own.
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - dt.timedelta(minutes=20),
        deadline=timezone.now() - dt.timedelta(minutes=10),
    )
    aq = attempt.questions.first()
    option = aq.options.first() if hasattr(aq, "options") else None
    save = client.post(
        f"/kiem-tra/bai-lam/{attempt.pk}/luu/",
        json.dumps({"question": aq.pk, "answer": option.pk if option else 1, "seq": 1}),
        content_type="application/json",
    )
    assert save.status_code == 409
    again = client.get(response["Location"])
    assert again["Location"] == _url(site.round, "entry_predict", entry.pk)
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.auto_submitted


def test_entrant_form_keeps_input_and_explains_errors(site):
    client = Client()
    data = entrant_data(site.tree.commune_a, phone="12345", consent="")
    html = client.post(_url(site.round, "enter"), data).content.decode()
    assert "Vui lòng đánh dấu đồng ý" in html
    assert 'value="Trần Thị Dân"' in html
    data = entrant_data(site.tree.commune_a, phone="12345")
    html = client.post(_url(site.round, "enter"), data).content.decode()
    assert "Số điện thoại không hợp lệ." in html
    assert Entry.objects.count() == 0


def test_commune_must_be_an_active_commune(site):
    data = entrant_data(site.tree.hamlet_a1)
    html = Client().post(_url(site.round, "enter"), data).content.decode()
    assert "Vui lòng chọn xã, phường trong danh sách." in html
    assert Entry.objects.count() == 0


def test_honeypot_refuses_bots(site):
    data = entrant_data(site.tree.commune_a, website="http://spam.example")
    html = Client().post(_url(site.round, "enter"), data).content.decode()
    assert "Không thể nhận đăng ký này" in html
    assert Entry.objects.count() == 0


def test_registrations_are_rate_limited_per_ip(site, settings):
    settings.ASSESSMENTS_PUBLIC_RATE_PER_HOUR = 2
    codes = [
        Client(REMOTE_ADDR="10.0.0.7")
        .post(_url(site.round, "enter"), entrant_data(site.tree.commune_a, phone=f"091000000{i}"))
        .status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    other = Client(REMOTE_ADDR="10.0.0.8").post(
        _url(site.round, "enter"), entrant_data(site.tree.commune_a, phone="0910000009")
    )
    assert other.status_code == 302


def test_phone_may_retry_up_to_the_rounds_max_entries(site):
    for _attempt in range(3):
        client = Client()
        client.post(_url(site.round, "enter"), entrant_data(site.tree.commune_a))
        entry = Entry.objects.order_by("-pk").first()
        client.post(_url(site.round, "entry_submit", entry.pk))
    assert list(Entry.objects.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    html = (
        Client().post(_url(site.round, "enter"), entrant_data(site.tree.commune_a)).content.decode()
    )
    assert "đã dự thi đủ 3 lượt" in html
    assert Entry.objects.count() == 3


def test_closed_round_takes_no_entries(site):
    site.round.closes_at = timezone.now() - dt.timedelta(minutes=1)
    site.round.opens_at = timezone.now() - dt.timedelta(days=2)
    site.round.save_revision().publish()
    response = Client().post(_url(site.round, "enter"), entrant_data(site.tree.commune_a))
    assert "Đợt thi chưa mở hoặc đã kết thúc." in response.content.decode()
    assert Entry.objects.count() == 0


def test_countdown_page_has_no_inline_script(site):
    html = Client().get(site.round.url).content.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert 'id="contest-countdown"' in html


def test_sub_url_is_under_the_round(site, rf):
    request = rf.get("/")
    assert sub_url(site.round, request, "enter").endswith(site.round.url + "du-thi/")


def test_round_form_checks_the_window_and_the_number_of_questions(site):
    from cms.contests.models import ContestRoundPage

    form_class = ContestRoundPage.get_edit_handler().get_form_class()
    now = timezone.now()
    data = {
        "title": "Đợt 2",
        "slug": "dot-2",
        "opens_at": (now + dt.timedelta(days=2)).strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "category": site.category.pk,
        "question_count": 7,
        "time_limit_minutes": 10,
        "max_entries_per_phone": 1,
        "top_n": 3,
        "consent_text": "Đồng ý",
    }
    form = form_class(data=data, parent_page=site.contest, for_user=None)
    assert not form.is_valid()
    assert "Thời điểm kết thúc phải sau thời điểm bắt đầu." in form.errors["closes_at"]
    assert (
        "chỉ có 6 câu hỏi đã duyệt, ít hơn số câu mỗi lượt (7)" in form.errors["question_count"][0]
    )


def test_running_rounds_for_the_home_page(site):
    from cms.contests.selectors import running_rounds

    from .conftest import add_round

    now = timezone.now()
    add_round(site.contest, site.category, slug="sap-mo", opens_at=now + dt.timedelta(days=1))
    add_round(
        site.contest,
        site.category,
        slug="da-xong",
        opens_at=now - dt.timedelta(days=9),
        closes_at=now - dt.timedelta(days=1),
    )
    soon = add_round(
        site.contest, site.category, slug="sap-dong", closes_at=now + dt.timedelta(hours=2)
    )
    rounds = running_rounds()
    assert [r.pk for r in rounds] == [soon.pk, site.round.pk]
    assert rounds[0].url.endswith("/sap-dong/") and rounds[0].closes_at and rounds[0].title
    assert len(running_rounds(limit=1)) == 1
