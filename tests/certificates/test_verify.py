"""Public verification: from the QR code or a typed code; only the public facts; rate-limited."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from certificates.services import certificate_issue, certificate_revoke
from certificates.views import MSG_TOO_MANY

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world, course, django_capture_on_commit_callbacks):
    person = world.person_a
    person.email = "an.nguyen@example.vn"
    person.birth_date = "1980-04-17"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(person_id=person.pk, course_id=course.pk)
    certificate.refresh_from_db()
    return certificate


def test_scanning_the_qr_code_opens_the_page_showing_valid(client, issued):
    png = client.get(reverse("certificates_verify:png", args=[issued.code]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    found = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(b"".join(png.streaming_content) if png.streaming else png.content))
    )
    url = found[0].text
    assert url == f"http://testserver/xac-minh/{issued.code}/"
    page = client.get(url.removeprefix("http://testserver"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Còn hiệu lực" in body
    assert "Nguyễn Văn An" in body and issued.course_title in body
    assert "Ủy ban nhân dân xã Bắc Tân Uyên" in body


def test_verification_page_shows_nothing_personal(client, issued, world):
    body = client.get(reverse("certificates_verify:detail", args=[issued.code])).content.decode()
    for private in ("0912000001", "an.nguyen@example.vn", "17/04/1980", "1980", "Ấp 1"):
        assert private not in body


def test_revoked_certificate_shows_revoked(client, issued, world):
    certificate_revoke(certificate=issued, reason="Cấp nhầm người", actor=world.admin)
    body = client.get(reverse("certificates_verify:detail", args=[issued.code])).content.decode()
    assert "Đã thu hồi" in body and "Còn hiệu lực" not in body
    assert "Cấp nhầm người" not in body  # the reason is internal
    assert client.get(reverse("certificates_verify:png", args=[issued.code])).status_code == 404


def test_typed_code_leads_to_the_page(client, issued):
    response = client.get(reverse("certificates_verify:form"), {"ma": f"  {issued.code} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates_verify:detail", args=[issued.code])
    assert "Mã xác minh" in client.get(reverse("certificates_verify:form")).content.decode()


def test_unknown_code_gets_a_friendly_vietnamese_404(client, issued):
    response = client.get(reverse("certificates_verify:detail", args=[issued.code[:-1] + "x"]))
    assert response.status_code == 404
    assert "Không tìm thấy giấy chứng nhận" in response.content.decode()


def test_verification_is_rate_limited_per_client(client, issued, settings):
    settings.CERTIFICATES_VERIFY_RATE_LIMIT = (3, 300)
    url = reverse("certificates_verify:detail", args=["khong-co-ma-nay"])
    statuses = [client.get(url, REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    limited = client.get(url, REMOTE_ADDR="203.0.113.7")
    assert str(MSG_TOO_MANY) in limited.content.decode()
    # Another client is not affected.
    ok = client.get(
        reverse("certificates_verify:detail", args=[issued.code]), REMOTE_ADDR="198.51.100.2"
    )
    assert ok.status_code == 200


def test_verification_page_query_count(client, issued, django_assert_max_num_queries):
    url = reverse("certificates_verify:detail", args=[issued.code])
    with django_assert_max_num_queries(2):
        assert client.get(url).status_code == 200
