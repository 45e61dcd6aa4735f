"""Every public page type renders, on its own and in its listing, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.core.files.images import ImageFile
from wagtail.images import get_image_model

from tests.site.conftest import add_news, png_bytes

pytestmark = pytest.mark.django_db


def test_news_page_links_its_citation_to_the_article_anchor(client, public_site):
    response = client.get(public_site.news.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{public_site.law.url}#dieu-11"' in html
    assert "Điều 11 Luật số 10/2022/QH15" in html
    assert "Hoạt động ở cơ sở" in html


def test_news_page_serves_phone_sized_image_renditions(client, public_site):
    image = get_image_model()(
        title="Ảnh", file=ImageFile(__import__("io").BytesIO(png_bytes()), name="a.png")
    )
    image.save()
    news = add_news(public_site.news_index, slug="co-anh", image=image)
    html = client.get(news.url).content.decode()
    assert "srcset=" in html and " 360w" in html
    listing = client.get(public_site.news_index.url).content.decode()
    assert 'width="320"' in listing  # the card thumbnail, not the original upload


def test_news_index_filters_by_category_and_tag_and_paginates(client, public_site):
    other = add_news(public_site.news_index, slug="khac", title="Tin không có chuyên mục")
    other.tags.add("hương ước")
    other.save_revision().publish()
    html = client.get(public_site.news_index.url, {"chuyen-muc": "hoat-dong"}).content.decode()
    assert f">{public_site.news.title}</a>" in html and f">{other.title}</a>" not in html
    slug = other.tags.get().slug
    html = client.get(public_site.news_index.url, {"the": slug}).content.decode()
    assert f">{other.title}</a>" in html and f">{public_site.news.title}</a>" not in html
    for number in range(11):
        add_news(public_site.news_index, slug=f"tin-{number}", days_ago=number + 1)
    second = client.get(public_site.news_index.url, {"trang": 2}).content.decode()
    assert "Trang 2/2" in second


def test_news_listing_queries_do_not_grow_with_articles(
    client, public_site, django_assert_max_num_queries
):
    client.get(public_site.news_index.url)
    with django_assert_max_num_queries(12) as few:
        client.get(public_site.news_index.url)
    baseline = len(few.captured_queries)
    for number in range(8):
        add_news(public_site.news_index, slug=f"them-{number}")
    with django_assert_max_num_queries(baseline):
        client.get(public_site.news_index.url)


def test_feeds_list_the_news(client, public_site):
    rss = client.get(public_site.news_index.url + "rss/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    assert public_site.news.title in rss.content.decode()
    atom = client.get(public_site.news_index.url + "atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert public_site.news.full_url in atom.content.decode()


def test_qa_pages_render_and_filter_by_topic(client, public_site):
    html = client.get(public_site.qa.url).content.decode()
    assert "Căn cứ pháp lý" in html
    assert f'href="{public_site.law.url}#dieu-11-khoan-2"' in html
    listing = client.get(public_site.qa_index.url, {"chu-de": "cong-khai"}).content.decode()
    assert public_site.qa.title in listing
    listing = client.get(public_site.qa_index.url, {"chu-de": "khong-co"}).content.decode()
    assert public_site.qa.title in listing  # unknown topic: everything


def test_qa_listing_queries_do_not_grow(client, public_site, django_assert_max_num_queries):
    from cms.public.models import QAPage

    client.get(public_site.qa_index.url)
    with django_assert_max_num_queries(14) as few:
        client.get(public_site.qa_index.url)
    baseline = len(few.captured_queries)
    for number in range(6):
        page = QAPage(
            title=f"Câu hỏi {number}",
            slug=f"cau-{number}",
            question="?",
            answer="<p>.</p>",
            topic=public_site.topic,
        )
        public_site.qa_index.add_child(instance=page)
        page.save_revision().publish()
    with django_assert_max_num_queries(baseline):
        client.get(public_site.qa_index.url)


def test_materials_show_format_and_size_before_download(client, public_site):
    html = client.get(public_site.materials_index.url).content.decode()
    assert "PDF" in html and "WAV" in html and "KB" in html
    audio = client.get(public_site.audio.url).content.decode()
    assert "<audio controls" in audio
    assert "Kính thưa bà con!" in audio
    assert "Định dạng WAV, dung lượng" in audio
    leaflet = client.get(public_site.leaflet.url).content.decode()
    assert "Định dạng PDF" in leaflet and "<audio" not in leaflet
    only_audio = client.get(public_site.materials_index.url, {"loai": "am-thanh"}).content.decode()
    assert public_site.audio.title in only_audio and public_site.leaflet.title not in only_audio


def test_public_pages_need_no_inline_script_or_style(client, public_site):
    for url in (
        "/",
        public_site.news.url,
        public_site.news_index.url,
        public_site.qa.url,
        public_site.qa_index.url,
        public_site.audio.url,
        public_site.materials_index.url,
        "/tim-kiem/?q=dan+chu",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script" not in html and "<style" not in html and ' style="' not in html, url
