"""Public pages: the library index with search, a document page with its table of contents."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_document_page_shows_metadata_toc_and_every_provision_with_its_anchor(client, law):
    html = get(client, law.url)
    assert "10/2022/QH15" in html and "Còn hiệu lực" in html
    assert '<details class="legal-toc">' in html
    assert 'href="#chuong-ii-muc-1"' in html and 'href="#dieu-91"' in html
    for n in range(1, 92):
        assert f'id="dieu-{n}"' in html
    assert 'id="dieu-11-khoan-2"' in html
    # The copy-link affordance is a plain link to the anchor: it works without JavaScript.
    assert 'class="legal-permalink" href="#dieu-11"' in html
    assert '<a class="legal-num" href="#dieu-11-khoan-2"' in html


def test_point_dd_is_rendered_with_its_anchor(client, small_decree):
    html = get(client, small_decree.url)
    assert 'id="dieu-2-khoan-2-diem-dd"' in html
    assert "Điểm có chữ đ." in html


def test_document_page_query_count_does_not_grow_with_the_text(client, law, small_decree):
    client.get(small_decree.url)  # warm the site-root cache
    with CaptureQueriesContext(connection) as small:
        get(client, small_decree.url)
    with CaptureQueriesContext(connection) as big:
        get(client, law.url)
    assert len(big) == len(small)
    assert len(big) <= 10


def test_library_index_lists_live_documents(
    client, library, law, small_decree, django_assert_max_num_queries
):
    small_decree.unpublish()
    client.get(library.url)
    with django_assert_max_num_queries(10):
        html = get(client, library.url)
    assert law.title in html
    assert "Nghị định mẫu" not in html


@pytest.mark.parametrize("query", ["dan chu", "DÂN CHỦ", "dân chủ"])
def test_search_ignores_accents_and_links_to_the_provision(client, library, law, query):
    client.get(library.url)
    with CaptureQueriesContext(connection) as queries:
        html = get(client, f"{library.url}?q={query}")
    assert len(queries) <= 11
    assert f'href="{law.url}#dieu-1"' in html
    assert "kết quả cho" in html


def test_search_matches_word_starts_only_and_ranks_the_phrase_first(client, library, small_decree):
    html = get(client, f"{library.url}?q=uy ban nhan dan cap xa")
    assert f'href="{small_decree.url}#dieu-2-khoan-2-diem-a"' in html
    html = get(client, f"{library.url}?q=duoc cong nhan")
    assert "#dieu-2-khoan-2-diem-a" in html
    # "uoc" starts the word "ước" but is only inside "được": point d ("Được công khai") is no hit.
    html = get(client, f"{library.url}?q=uoc")
    assert '#dieu-2-khoan-2"' in html and '#dieu-2-khoan-2-diem-d"' not in html
    html = get(client, f"{library.url}?q=xyzzy")
    assert "Không tìm thấy điều, khoản nào phù hợp" in html


def test_search_does_not_show_unpublished_documents(client, library, small_decree):
    small_decree.unpublish()
    html = get(client, f"{library.url}?q=cong dong dan cu")
    assert "#dieu-2-khoan-1" not in html
