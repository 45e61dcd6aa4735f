import pytest
from django.utils import timezone

from lms.dissemination.api import coverage_total
from lms.dissemination.demo import load_demo_dissemination
from lms.dissemination.models import DisseminationActivity
from lms.org.demo_data import demo_org_load


@pytest.mark.django_db
def test_demo_activities_cover_about_half_the_communes_and_are_idempotent():
    org = demo_org_load()
    load_demo_dissemination()
    count = DisseminationActivity.objects.count()
    load_demo_dissemination()
    assert DisseminationActivity.objects.count() == count
    year = timezone.localdate().year
    total = coverage_total(root_unit=org.city, year=year)
    assert total.percent is not None and 0 < total.percent < 100
    assert total.sessions == count
