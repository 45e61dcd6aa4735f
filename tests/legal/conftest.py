"""Fixtures for the legal library tests: a site with a home page and the library under it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.cache import cache

from cms.legal.demo import library_ensure
from cms.legal.parsing import parse_file, parse_lines
from cms.legal.services import DocumentMetadata, legal_document_import
from cms.site_setup import home_page_ensure

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LAW_FILE = FIXTURES / "luat-10-2022-qh15.txt"

SMALL_TEXT = """Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Nghị định này quy định về hương ước, quy ước.
Điều 2. Giải thích từ ngữ
1. Cộng đồng dân cư là tập hợp những người cùng cư trú.
2. Hương ước là văn bản do cộng đồng dân cư bàn và quyết định:
a) Được Ủy ban nhân dân cấp xã công nhận;
b) Không trái pháp luật;
c) Có hiệu lực;
d) Được công khai;
đ) Điểm có chữ đ.
"""


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    return home_page_ensure(hostname="testserver", port=80)


@pytest.fixture
def library(home):
    return library_ensure()


@pytest.fixture
def import_text(library):
    def run(text: str, *, number: str = "61/2023/NĐ-CP", accept_warnings: bool = True, **meta):
        parsed = parse_lines(text.splitlines())
        return legal_document_import(
            parsed=parsed,
            metadata=DocumentMetadata(number=number, **meta),
            parent=library,
            accept_warnings=accept_warnings,
        ).document

    return run


@pytest.fixture
def law(library):
    parsed = parse_file(name=LAW_FILE.name, data=LAW_FILE.read_bytes())
    return legal_document_import(
        parsed=parsed,
        metadata=DocumentMetadata(
            number="10/2022/QH15", title="Luật Thực hiện dân chủ ở cơ sở", document_type="luat"
        ),
        parent=library,
    ).document


@pytest.fixture
def small_decree(import_text):
    return import_text(SMALL_TEXT, title="Nghị định mẫu", document_type="nghi-dinh")
