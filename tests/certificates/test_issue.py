"""Issuing: automatic on completion, exactly once, gap-free serials, the stored PDF."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from unittest import mock

import pypdf
import pytest

from certificates import services
from certificates.formatting import vn_long_date
from certificates.models import (
    Certificate,
    CertificateRender,
    CourseCertificateSetting,
    SerialCounter,
)
from certificates.services import MSG_NO_SETTING, CertificateError, certificate_issue
from courses.models import LessonPage
from courses.services import lesson_complete
from tests import factories

pytestmark = pytest.mark.django_db


def _pdf_text(certificate: Certificate) -> str:
    with certificate.pdf.open("rb") as fh:
        reader = pypdf.PdfReader(io.BytesIO(fh.read()))
    return reader.pages[0].extract_text()


def test_completing_the_course_issues_the_certificate_at_once(
    world, course, django_capture_on_commit_callbacks
):
    lesson = LessonPage.objects.descendant_of(course).get()
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(person=world.person_a, lesson=lesson, course=course)
    certificate = Certificate.objects.get(person=world.person_a)
    assert certificate.status == Certificate.Status.ACTIVE
    assert certificate.pdf and certificate.render_version == 1
    assert certificate.unit_id == world.person_a.positions.get().unit_id
    assert certificate.holder_name == "Nguyễn Văn An"
    assert certificate.valid_until == certificate.issued_on.replace(
        year=certificate.issued_on.year + 1
    ) - dt.timedelta(days=1)


def test_second_completion_signal_returns_the_same_certificate(world, course):
    first = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    again = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    assert first.pk == again.pk
    assert Certificate.objects.count() == 1
    assert SerialCounter.objects.get().last_number == 1


def test_concurrent_completion_loses_the_race_without_a_gap(world, course):
    """The loser passes the existence check, hits the unique constraint, and gets the winner's
    certificate; its serial number rolls back with its transaction."""
    winner = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    real_live = services._live_many
    calls = iter([{}])  # the first existence check misses the winner

    def live(*args):
        return next(calls) if calls.__length_hint__() else real_live(*args)

    with mock.patch.object(services, "_live_many", side_effect=live) as patched:
        loser = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    assert patched.call_count == 2  # missed the winner, then found it after the conflict
    assert loser.pk == winner.pk
    assert Certificate.objects.count() == 1
    assert SerialCounter.objects.get().last_number == 1
    other = certificate_issue(person_id=world.person_b.pk, course_id=course.pk)
    assert other.serial_number == 2


def test_serial_numbers_run_per_issuer_and_year_without_gaps(
    world, course, make_course, cert_template
):
    people = [factories.PersonFactory(full_name=f"Người số {i}") for i in range(5)]
    numbers = [certificate_issue(person_id=p.pk, course_id=course.pk).serial_number for p in people]
    assert numbers == [1, 2, 3, 4, 5]
    cert_template.pk = None
    cert_template.serial_prefix = "GCN-BTTND"
    cert_template.save()
    other_course = make_course()
    CourseCertificateSetting.objects.create(course=other_course, template=cert_template)
    other = certificate_issue(person_id=people[0].pk, course_id=other_course.pk)
    assert other.serial == "0001/GCN-BTTND"


def test_verification_codes_carry_at_least_128_bits(world, course):
    a = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    b = certificate_issue(person_id=world.person_b.pk, course_id=course.pk)
    # token_urlsafe: 6 bits per character; 22 characters already exceed 128 bits.
    assert len(a.code) * 6 >= 128 and a.code != b.code


def test_course_without_setting_issues_nothing_automatically(world, make_course):
    course = make_course()
    assert certificate_issue(person_id=world.person_a.pk, course_id=course.pk) is None
    with pytest.raises(CertificateError) as exc:
        certificate_issue(person_id=world.person_a.pk, course_id=course.pk, reason="Học trực tiếp")
    assert exc.value.messages == [str(MSG_NO_SETTING)]


def test_pdf_embeds_a_font_covering_vietnamese(world, course, django_capture_on_commit_callbacks):
    person = factories.PersonFactory(full_name="Đặng Thị Mỹ Lựu Hộ Ngữ")
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(person_id=person.pk, course_id=course.pk)
    certificate.refresh_from_db()
    text = _pdf_text(certificate)
    for letter in ["ặ", "ộ", "ữ", "ự", "ỹ", "Đ"]:
        assert letter in text
    assert "Đặng Thị Mỹ Lựu Hộ Ngữ" in text
    with certificate.pdf.open("rb") as fh:
        reader = pypdf.PdfReader(io.BytesIO(fh.read()))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [font.get_object()["/FontDescriptor"] for font in fonts.values()]
    assert all("/FontFile2" in d for d in descriptors)  # embedded TrueType
    assert any("LiberationSerif" in str(d["/FontName"]) for d in descriptors)


def test_pdf_follows_decree_30_layout(world, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    certificate.refresh_from_db()
    text = _pdf_text(certificate)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN XÃ BẮC TÂN UYÊN" in text
    assert "Số: 0001/GCN-UBND" in text
    assert vn_long_date(certificate.issued_on, "Bắc Tân Uyên") in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text
    assert "GIẤY CHỨNG NHẬN" in text


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 5), "Bắc Tân Uyên, ngày 05 tháng 3 năm 2026"),
        (dt.date(2026, 1, 15), "Bắc Tân Uyên, ngày 15 tháng 01 năm 2026"),
        (dt.date(2026, 2, 9), "Bắc Tân Uyên, ngày 09 tháng 02 năm 2026"),
        (dt.date(2026, 12, 25), "Bắc Tân Uyên, ngày 25 tháng 12 năm 2026"),
    ],
)
def test_place_and_date_are_written_the_decree_30_way(day, expected):
    assert vn_long_date(day, "Bắc Tân Uyên") == expected


def test_place_name_stays_as_at_issue_after_the_template_changes(world, course, cert_template):
    certificate = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    cert_template.place_name = "Thành phố Hồ Chí Minh"
    cert_template.save()
    certificate.refresh_from_db()
    assert certificate.place_name == "Bắc Tân Uyên"


def test_fonts_are_vendored_liberation_serif_2_with_their_licence():
    folder = Path(services.__file__).parent / "fonts"
    names = {p.name for p in folder.iterdir()}
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        data = (folder / f"LiberationSerif-{style}.ttf").read_bytes()
        assert "Version 2.".encode("utf-16-be") in data  # never the incomplete v1
    assert "LICENSE-Liberation-OFL.txt" in names
    assert "SIL Open Font License" in (folder / "LICENSE-Liberation-OFL.txt").read_text()


def test_render_task_is_idempotent(world, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(person_id=world.person_a.pk, course_id=course.pk)
    assert services.certificate_render(certificate_id=certificate.pk) is None
    assert CertificateRender.objects.filter(certificate=certificate).count() == 1


def test_assignment_marked_completed_issues_the_certificate(
    world, course, groups, tree, django_capture_on_commit_callbacks
):
    from lms.training.models import Assignment, Requirement, TrainingPlan
    from lms.training.services import assignment_mark_completed, assignments_sync_for_people

    plan = TrainingPlan.objects.create(
        year=2026, title="Kế hoạch 2026", scope_unit=tree.city, status=TrainingPlan.Status.ACTIVE
    )
    requirement = Requirement.objects.create(
        plan=plan, course=course, due_date=dt.date(2026, 6, 30)
    )
    requirement.target_groups.set([groups.hamlet_head])
    requirement.save()
    assignments_sync_for_people(person_ids=[world.person_a.pk])
    assignment = Assignment.objects.get(person=world.person_a)
    with django_capture_on_commit_callbacks(execute=True):
        assignment_mark_completed(assignment=assignment, actor=world.manager_a)
    certificate = Certificate.objects.get(person=world.person_a)
    assert certificate.course_id == course.pk and certificate.pdf


def test_demo_setup_gives_every_course_a_certificate(world, make_course):
    from certificates.demo import certificates_demo_ensure

    course = make_course()
    certificates_demo_ensure()
    certificates_demo_ensure()  # idempotent
    assert CourseCertificateSetting.objects.filter(course=course).count() == 1
    assert certificate_issue(person_id=world.person_a.pk, course_id=course.pk) is not None


def test_cached_font_subsets_keep_each_pdf_text_its_own(course, django_capture_on_commit_callbacks):
    """Font subsets are built once per process; every PDF must still carry its own text."""
    names = ["Đỗ Thị Ỹ Nhữ", "Ngô Văn Ặc Lự", "Trịnh Ñoãn Ω"]  # the last goes beyond Vietnamese
    people = [factories.PersonFactory(full_name=name) for name in names]
    with django_capture_on_commit_callbacks(execute=True):
        issued = [certificate_issue(person_id=p.pk, course_id=course.pk) for p in people]
    for certificate, name in zip(issued, names, strict=True):
        certificate.refresh_from_db()
        text = _pdf_text(certificate)
        assert name in text
        assert all(other not in text for other in names if other != name)
