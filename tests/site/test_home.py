"""The home page: latest news, open consultations, running contests, open courses, search box."""

from __future__ import annotations

import pytest

from tests.site.conftest import add_news

pytestmark = pytest.mark.django_db


def test_home_shows_latest_news_sections_and_search(client, public_site):
    for number in range(4):
        add_news(public_site.news_index, slug=f"moi-{number}", title=f"Tin mới {number}")
    html = client.get("/").content.decode()
    assert html.count('class="card news-card"') == 3
    assert (
        ">Tin mới 3</a>" in html and f">{public_site.news.title}</a>" not in html
    )  # only the latest three
    assert 'action="/tim-kiem/"' in html
    for section in (public_site.library, public_site.qa_index, public_site.materials_index):
        assert f'href="{section.url}"' in html


def test_home_page_queries_stay_constant(client, public_site, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(20) as few:
        client.get("/")
    baseline = len(few.captured_queries)
    for number in range(5):
        add_news(public_site.news_index, slug=f"them-{number}")
    client.get("/")
    with django_assert_max_num_queries(baseline):
        client.get("/")


def test_home_lists_running_contest_rounds_only(client, public_site):
    import datetime as dt

    from django.utils import timezone

    from cms.contests.models import ContestPage
    from tests.contests.conftest import add_round, make_bank_category

    category = make_bank_category()
    contest = ContestPage(title="Cuộc thi tìm hiểu Luật", slug="cuoc-thi")
    public_site.home.add_child(instance=contest)
    contest.save_revision().publish()
    running = add_round(contest, category, slug="dang-thi", title="Đợt 1 đang diễn ra")
    later = timezone.now() + dt.timedelta(days=10)
    add_round(
        contest,
        category,
        slug="sap-thi",
        title="Đợt 2 sắp mở",
        opens_at=later,
        closes_at=later + dt.timedelta(days=7),
    )
    html = client.get("/").content.decode()
    assert f'href="{running.url}"' in html and "Đợt 2 sắp mở" not in html
    assert "Cuộc thi tìm hiểu pháp luật đang diễn ra" in html
