"""A citizen on a phone, not logged in: home page → news item → its citation of Article 11 in the
library → a search typed without accents finds the article again. axe-clean throughout."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cms.public.search import search_index_rebuild
from tests.site.conftest import add_news, public_site  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e


def test_citizen_reads_news_follows_citation_and_searches(
    live_server, new_page, axe_check, request
):
    from wagtail.models import Site

    request.getfixturevalue("wagtail_site")
    site_data = request.getfixturevalue("public_site")
    Site.objects.exclude(root_page=site_data.home).delete()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()
    news = add_news(
        site_data.news_index,
        slug="cong-khai-du-toan",
        title="Xã Bắc Tân Uyên công khai dự toán ngân sách",
        days_ago=0,
    )
    search_index_rebuild()
    base = live_server.url
    page = new_page()

    page.goto(f"{base}/")
    axe_check(page, "home")
    page.get_by_role("link", name=news.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(news.title)
    axe_check(page, "news item")

    page.get_by_role("link", name="Điều 11 Luật số 10/2022/QH15").click()
    page.wait_for_url("**/#dieu-11")
    expect(page.locator("#dieu-11")).to_be_visible()
    axe_check(page, "library article")

    page.goto(f"{base}/")
    page.get_by_label("Tìm kiếm trên trang (gõ có dấu hoặc không dấu)").fill("cong khai du toan")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_role("link", name=news.title)).to_be_visible()
    axe_check(page, "search results")

    # The other sections a citizen reaches from the home page are axe-clean too.
    for url, name in (
        (site_data.news_index.url, "news index"),
        (site_data.qa_index.url, "Q&A index with the question form"),
        (site_data.qa.url, "Q&A page"),
        (site_data.materials_index.url, "materials"),
        (site_data.audio.url, "audio material"),
    ):
        page.goto(f"{base}{url}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page, name)
    expect(page.locator("audio[controls]")).to_have_count(1)
