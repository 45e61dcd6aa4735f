"""Demo legal documents: Law 10/2022/QH15, Decrees 59/2023/NĐ-CP and 61/2023/NĐ-CP.

The texts in demo_content/ were extracted from the codification mirror (Bộ pháp điển, đề mục
“Thực hiện dân chủ ở cơ sở”, /work/shared/reference/phap-dien-thuc-hien-dan-chu-o-co-so.md) by
demo_content/extract_phap_dien.py: the articles of each document in their numeric order with the
codification notes removed. Nothing was written by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission

from lms.core.text import normalize_text

from .models import (
    DocumentStatus,
    DocumentType,
    LegalDocumentPage,
    LegalLibraryPage,
    LegalProvision,
)
from .parsing import parse_file
from .services import DocumentMetadata, legal_document_import

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
LIBRARY_TITLE = "Thư viện pháp luật"
LIBRARY_SLUG = "thu-vien-phap-luat"
LIBRARY_INTRO = (
    "Toàn văn Luật Thực hiện dân chủ ở cơ sở và các nghị định hướng dẫn, chia theo chương, mục, "
    "điều, khoản, điểm để tra cứu và trích dẫn."
)
ADMIN_GROUP = "Quản trị viên"  # lms.org.roles.GROUP_NAMES[ADMIN]
ADMIN_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "delete_page",
    "lock_page",
    "unlock_page",
)
_PHAP_DIEN = "Trích từ Bộ pháp điển, đề mục “Thực hiện dân chủ ở cơ sở” (chủ đề 44.13)"

DEMO_DOCUMENTS = (
    (
        "luat-10-2022-qh15.txt",
        DocumentMetadata(
            number="10/2022/QH15",
            short_code="10/2022/QH15",
            title="Luật Thực hiện dân chủ ở cơ sở",
            document_type=DocumentType.LAW,
            issuer="Quốc hội",
            issue_date=dt.date(2022, 11, 10),
            effective_date=dt.date(2023, 7, 1),
            status=DocumentStatus.IN_FORCE,
            source_note=(
                f"{_PHAP_DIEN}: toàn văn 91 điều, 6 chương cùng các mục, tiểu mục; đã bỏ các ghi chú "
                "pháp điển. Phần căn cứ ban hành và chữ ký không có trong bản pháp điển."
            ),
        ),
    ),
    (
        "nghi-dinh-59-2023-nd-cp.txt",
        DocumentMetadata(
            number="59/2023/NĐ-CP",
            short_code="59/2023/NĐ-CP",
            title="Nghị định quy định chi tiết một số điều của Luật Thực hiện dân chủ ở cơ sở",
            document_type=DocumentType.DECREE,
            issuer="Chính phủ",
            issue_date=dt.date(2023, 8, 14),
            effective_date=dt.date(2023, 8, 15),
            status=DocumentStatus.IN_FORCE,
            source_note=(
                f"{_PHAP_DIEN}: đủ 31 điều theo thứ tự số điều. Bản pháp điển xếp các điều của Nghị "
                "định theo chương, mục của Luật nên chương, mục của chính Nghị định không có ở đây; "
                "phần căn cứ ban hành, chữ ký và phụ lục (nếu có) cũng không có trong bản pháp điển."
            ),
        ),
    ),
    (
        "nghi-dinh-61-2023-nd-cp.txt",
        DocumentMetadata(
            number="61/2023/NĐ-CP",
            short_code="61/2023/NĐ-CP",
            title="Nghị định về xây dựng và thực hiện hương ước, quy ước của cộng đồng dân cư",
            document_type=DocumentType.DECREE,
            issuer="Chính phủ",
            issue_date=dt.date(2023, 8, 16),
            effective_date=dt.date(2023, 8, 16),
            status=DocumentStatus.IN_FORCE,
            source_note=(
                f"{_PHAP_DIEN}: đủ 25 điều theo thứ tự số điều. Bản pháp điển xếp các điều của Nghị "
                "định theo chương, mục của Luật nên chương, mục của chính Nghị định không có ở đây; "
                "phần căn cứ ban hành, chữ ký và phụ lục (nếu có) cũng không có trong bản pháp điển."
            ),
        ),
    ),
)


def library_ensure() -> LegalLibraryPage | None:
    """The published library page under the home page (None while there is no home page), with
    the administrators' group allowed to edit and publish under it (see permissions.py)."""
    from cms.models import HomePage

    library = LegalLibraryPage.objects.first()
    if library is None:
        home = HomePage.objects.first()
        if home is None:
            return None
        library = LegalLibraryPage(title=LIBRARY_TITLE, slug=LIBRARY_SLUG, intro=LIBRARY_INTRO)
        home.add_child(instance=library)
        library.save_revision().publish()
    group = Group.objects.filter(name=ADMIN_GROUP).first()
    if group is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=ADMIN_PAGE_PERMISSIONS
        ):
            GroupPagePermission.objects.get_or_create(
                group=group, page=library, permission=permission
            )
    return library


def _unchanged(number: str, parsed) -> bool:
    document = LegalDocumentPage.objects.filter(number=number, live=True).first()
    if document is None:
        return False
    stored = list(
        LegalProvision.objects.filter(document=document)
        .order_by("sort_order")
        .values_list("anchor", "text")
    )
    wanted = [
        (p.anchor, "\n".join(normalize_text(x) for x in p.paragraphs)) for p in parsed.provisions
    ]
    return stored == wanted


@transaction.atomic
def load_demo_legal_documents(*, stdout=None) -> list[LegalDocumentPage]:
    """Create the library page and import the three demo documents (idempotent)."""

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    library = library_ensure()
    if library is None:
        say("Thư viện pháp luật: chưa có trang chủ, bỏ qua.")
        return []
    documents = []
    for filename, metadata in DEMO_DOCUMENTS:
        path = CONTENT_DIR / filename
        parsed = parse_file(name=path.name, data=path.read_bytes())
        if _unchanged(metadata.number, parsed):
            documents.append(LegalDocumentPage.objects.get(number=metadata.number))
            continue
        result = legal_document_import(parsed=parsed, metadata=metadata, parent=library)
        documents.append(result.document)
        say(f"Thư viện pháp luật: {result.document.title} ({len(parsed.articles)} điều).")
    return documents
