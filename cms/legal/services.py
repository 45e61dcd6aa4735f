"""Writes of the legal library: importing a parsed document into pages and provision rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.core.text import fold, normalize_text

from .models import (
    DocumentType,
    LegalDocumentPage,
    LegalLibraryPage,
    LegalProvision,
    ProvisionKind,
    search_key,
)
from .parsing import ParsedDocument, ParsedProvision
from .selectors import provision_map_invalidate

ERROR_HAS_ERRORS = gettext_lazy("Tệp có lỗi, không nhập được.")
ERROR_WARNINGS_NOT_ACCEPTED = gettext_lazy(
    "Tệp có %(count)s cảnh báo. Hãy xem lại và xác nhận “tôi đã xem các cảnh báo” để nhập."
)
ERROR_NO_LIBRARY = gettext_lazy("Chưa có trang Thư viện pháp luật để đặt văn bản vào.")
ERROR_BAD_PARENT = gettext_lazy("Trang cha phải là trang Thư viện pháp luật.")
ERROR_NUMBER_REQUIRED = gettext_lazy("Cần nhập số hiệu văn bản.")

_SORT_SHIFT = 1_000_000


class ImportRefused(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class DocumentMetadata:
    number: str
    title: str = ""
    short_code: str = ""
    document_type: str = ""
    issuer: str = ""
    issue_date: dt.date | None = None
    effective_date: dt.date | None = None
    status: str = ""
    amended_by: str = ""
    expiry_date: dt.date | None = None
    source_note: str = ""


@dataclass(frozen=True)
class ImportResult:
    document: LegalDocumentPage
    created: bool
    provisions_created: int
    provisions_updated: int
    provisions_deleted: int


def _citation(parsed: ParsedDocument, item: ParsedProvision) -> str:
    words = {
        "chapter": _("Chương"),
        "section": _("Mục"),
        "subsection": _("Tiểu mục"),
        "article": _("Điều"),
        "clause": _("khoản"),
        "point": _("điểm"),
    }
    chain = []
    current: ParsedProvision | None = item
    while current is not None:
        chain.append(current)
        if current.kind == "article":
            break
        current = parsed.provisions[current.parent] if current.parent is not None else None
        if current is not None and item.kind in ("article", "clause", "point") and current.kind not in (
            "article", "clause", "point",
        ):  # fmt: skip
            break
    return " ".join(f"{words[p.kind]} {p.number}" for p in reversed(chain))


def library_default() -> LegalLibraryPage | None:
    return LegalLibraryPage.objects.order_by("path").first()


def legal_document_import(
    *,
    parsed: ParsedDocument,
    metadata: DocumentMetadata,
    parent: LegalLibraryPage | None = None,
    accept_warnings: bool = False,
    user=None,
) -> ImportResult:
    """Create or update (matched by number) the document page and its provisions, then publish it.

    Anchors derive from provision numbers only, so re-importing a corrected text keeps every link.
    """
    number = normalize_text(metadata.number)
    if not number:
        raise ImportRefused([str(ERROR_NUMBER_REQUIRED)])
    if parsed.errors:
        raise ImportRefused([str(ERROR_HAS_ERRORS), *parsed.errors])
    if parsed.warnings and not accept_warnings:
        raise ImportRefused([str(ERROR_WARNINGS_NOT_ACCEPTED) % {"count": len(parsed.warnings)}])

    with transaction.atomic():
        document = LegalDocumentPage.objects.filter(number=number).first()
        created = document is None
        if created:
            parent = parent or library_default()
            if parent is None:
                raise ImportRefused([str(ERROR_NO_LIBRARY)])
            if not isinstance(parent.specific, LegalLibraryPage):
                raise ImportRefused([str(ERROR_BAD_PARENT)])
            kind = metadata.document_type or DocumentType.LAW
            document = LegalDocumentPage(
                title=normalize_text(metadata.title)
                or f"{DocumentType(kind).label} {_('số')} {number}",
                slug=slugify(fold(number).replace("/", "-")),
                number=number,
            )
        _apply_metadata(document, metadata)
        document.preamble = "\n".join(parsed.preamble)
        if created:
            parent.specific.add_child(instance=document)
        else:
            document.save()
        counts = _sync_provisions(document=document, parsed=parsed)
        revision = document.save_revision(user=user, log_action=True)
        revision.publish(user=user)
    provision_map_invalidate()
    return ImportResult(document, created, *counts)


def _apply_metadata(document: LegalDocumentPage, metadata: DocumentMetadata) -> None:
    """Fill the given fields; blank ones keep what the page already has."""
    for name in (
        "title", "short_code", "document_type", "issuer", "issue_date", "effective_date",
        "status", "amended_by", "expiry_date", "source_note",
    ):  # fmt: skip
        value = getattr(metadata, name)
        if isinstance(value, str):
            value = (
                value.strip() if name in ("amended_by", "source_note") else normalize_text(value)
            )
        if value:
            setattr(document, name, value)
    if not document.short_code:
        document.short_code = document.number


def _sync_provisions(
    *, document: LegalDocumentPage, parsed: ParsedDocument
) -> tuple[int, int, int]:
    existing = {p.anchor: p for p in LegalProvision.objects.filter(document=document)}
    # Move old rows out of the way of the new order (sort order is unique per document).
    LegalProvision.objects.filter(document=document).update(
        sort_order=_SORT_SHIFT + F("sort_order")
    )
    objects: list[LegalProvision] = []
    to_update: list[LegalProvision] = []
    created = 0
    for index, item in enumerate(parsed.provisions):
        obj = existing.pop(item.anchor, None)
        is_new = obj is None
        if is_new:
            obj = LegalProvision(document=document, anchor=item.anchor)
        obj.kind = ProvisionKind(item.kind)
        obj.number = item.number
        obj.title = normalize_text(item.title)[:500]
        obj.text = "\n".join(normalize_text(p) for p in item.paragraphs)
        obj.sort_order = index + 1
        obj.parent = objects[item.parent] if item.parent is not None else None
        obj.citation = _citation(parsed, item)[:200]
        obj.folded_text = search_key(f"{obj.citation} {obj.title} {obj.text}")
        if is_new:
            obj.save()
            created += 1
        else:
            to_update.append(obj)
        objects.append(obj)
    LegalProvision.objects.bulk_update(
        to_update, ["kind", "number", "title", "text", "sort_order", "parent", "citation", "folded_text"],
        batch_size=500,
    )  # fmt: skip
    deleted = len(existing)
    if existing:
        LegalProvision.objects.filter(pk__in=[p.pk for p in existing.values()]).delete()
    return created, len(to_update), deleted
