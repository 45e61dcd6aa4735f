"""Citations in lessons and question tags resolve to provision anchors in the library."""

from __future__ import annotations

from cms.legal import selectors
from cms.legal.selectors import provision_map_invalidate, provision_url
from courses.legal import legal_library_url


def test_provision_url_resolves_law_clause_and_point(law, small_decree):
    assert provision_url(law="10/2022/QH15", article=11) == f"{law.url}#dieu-11"
    assert provision_url(law="10/2022/QH15", article=11, clause=2) == f"{law.url}#dieu-11-khoan-2"
    assert (
        provision_url(law="61/2023/NĐ-CP", article=2, clause=2, point="đ")
        == f"{small_decree.url}#dieu-2-khoan-2-diem-dd"
    )


def test_short_code_matching_ignores_accents_case_and_spaces(small_decree):
    assert provision_url(law="61/2023/nd-cp", article=1) == f"{small_decree.url}#dieu-1"
    assert provision_url(law=" 61/2023/ND-CP ", article=1) == f"{small_decree.url}#dieu-1"


def test_missing_provisions_fall_back_to_the_nearest_existing_one(small_decree):
    assert provision_url(law="61/2023/NĐ-CP", article=2, clause=9) == f"{small_decree.url}#dieu-2"
    assert provision_url(law="61/2023/NĐ-CP", article=99) == small_decree.url
    assert provision_url(law="99/2099/QH99", article=1) is None


def test_courses_citation_hook_uses_the_library(law):
    assert (
        legal_library_url(law="10/2022/QH15", article=11, clause=2) == f"{law.url}#dieu-11-khoan-2"
    )


def test_resolver_costs_at_most_one_query_per_request_and_follows_publishing(
    law, small_decree, django_assert_max_num_queries
):
    provision_map_invalidate()
    provision_url(law="10/2022/QH15", article=1)  # builds and caches the map
    # A new request: what the request_started receiver does (sending the signal itself would also
    # run Django's close_old_connections and drop the test's transaction on PostgreSQL).
    selectors._reset_memo()
    with django_assert_max_num_queries(1):
        for n in range(1, 40):
            provision_url(law="10/2022/QH15", article=n)
    small_decree.unpublish()
    assert provision_url(law="61/2023/NĐ-CP", article=1) is None
    small_decree.save_revision().publish()
    assert provision_url(law="61/2023/NĐ-CP", article=1) == f"{small_decree.url}#dieu-1"
