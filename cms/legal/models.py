"""Legal document library: an index page, document pages, and their provisions stored as rows."""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from lms.core.text import fold, normalize_text


class DocumentType(models.TextChoices):
    LAW = "luat", _("Luật")
    DECREE = "nghi-dinh", _("Nghị định")
    CIRCULAR = "thong-tu", _("Thông tư")
    DECISION = "quyet-dinh", _("Quyết định")
    RESOLUTION = "nghi-quyet", _("Nghị quyết")
    OTHER = "khac", _("Văn bản khác")


class DocumentStatus(models.TextChoices):
    IN_FORCE = "con-hieu-luc", _("Còn hiệu lực")
    PARTLY_EXPIRED = "het-hieu-luc-mot-phan", _("Hết hiệu lực một phần")
    EXPIRED = "het-hieu-luc", _("Hết hiệu lực")


_NON_WORD = re.compile(r"[^a-z0-9]+")


def search_key(text: str) -> str:
    """Folded words between single spaces, with a space at both ends: " dan chu o co so "."""
    words = _NON_WORD.sub(" ", fold(text)).split()
    return f" {' '.join(words)} " if words else ""


def code_key(code: str) -> str:
    """Lookup key of a short code: "59/2023/NĐ-CP" and "59/2023/ND-CP" give the same key."""
    return fold(code).replace(" ", "")


class LegalLibraryPage(Page):
    """Thư viện pháp luật: lists the documents and searches their provisions."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["legal.LegalDocumentPage"]
    max_count = 1
    template = "legal/legal_library_page.html"

    def get_context(self, request, *args, **kwargs):
        from .selectors import documents_for_library, provisions_search

        context = super().get_context(request, *args, **kwargs)
        query = normalize_text(request.GET.get("q", ""))[:200]
        context["documents"] = documents_for_library(library=self)
        context["query"] = query
        results = provisions_search(query=query, library=self) if query else None
        urls: dict[int, str] = {}
        for provision in results or ():
            if provision.document_id not in urls:
                urls[provision.document_id] = provision.document.get_url(request) or ""
            provision.url = f"{urls[provision.document_id]}#{provision.anchor}"
        context["results"] = results
        return context

    class Meta:
        verbose_name = _("thư viện pháp luật")
        verbose_name_plural = _("thư viện pháp luật")


class LegalDocumentPage(Page):
    """One legal document (luật, nghị định…) with its metadata; its body is `LegalProvision` rows."""

    number = models.CharField(_("số hiệu"), max_length=64, help_text=_("Ví dụ: 10/2022/QH15"))
    short_code = models.CharField(
        _("mã trích dẫn"),
        max_length=64,
        help_text=_("Mã dùng trong trích dẫn của bài học, câu hỏi; ví dụ: 59/2023/NĐ-CP"),
    )
    code_key = models.CharField(max_length=64, editable=False, db_index=True)
    document_type = models.CharField(
        _("loại văn bản"), max_length=16, choices=DocumentType.choices, default=DocumentType.LAW
    )
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issue_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_date = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng hiệu lực"),
        max_length=32,
        choices=DocumentStatus.choices,
        default=DocumentStatus.IN_FORCE,
    )
    amended_by = models.TextField(
        _("được sửa đổi, bổ sung bởi"),
        blank=True,
        help_text=_("Số hiệu, tên văn bản; mỗi văn bản một dòng."),
    )
    expiry_date = models.DateField(_("ngày hết hiệu lực"), null=True, blank=True)
    source_note = models.TextField(_("ghi chú nguồn"), blank=True)
    preamble = models.TextField(
        _("phần mở đầu"),
        blank=True,
        help_text=_("Nội dung đứng trước Điều đầu tiên (căn cứ ban hành…)."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("number"),
                FieldPanel("short_code"),
                FieldPanel("document_type"),
                FieldPanel("issuer"),
                FieldPanel("issue_date"),
                FieldPanel("effective_date"),
                FieldPanel("status"),
                FieldPanel("amended_by"),
                FieldPanel("expiry_date"),
                FieldPanel("source_note"),
            ],
            heading=_("Thông tin văn bản"),
        ),
        FieldPanel("preamble"),
    ]
    parent_page_types = ["legal.LegalLibraryPage"]
    subpage_types: list[str] = []
    template = "legal/legal_document_page.html"

    def save(self, *args, **kwargs):
        self.number = normalize_text(self.number)
        self.short_code = normalize_text(self.short_code) or self.number
        self.code_key = code_key(self.short_code)
        return super().save(*args, **kwargs)

    def amended_by_lines(self) -> list[str]:
        return [line.strip() for line in self.amended_by.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        from .selectors import provision_tree

        context = super().get_context(request, *args, **kwargs)
        context["tree"], context["toc"] = provision_tree(document=self)
        return context

    class Meta:
        verbose_name = _("văn bản pháp luật")
        verbose_name_plural = _("văn bản pháp luật")
        constraints = [
            models.UniqueConstraint(fields=["number"], name="legal_document_number_unique"),
            models.UniqueConstraint(fields=["code_key"], name="legal_document_code_unique"),
        ]


class ProvisionKind(models.TextChoices):
    CHAPTER = "chapter", _("Chương")
    SECTION = "section", _("Mục")
    SUBSECTION = "subsection", _("Tiểu mục")
    ARTICLE = "article", _("Điều")
    CLAUSE = "clause", _("Khoản")
    POINT = "point", _("Điểm")


class LegalProvisionQuerySet(models.QuerySet):
    def live(self):
        return self.filter(document__live=True)

    def matching(self, query: str):
        """Accent-insensitive: every word of the query starts a word of the provision's text;
        provisions containing the whole phrase come first."""
        key = search_key(query)
        if not key:
            return self.none()
        qs = self
        for word in key.split():
            qs = qs.filter(folded_text__contains=f" {word}")
        phrase = models.Case(
            models.When(folded_text__contains=key.rstrip(), then=models.Value(0)),
            default=models.Value(1),
            output_field=models.IntegerField(),
        )
        return qs.annotate(phrase_rank=phrase)


class LegalProvision(models.Model):
    """One chapter, section, article, clause or point: citations resolve to it, search hits it."""

    document = models.ForeignKey(
        LegalDocumentPage,
        on_delete=models.CASCADE,
        related_name="provisions",
        verbose_name=_("văn bản"),
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("loại"), max_length=16, choices=ProvisionKind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=16)
    title = models.CharField(_("tên"), max_length=500, blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    sort_order = models.PositiveIntegerField(_("thứ tự"))
    anchor = models.CharField(_("neo liên kết"), max_length=100)
    citation = models.CharField(_("trích dẫn"), max_length=200, blank=True)
    folded_text = models.TextField(editable=False, blank=True)

    objects = LegalProvisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("điều khoản")
        verbose_name_plural = _("điều khoản")
        ordering = ["document", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "anchor"], name="legal_provision_anchor_unique"
            ),
            models.UniqueConstraint(
                fields=["document", "sort_order"], name="legal_provision_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.citation or f"{self.get_kind_display()} {self.number}"

    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n") if p]
