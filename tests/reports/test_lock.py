"""Year-end lock: the locked report stays the same after merges and renames; amendments logged."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lms.org.models import Unit
from lms.org.services import unit_merge, unit_rename
from lms.reports import selectors
from lms.reports.models import ReportSnapshot
from lms.reports.services import MSG_ALREADY_LOCKED, report_amend, report_lock
from lms.reports.snapshots import content_hash, report_to_data
from tests.factories import staff_user
from tests.reports.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


def dashboard(unit):
    return f"{reverse('reports:unit', args=[unit.pk])}?year={YEAR}"


def test_locked_report_is_unchanged_after_merge_and_rename(client, figures, roles):
    snapshot = report_lock(unit=figures.city, year=YEAR, user=roles.admin, today=TODAY)
    locked = snapshot.data
    assert snapshot.content_hash == content_hash(locked)
    assert [r["name"] for r in locked["rows"]] == ["Xã Bắc Tân Uyên", "Xã Thường Tân"]

    unit_rename(unit=Unit.objects.get(pk=figures.commune_a.pk), new_name="Phường Tân Uyên",
                date=dt.date(YEAR, 10, 1))  # fmt: skip
    unit_merge(sources=[Unit.objects.get(pk=figures.commune_b.pk)],
               successor=Unit.objects.get(pk=figures.commune_a.pk), date=dt.date(YEAR, 11, 1))  # fmt: skip
    live = report_to_data(
        selectors.unit_report(unit=Unit.objects.get(pk=figures.city.pk), year=YEAR, today=TODAY)
    )
    assert live["rows"][0]["name"] == "Phường Tân Uyên"  # the live figures did change

    client.force_login(roles.admin)
    response = client.get(dashboard(figures.city))
    assert response.status_code == 200
    shown = report_to_data(response.context["report"])
    assert shown == {key: locked[key] for key in shown}  # the dashboard part of the snapshot
    assert content_hash(locked) == snapshot.content_hash
    html = response.content.decode()
    assert "Xã Thường Tân" in html and "đã khóa" in html


def test_lock_is_admin_only_and_once(figures, roles):
    with pytest.raises(PermissionDenied):
        report_lock(unit=figures.commune_a, year=YEAR, user=roles.manager, today=TODAY)
    admin_a = staff_user(role="admin", unit=figures.commune_a, username="quan-tri-a")
    with pytest.raises(PermissionDenied):
        report_lock(unit=figures.commune_b, year=YEAR, user=admin_a, today=TODAY)
    report_lock(unit=figures.commune_a, year=YEAR, user=admin_a, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        report_lock(unit=figures.commune_a, year=YEAR, user=roles.admin, today=TODAY)
    assert str(MSG_ALREADY_LOCKED) in exc.value.messages


def test_lock_button_and_amendment_log(client, figures, roles, groups):
    client.force_login(roles.manager)
    assert "Khóa số liệu" not in client.get(dashboard(figures.commune_a)).content.decode()
    assert (
        client.post(
            f"{reverse('reports:lock', args=[figures.commune_a.pk])}?year={YEAR}"
        ).status_code
        == 302
    )
    assert not ReportSnapshot.objects.exists()  # manager: refused with a message

    client.force_login(roles.admin)
    client.post(f"{reverse('reports:lock', args=[figures.commune_a.pk])}?year={YEAR}")
    snapshot = ReportSnapshot.objects.get(unit=figures.commune_a, year=YEAR)
    old_hash = snapshot.content_hash
    amendment = report_amend(snapshot=snapshot, user=roles.admin, reason="Bổ sung danh sách ký nhận",
                             row_code="BTU-A1", group=str(groups.hamlet_head.pk),
                             figures={"completed": 4})  # fmt: skip
    assert amendment.before["row"]["figures"]["completed"] == 3
    assert amendment.after["row"]["figures"]["completed"] == 4
    snapshot.refresh_from_db()
    assert snapshot.data["total"]["completed"] == 6 and snapshot.data["total"]["percent"] == 75.0
    assert snapshot.content_hash != old_hash
    html = client.get(dashboard(figures.commune_a)).content.decode()
    assert "Bổ sung danh sách ký nhận" in html
    assert "75,0%" in html  # Vietnamese decimal comma
    with pytest.raises(ValidationError):
        report_amend(snapshot=snapshot, user=roles.admin, reason=" ", row_code="BTU-A1",
                     group=str(groups.hamlet_head.pk), figures={"completed": 5})  # fmt: skip
