import pytest
from wagtail.models import Locale

from cms.consultations.demo import load_demo_consultations
from cms.consultations.models import ConsultationComment, ConsultationPage
from cms.site_setup import home_page_ensure
from lms.org.demo_data import demo_org_load


@pytest.mark.django_db
def test_demo_consultation_is_open_with_approved_comments_and_idempotent(client):
    Locale.objects.get_or_create(language_code="vi")
    demo_org_load()
    home_page_ensure(hostname="testserver", port=80)
    load_demo_consultations()
    load_demo_consultations()
    assert ConsultationPage.objects.count() == 2
    draft = ConsultationPage.objects.get(slug="du-thao-huong-uoc-sua-doi")
    assert draft.is_open and "Hương ước" in draft.title
    approved = ConsultationComment.objects.filter(page=draft, status="approved")
    assert approved.count() == 3
    page = client.get(draft.url).content.decode()
    assert "Đề nghị Điều 5 ghi rõ giờ đổ rác" in page
    assert "nuôi chó" not in page  # the pending demo comment stays hidden
