"""Demo consultations: an open draft hương ước with approved comments, and a closed one with its
giải trình, tiếp thu report. Idempotent: pages are found by slug, comments by (page, name)."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.db import transaction
from django.utils import timezone

from cms.models import HomePage
from lms.org.api import Unit

from .models import ConsultationComment, ConsultationIndexPage, ConsultationPage

INDEX_SLUG = "lay-y-kien"
DEMO_ROOT_CODE = "HCM"

DRAFT_CONVENTION = (
    "<h3>Chương I. Quy định chung</h3>"
    "<p><b>Điều 1. Phạm vi điều chỉnh.</b> Hương ước này quy định những việc Nhân dân trong ấp "
    "cùng bàn, cùng làm để giữ gìn an ninh trật tự, vệ sinh môi trường và nếp sống văn minh.</p>"
    "<h3>Chương II. Nội dung cụ thể</h3>"
    "<p><b>Điều 5. Giữ gìn vệ sinh môi trường.</b> Mỗi hộ gia đình phân loại rác tại nguồn, "
    "để rác đúng giờ, đúng nơi quy định; không đổ rác, xả nước thải ra kênh, rạch.</p>"
    "<p><b>Điều 8. Việc cưới, việc tang.</b> Tổ chức trang trọng, tiết kiệm, không sử dụng loa "
    "công suất lớn sau 22 giờ.</p>"
    "<p><b>Điều 12. Hòa giải ở cơ sở.</b> Mâu thuẫn, tranh chấp nhỏ trong ấp trước hết được Tổ "
    "hòa giải ấp hòa giải theo Luật Hòa giải ở cơ sở.</p>"
)
DEMO_COMMENTS = [
    ("Nguyễn Văn Hùng", "Đề nghị Điều 5 ghi rõ giờ đổ rác (ví dụ từ 17 giờ đến 19 giờ) để các "
     "hộ dễ thực hiện.", True),
    ("Trần Thị Mai", "Điều 8 nên bổ sung việc không đốt vàng mã trên đường đi đưa tang.", True),
    ("Lê Văn Tâm", "Tôi đồng ý với dự thảo. Đề nghị ấp phát bản in cho các hộ không dùng điện "
     "thoại thông minh.", True),
    ("Phạm Thị Lan", "Đề nghị bổ sung quy định về nuôi chó phải xích, rọ mõm khi ra đường.", False),
]  # fmt: skip


def _publish(parent, page: ConsultationPage | ConsultationIndexPage, slug: str):
    existing = type(page).objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    page.slug = slug
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def load_demo_consultations(*, stdout: IO[str] | None = None) -> ConsultationIndexPage | None:
    home = HomePage.objects.first()
    root = Unit.objects.active().filter(code=DEMO_ROOT_CODE).first()
    if home is None or root is None:
        if stdout:
            stdout.write("Chưa có trang chủ hoặc đơn vị gốc mẫu: bỏ qua lấy ý kiến mẫu.\n")
        return None
    commune = (
        Unit.objects.active()
        .filter(path__startswith=root.path, depth=root.depth + 1, kind__code="xa-phuong")
        .order_by("path")
        .first()
    )
    hamlet = None
    if commune is not None:
        hamlet = (
            Unit.objects.active()
            .filter(path__startswith=commune.path, kind__code="thon-ap")
            .order_by("path")
            .first()
        )
    issuer = hamlet or commune or root
    place = issuer.name
    today = timezone.localdate()
    with transaction.atomic():
        index = _publish(
            home,
            ConsultationIndexPage(
                title="Lấy ý kiến Nhân dân",
                intro="<p>Các dự thảo được đưa ra lấy ý kiến Nhân dân theo Điều 25, Điều 26 Luật "
                "Thực hiện dân chủ ở cơ sở. Danh mục được cập nhật hằng quý.</p>",
            ),
            INDEX_SLUG,
        )
        open_page = _publish(
            index,
            ConsultationPage(
                title=f"Dự thảo Hương ước {place} (sửa đổi)",
                summary=f"Ban điều hành {place} lấy ý kiến Nhân dân về dự thảo hương ước sửa đổi: "
                "vệ sinh môi trường, việc cưới, việc tang, hòa giải ở cơ sở.",
                draft=DRAFT_CONVENTION,
                issuing_unit=issuer,
                opens_on=today - dt.timedelta(days=10),
            ),
            "du-thao-huong-uoc-sua-doi",
        )
        closed_start = today - dt.timedelta(days=120)
        _publish(
            index,
            ConsultationPage(
                title="Dự thảo Quy chế thực hiện dân chủ trong hoạt động của Ủy ban nhân dân xã",
                summary="Lấy ý kiến về việc công khai thông tin, tiếp công dân và đối thoại định kỳ.",
                draft="<p><b>Điều 3. Công khai thông tin.</b> Ủy ban nhân dân xã niêm yết công khai "
                "tại trụ sở và đăng trên trang thông tin điện tử các nội dung tại Điều 11 Luật "
                "Thực hiện dân chủ ở cơ sở.</p>",
                issuing_unit=commune or root,
                opens_on=closed_start,
                explanation="<p>Đã nhận 12 ý kiến. Tiếp thu 9 ý kiến về thời hạn niêm yết và "
                "lịch tiếp công dân; giải trình 3 ý kiến không thuộc phạm vi quy chế.</p>",
            ),
            "du-thao-quy-che-dan-chu-ubnd-xa",
        )
        for name, body, approved in DEMO_COMMENTS:
            ConsultationComment.objects.get_or_create(
                page=open_page,
                name=name,
                defaults={
                    "locality": place,
                    "locality_unit": hamlet,
                    "body": body,
                    "status": ConsultationComment.Status.APPROVED
                    if approved
                    else ConsultationComment.Status.PENDING,
                    "moderated_at": timezone.now() if approved else None,
                },
            )
    if stdout:
        stdout.write(f"Lấy ý kiến Nhân dân mẫu: {index.url} (đang mở: {open_page.title}).\n")
    return index
