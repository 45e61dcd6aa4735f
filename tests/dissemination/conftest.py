import datetime as dt

import pytest

from lms.dissemination.models import DisseminationActivity
from tests.factories import staff_world

YEAR = 2026


@pytest.fixture
def world(tree, groups):
    return staff_world(tree, groups)


def make_activity(unit, *, day=None, participants=10, form=DisseminationActivity.Form.CONFERENCE):
    return DisseminationActivity.objects.create(
        unit=unit,
        date=day or dt.date(YEAR, 3, 1),
        form=form,
        topic="Phổ biến Luật Thực hiện dân chủ ở cơ sở",
        participants=participants,
    )
