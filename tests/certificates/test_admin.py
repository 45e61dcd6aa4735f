"""Admin screens: permissions per role, subtree scoping, bulk ZIP with progress, query counts."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from certificates.models import BulkExport, Certificate
from certificates.services import certificate_issue
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def certs(world, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
        b = certificate_issue(person_id=world.person_b.pk, course_id=course.pk)
    a.refresh_from_db()
    b.refresh_from_db()
    return a, b


def _denied(response) -> bool:
    """Wagtail turns PermissionDenied into a redirect to the dashboard with an error message."""
    return response.status_code == 403 or (
        response.status_code == 302
        and response["Location"] in ("/admin/", reverse("wagtailadmin_home"))
    )


def _login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["list", "issue", "bulk"])
def test_trainers_and_learners_cannot_open_certificate_screens(client, world, certs, name):
    url = reverse(f"certificates_admin:{name}")
    assert _denied(_login(client, world.trainer).get(url))
    client.logout()
    assert _login(client, world.learner).get(url).status_code in (302, 403)
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login page


@pytest.mark.parametrize("role", ["trainer", "learner"])
def test_trainers_and_learners_cannot_act_on_a_certificate(client, world, certs, role):
    a, _b = certs
    _login(client, getattr(world, role))
    for name in ("pdf", "revoke"):
        assert client.get(reverse(f"certificates_admin:{name}", args=[a.pk])).status_code in (
            302,
            403,
        )
    assert client.post(reverse("certificates_admin:rerender", args=[a.pk])).status_code in (
        302,
        403,
    )
    assert Certificate.objects.get(pk=a.pk).render_version == 1


def test_manager_sees_only_their_subtree(client, world, certs):
    a, b = certs
    body = _login(client, world.manager_a).get(reverse("certificates_admin:list")).content.decode()
    assert a.serial in body and b.serial not in body
    assert client.get(reverse("certificates_admin:pdf", args=[a.pk])).status_code == 200
    assert client.get(reverse("certificates_admin:pdf", args=[b.pk])).status_code == 404
    assert client.get(reverse("certificates_admin:revoke", args=[b.pk])).status_code == 404
    assert client.post(reverse("certificates_admin:rerender", args=[b.pk])).status_code == 404


def test_system_admin_sees_everything(client, world, certs):
    a, b = certs
    body = _login(client, world.admin).get(reverse("certificates_admin:list")).content.decode()
    assert a.serial in body and b.serial in body


def test_manager_revokes_with_a_reason(client, world, certs):
    a, _b = certs
    _login(client, world.manager_a)
    url = reverse("certificates_admin:revoke", args=[a.pk])
    assert client.post(url, {"reason": ""}).status_code == 200  # form error, nothing revoked
    assert Certificate.objects.get(pk=a.pk).status == Certificate.Status.ACTIVE
    response = client.post(url, {"reason": "Cấp nhầm người"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == Certificate.Status.REVOKED and a.revoked_by == world.manager_a


def test_manager_issues_manually_with_a_reason_only_in_scope(client, world, course):
    _login(client, world.manager_a)
    url = reverse("certificates_admin:issue")
    form = {"person": world.person_a.pk, "course": course.pk, "reason": "Học trực tiếp ngày 05/3"}
    assert client.post(url, form).status_code == 302
    certificate = Certificate.objects.get(person=world.person_a)
    assert certificate.manual_reason == "Học trực tiếp ngày 05/3"
    assert certificate.issued_by == world.manager_a
    outside = {**form, "person": world.person_b.pk}
    assert client.post(url, outside).status_code == 200  # not a choice for this manager
    assert not Certificate.objects.filter(person=world.person_b).exists()


def test_manager_rerenders_a_certificate(
    client, world, certs, cert_template, django_capture_on_commit_callbacks
):
    a, _b = certs
    cert_template.signer_name = "Lê Văn Sửa"
    cert_template.save()
    _login(client, world.manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates_admin:rerender", args=[a.pk]))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.render_version == 2 and a.serial_number == 1


def test_only_system_admins_rerender_a_whole_template(client, world, certs, cert_template):
    url = reverse("certificates_admin:template_rerender")
    assert _denied(_login(client, world.manager_a).post(url, {"template": cert_template.pk}))
    cert_template.signer_name = "Lê Văn Sửa"
    cert_template.save()
    client.logout()
    assert _login(client, world.admin).post(url, {"template": cert_template.pk}).status_code == 302
    assert {c.render_version for c in Certificate.objects.all()} == {2}


def test_bulk_zip_of_a_commune_with_progress(
    client, world, course, certs, django_capture_on_commit_callbacks
):
    a, _b = certs
    extra = factories.PersonFactory(full_name="Lê Thị Cúc")
    factories.PositionFactory(
        person=extra,
        unit=world.person_a.positions.get().unit,
        target_group=world.person_a.positions.get().target_group,
    )
    with django_capture_on_commit_callbacks(execute=True):
        certificate_issue(person_id=extra.pk, course_id=course.pk)
    _login(client, world.manager_a)
    form_page = client.get(reverse("certificates_admin:bulk"))
    assert form_page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates_admin:bulk"),
            {"unit": a.unit.get_parent().pk, "course": course.pk, "year": a.cycle_year},
        )
    export = BulkExport.objects.get()
    assert response["Location"] == reverse("certificates_admin:bulk_detail", args=[export.pk])
    detail = client.get(response["Location"]).content.decode()
    assert "bulk_progress.js" in detail and "<progress" in detail
    status = client.get(reverse("certificates_admin:bulk_status", args=[export.pk])).json()
    assert status["status"] == "done" and status["percent"] == 100 and status["total"] == 2
    download = client.get(status["download_url"])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = archive.namelist()
    assert len(names) == 2 and all(n.endswith(".pdf") for n in names)
    assert all(archive.read(n).startswith(b"%PDF") for n in names)


def test_bulk_zip_refuses_a_unit_outside_the_subtree(client, world, course, certs):
    _login(client, world.manager_a)
    response = client.post(
        reverse("certificates_admin:bulk"),
        {
            "unit": world.person_b.positions.get().unit.pk,
            "course": course.pk,
            "year": certs[0].cycle_year,
        },
    )
    assert response.status_code == 200 and not BulkExport.objects.exists()


def test_another_managers_export_is_not_found(
    client, world, course, certs, django_capture_on_commit_callbacks
):
    _login(client, world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("certificates_admin:bulk"),
            {"unit": certs[0].unit.pk, "course": course.pk, "year": certs[0].cycle_year},
        )
    export = BulkExport.objects.get()
    client.logout()
    _login(client, world.manager_a)
    for name in ("bulk_detail", "bulk_status", "bulk_download"):
        assert (
            client.get(reverse(f"certificates_admin:{name}", args=[export.pk])).status_code == 404
        )


def test_certificate_list_query_count_does_not_grow(
    client, world, course, django_assert_max_num_queries
):
    for i in range(12):
        person = factories.PersonFactory(full_name=f"Người học {i}")
        factories.PositionFactory(
            person=person,
            unit=world.person_a.positions.get().unit,
            target_group=world.person_a.positions.get().target_group,
        )
        certificate_issue(person_id=person.pk, course_id=course.pk)
    _login(client, world.manager_a)
    url = reverse("certificates_admin:list")
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200 and response.content.decode().count("/GCN-UBND") >= 12


def test_template_snippet_has_a_live_preview(client, world, cert_template):
    _login(client, world.admin)
    url = reverse(
        "wagtailsnippets_certificates_certificatetemplate:preview_on_edit", args=[cert_template.pk]
    )
    edit = reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[cert_template.pk])
    page = client.get(edit)
    assert page.status_code == 200
    data = {
        "name": cert_template.name, "issuer_unit": cert_template.issuer_unit_id,
        "parent_body": cert_template.parent_body, "issuing_body": cert_template.issuing_body,
        "place_name": cert_template.place_name, "serial_prefix": cert_template.serial_prefix,
        "title": "GIẤY CHỨNG NHẬN", "intro": cert_template.intro, "body": cert_template.body,
        "signer_prefix": "KT.", "signer_authority": "Chủ tịch", "signer_title": "Phó Chủ tịch",
        "signer_name": "Lê Văn Ký", "orientation": "portrait",
    }  # fmt: skip
    assert client.post(url, data).json()["is_valid"] is True
    preview = client.get(url)
    assert preview.status_code == 200
    assert b"data:image/png;base64," in preview.content


def test_template_rejects_unknown_placeholders(client, world, cert_template):
    from django.core.exceptions import ValidationError

    from certificates.models import MSG_UNKNOWN_PLACEHOLDER

    cert_template.body = "Ông/Bà {ho_ten} sinh ngày {ngay_sinh}"
    with pytest.raises(ValidationError) as exc:
        cert_template.full_clean()
    assert exc.value.message_dict["body"] == [str(MSG_UNKNOWN_PLACEHOLDER % {"names": "ngay_sinh"})]


def test_managers_cannot_edit_templates(client, world, cert_template):
    _login(client, world.manager_a)
    edit = reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[cert_template.pk])
    assert client.get(edit).status_code in (302, 403)
