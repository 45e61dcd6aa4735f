import datetime as dt
import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from wagtail.models import Locale

from cms.consultations.forms import form_token
from cms.consultations.models import ConsultationComment, ConsultationIndexPage, ConsultationPage
from cms.site_setup import home_page_ensure
from tests.factories import staff_world


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(tree, groups):
    return staff_world(tree, groups)


def add_consultation(index, *, slug, unit, opens_on, closes_on=None, **extra):
    page = ConsultationPage(
        title=extra.pop("title", f"Dự thảo {slug}"),
        slug=slug,
        summary="Lấy ý kiến Nhân dân về dự thảo hương ước ấp.",
        draft="<p>Điều 1. Phạm vi điều chỉnh.</p>",
        issuing_unit=unit,
        opens_on=opens_on,
        closes_on=closes_on,
        **extra,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)


@pytest.fixture
def site(tree):
    Locale.objects.get_or_create(language_code="vi")
    home = home_page_ensure(hostname="testserver", port=80)
    index = ConsultationIndexPage(title="Lấy ý kiến Nhân dân", slug="lay-y-kien")
    home.add_child(instance=index)
    index.save_revision().publish()
    index = ConsultationIndexPage.objects.get(pk=index.pk)
    today = dt.date.today()
    return SimpleNamespace(
        home=home,
        index=index,
        open=add_consultation(
            index, slug="dang-mo", unit=tree.hamlet_a1, opens_on=today - dt.timedelta(days=3)
        ),
        closed=add_consultation(
            index,
            slug="da-ket-thuc",
            unit=tree.commune_b,
            opens_on=today - dt.timedelta(days=90),
            explanation="<p>Tiếp thu 3 ý kiến về giờ đổ rác.</p>",
        ),
        upcoming=add_consultation(
            index, slug="sap-mo", unit=tree.commune_a, opens_on=today + dt.timedelta(days=5)
        ),
    )


def comment_data(page, **extra):
    data = {
        "name": "Nguyễn Văn Hùng",
        "locality": "Ấp 1, xã Bắc Tân Uyên",
        "contact": "0912 345 678",
        "body": "Đề nghị ghi rõ giờ đổ rác trong Điều 5.",
        "website": "",
        "token": form_token(page_id=page.pk, now=time.time() - 60),
    }
    data.update(extra)
    return data


def add_comment(page, *, status=ConsultationComment.Status.PENDING, name="Trần Thị Mai", **extra):
    return ConsultationComment.objects.create(
        page=page,
        name=name,
        locality=extra.pop("locality", "Ấp Bình Hòa"),
        body=extra.pop("body", "Tôi đồng ý với dự thảo."),
        status=status,
        **extra,
    )
