"""Live preview of a template in the Wagtail editor: a sample certificate, PDF → PNG."""

from __future__ import annotations

import base64
import datetime as dt

from django.utils import timezone

from .formatting import duration_text
from .rendering import CertificateText, TemplateLayout, render_pdf, render_png

SAMPLE_CODE = "MAU-XEM-TRUOC-KHONG-CO-GIA-TRI"


def sample_text(template) -> CertificateText:
    from .services import verify_url

    today = timezone.localdate()
    return CertificateText(
        serial=f"0012/{template.serial_prefix or 'GCN'}",
        holder_salutation="Bà",
        holder_name="Nguyễn Thị Hoàng Yến",
        unit_name="Ấp Bình Hòa, xã Thường Tân",
        course_title="Thực hiện dân chủ ở cơ sở (Luật số 10/2022/QH15)",
        duration_text=duration_text(240),
        result_text="Hoàn thành",
        parent_body=template.parent_body,
        issuing_body=template.issuing_body or "ỦY BAN NHÂN DÂN XÃ",
        place_name=template.place_name or "Bắc Tân Uyên",
        started_on=today - dt.timedelta(days=20),
        completed_on=today,
        issued_on=today,
        valid_until=today.replace(year=today.year + 1) - dt.timedelta(days=1),
        verify_url=verify_url(SAMPLE_CODE),
        code=SAMPLE_CODE,
    )


def template_preview_data_uri(*, template) -> str:
    """Unsaved edits are previewed too: images are loaded directly, not from the cache."""
    from .rendering import _load_image

    images = {
        kind: _load_image(getattr(template, f"{kind}_image", None), kind)
        for kind in ("background", "signature", "seal")
    }
    layout = TemplateLayout(
        key=("preview",),
        orientation=template.orientation,
        title=template.title,
        intro=template.intro,
        body=template.body,
        signer_prefix=template.signer_prefix,
        signer_authority=template.signer_authority,
        signer_title=template.signer_title,
        signer_name=template.signer_name,
        images=images,
    )
    png = render_png(render_pdf(layout=layout, text=sample_text(template)), scale=1.2)
    return "data:image/png;base64," + base64.b64encode(png).decode()
