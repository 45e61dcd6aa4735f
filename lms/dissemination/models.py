"""The dissemination activity log (nhật ký phổ biến, giáo dục pháp luật) — Measure 2.

Forms follow the Law on Dissemination and Education of Law 2012, Art. 11, and Decree 28/2013
(legal-knowledge contests, Law Day 9 November, grassroots loudspeakers).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.org.api import Person, Unit

EVIDENCE_EXTENSIONS = {"pdf", "jpg", "jpeg", "png", "docx"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def evidence_upload_to(instance: DisseminationActivity, filename: str) -> str:
    # An unguessable folder: evidence is served only through the staff view, never listed.
    return f"dissemination/evidence/{uuid.uuid4().hex}/{filename}"


class ActivityQuerySet(models.QuerySet):
    def for_year(self, year: int) -> ActivityQuerySet:
        return self.filter(date__year=year)

    def for_unit_tree(self, unit: Unit) -> ActivityQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def scoped(self, condition: Q | None) -> ActivityQuerySet:
        return self if condition is None else self.filter(condition)


class DisseminationActivity(models.Model):
    class Form(models.TextChoices):
        CONFERENCE = "conference", _("Hội nghị, tọa đàm, nói chuyện chuyên đề")
        DIRECT = "direct", _("Tuyên truyền trực tiếp (họp dân, tổ dân phố)")
        LOUDSPEAKER = "loudspeaker", _("Truyền thanh cơ sở (loa)")
        LEAFLET = "leaflet", _("Phát tờ gấp, tài liệu")
        ONLINE = "online", _("Đăng tải trên cổng thông tin, mạng xã hội")
        CONTEST = "contest", _("Thi tìm hiểu pháp luật")
        LAW_DAY = "law_day", _("Ngày Pháp luật Việt Nam (9/11)")
        POSTING = "posting", _("Niêm yết công khai")
        OTHER = "other", _("Hình thức khác")

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="dissemination_activities",
        verbose_name=_("đơn vị thực hiện"),
    )
    date = models.DateField(_("ngày thực hiện"))
    form = models.CharField(_("hình thức"), max_length=20, choices=Form.choices)
    topic = models.CharField(_("chủ đề, nội dung"), max_length=255)
    documents = models.TextField(
        _("văn bản pháp luật được phổ biến"),
        blank=True,
        help_text=_("Mỗi văn bản một dòng, ví dụ: Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15."),
    )
    participants = models.PositiveIntegerField(
        _("số lượt người tham dự/tiếp cận"),
        default=0,
        help_text=_("Với loa, tờ gấp, đăng tải trực tuyến: số lượt ước tính."),
    )
    disseminator = models.CharField(
        _("báo cáo viên, tuyên truyền viên"), max_length=255, blank=True
    )
    disseminator_person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dissemination_activities",
        verbose_name=_("báo cáo viên (trong danh sách)"),
    )
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    evidence = models.FileField(
        _("minh chứng"),
        upload_to=evidence_upload_to,
        blank=True,
        max_length=255,
        help_text=_("PDF, JPG, PNG hoặc DOCX, tối đa 10 MB: biên bản, ảnh, tờ gấp…"),
    )
    notes = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ghi nhận"),
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người sửa gần nhất"),
        editable=False,
    )
    created_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("hoạt động phổ biến pháp luật")
        verbose_name_plural = _("hoạt động phổ biến pháp luật")
        indexes = [models.Index(fields=["date", "unit"], name="dissem_date_unit")]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.get_form_display()} · {self.topic}"

    @property
    def disseminator_name(self) -> str:
        if self.disseminator:
            return self.disseminator
        return self.disseminator_person.full_name if self.disseminator_person_id else ""

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]
