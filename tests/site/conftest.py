"""A public site with the sections, a small law with Article 11, and one page of each kind."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms.legal.demo import library_ensure
from cms.legal.parsing import parse_lines
from cms.legal.services import DocumentMetadata, legal_document_import
from cms.public.demo import chime_wav, leaflet_pdf
from cms.public.models import MaterialKind, MaterialPage, NewsCategory, NewsPage, QAPage, QATopic
from cms.site_setup import home_page_ensure, public_sections_ensure

LAW_TEXT = """Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Luật này quy định việc thực hiện dân chủ ở cơ sở.
Điều 11. Những nội dung chính quyền địa phương cấp xã phải công khai
Chính quyền địa phương cấp xã phải công khai các nội dung sau đây:
1. Kế hoạch phát triển kinh tế - xã hội hằng năm của cấp xã;
2. Dự toán ngân sách nhà nước của cấp xã.
"""


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def citation(article: int, clause: int | None = None) -> dict:
    return {
        "type": "citation",
        "value": {
            "law": "10/2022/QH15",
            "article": article,
            "clause": clause,
            "point": "",
            "article_title": "Những nội dung chính quyền địa phương cấp xã phải công khai",
            "text": "",
        },
    }


def add_news(index, *, slug: str, title: str = "", days_ago: int = 0, **extra) -> NewsPage:
    page = NewsPage(
        title=title or f"Tin {slug}",
        slug=slug,
        date=dt.date.today() - dt.timedelta(days=days_ago),
        summary=extra.pop("summary", "Xã niêm yết công khai dự toán ngân sách."),
        body=extra.pop("body", [citation(11)]),
        **extra,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return NewsPage.objects.get(pk=page.pk)


def add_document(title: str, filename: str, data: bytes):
    Document = get_document_model()
    document = Document(title=title, file=ContentFile(data, name=filename))
    document._set_document_file_metadata()
    document.save()
    return document


@pytest.fixture
def public_site(db):
    home = home_page_ensure(hostname="testserver", port=80)
    library = library_ensure()
    law = legal_document_import(
        parsed=parse_lines(LAW_TEXT.splitlines()),
        metadata=DocumentMetadata(
            number="10/2022/QH15", title="Luật Thực hiện dân chủ ở cơ sở", document_type="luat"
        ),
        parent=library,
        accept_warnings=True,  # Điều 2–10 are left out of this short text
    ).document
    sections = public_sections_ensure()
    category = NewsCategory.objects.create(name="Hoạt động ở cơ sở", slug="hoat-dong")
    topic = QATopic.objects.create(name="Công khai thông tin", slug="cong-khai")
    news = add_news(
        sections["tin-tuc"],
        slug="cong-khai-ngan-sach",
        title="Xã niêm yết công khai dự toán ngân sách",
        category=category,
    )
    qa = QAPage(
        title="Xã phải công khai những gì?",
        slug="xa-cong-khai-gi",
        question="Xã có phải công khai dự toán ngân sách không?",
        answer="<p>Có, theo Điều 11 Luật Thực hiện dân chủ ở cơ sở.</p>",
        topic=topic,
        citations=[citation(11, 2)],
    )
    sections["hoi-dap"].add_child(instance=qa)
    qa.save_revision().publish()
    leaflet = MaterialPage(
        title="Tờ gấp về hương ước",
        slug="to-gap",
        kind=MaterialKind.LEAFLET,
        summary="Các bước xây dựng hương ước, quy ước.",
        document=add_document(
            "Tờ gấp", "to-gap.pdf", leaflet_pdf(lines=[("h", "Hương ước")], title="Tờ gấp")
        ),
    )
    audio = MaterialPage(
        title="Bản tin loa truyền thanh",
        slug="ban-tin",
        kind=MaterialKind.AUDIO,
        summary="Nhạc hiệu và lời đọc.",
        transcript="Kính thưa bà con! Luật Thực hiện dân chủ ở cơ sở có hiệu lực từ 01/7/2023.",
        document=add_document("Nhạc hiệu", "nhac-hieu.wav", chime_wav(seconds=2.0)),
    )
    for page in (leaflet, audio):
        sections["tai-lieu"].add_child(instance=page)
        page.save_revision().publish()
    return SimpleNamespace(
        home=home,
        library=library,
        law=law,
        news_index=sections["tin-tuc"],
        qa_index=sections["hoi-dap"],
        materials_index=sections["tai-lieu"],
        news=news,
        qa=QAPage.objects.get(pk=qa.pk),
        leaflet=MaterialPage.objects.get(pk=leaflet.pk),
        audio=MaterialPage.objects.get(pk=audio.pk),
        category=category,
        topic=topic,
    )


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 450), (26, 95, 180)).save(buffer, format="PNG")
    return buffer.getvalue()
