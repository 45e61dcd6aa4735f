"""Site-wide search: accent-insensitive on SQLite and PostgreSQL alike, pages and provisions,
paginated, in a fixed number of queries."""

from __future__ import annotations

import pytest

from cms.public.models import SearchEntry
from cms.public.search import search_index_rebuild
from tests.site.conftest import add_news

pytestmark = pytest.mark.django_db


def results(client, query, **params):
    response = client.get("/tim-kiem/", {"q": query, **params})
    assert response.status_code == 200
    return response.context["results"], response.content.decode()


def test_query_without_accents_finds_text_with_accents(client, public_site):
    found, html = results(client, "dan chu co so")
    urls = [item.url for item in found]
    assert public_site.qa.url in urls  # "Luật Thực hiện dân chủ ở cơ sở" in the answer
    assert public_site.audio.url in urls  # in the transcript
    assert public_site.law.url in urls  # the document itself
    assert f"{public_site.law.url}#dieu-1" in urls  # and its article, linked to the anchor


def test_accents_in_the_query_do_not_matter_either(client, public_site):
    plain, _html = results(client, "du toan ngan sach")
    accented, _html = results(client, "DỰ TOÁN ngân sách")
    assert [r.url for r in plain] == [r.url for r in accented]
    assert public_site.news.url in [r.url for r in plain]
    assert f"{public_site.law.url}#dieu-11-khoan-2" in [r.url for r in plain]


def test_words_match_at_word_starts_only(client, public_site):
    found, _html = results(client, "an")  # "ngân" must not match "an"
    assert public_site.news.url not in [r.url for r in found]


def test_unpublished_and_staff_only_pages_are_not_found(client, public_site):
    public_site.news.unpublish()
    found, _html = results(client, "du toan ngan sach")
    assert public_site.news.url not in [r.url for r in found]
    assert not SearchEntry.objects.filter(page_id=public_site.news.pk).exists()
    search_index_rebuild()
    assert not SearchEntry.objects.filter(page_id=public_site.news.pk).exists()


def test_results_are_paginated_with_a_constant_number_of_queries(
    client, public_site, django_assert_max_num_queries
):
    results(client, "xa")
    with django_assert_max_num_queries(10) as few:
        results(client, "xa")
    baseline = len(few.captured_queries)
    for number in range(25):
        add_news(public_site.news_index, slug=f"xa-{number}", title=f"Xã số {number}")
    with django_assert_max_num_queries(baseline):
        page_one, html = results(client, "xa")
    assert page_one.paginator.num_pages == 2 and len(page_one) == 20
    page_two, _html = results(client, "xa", trang=2)
    assert page_two.number == 2
    urls = [r.url for r in page_one] + [r.url for r in page_two]
    assert len(urls) == len(set(urls)) == page_one.paginator.count


def test_empty_query_shows_the_form_only(client, public_site):
    found, html = results(client, "   ")
    assert found is None
    assert 'name="q"' in html
