"""Demo dissemination activities: about half of the demo communes (and some of their hamlets)
recorded activities this year, so the coverage figure is visibly below 100%. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.db import transaction
from django.utils import timezone

from lms.org.api import Unit

from .models import DisseminationActivity

DEMO_ROOT_CODE = "HCM"
FORM = DisseminationActivity.Form
LAW = "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15"
DECREE = "Nghị định số 61/2023/NĐ-CP về xây dựng và thực hiện hương ước, quy ước"

# (month, day, form, topic, documents, participants, disseminator)
COMMUNE_ACTIVITIES = [
    (3, 15, FORM.CONFERENCE, "Hội nghị phổ biến Luật Thực hiện dân chủ ở cơ sở cho cán bộ xã",
     [LAW], 120, "Báo cáo viên pháp luật Sở Tư pháp"),
    (4, 2, FORM.LOUDSPEAKER, "Phát thanh chuyên mục “Dân biết, dân bàn, dân làm, dân kiểm tra”",
     [LAW], 3000, "Đài truyền thanh xã"),
    (5, 20, FORM.LEAFLET, "Phát tờ gấp hỏi – đáp về hương ước, quy ước", [DECREE], 800,
     "Tuyên truyền viên pháp luật xã"),
    (6, 10, FORM.ONLINE, "Đăng tải hỏi – đáp về quyền của Nhân dân trong lấy ý kiến",
     [LAW], 1500, ""),
]  # fmt: skip
HAMLET_ACTIVITIES = [
    (4, 12, FORM.DIRECT, "Họp dân phổ biến quy trình sửa đổi hương ước ấp", [DECREE], 65,
     "Trưởng ấp"),
    (5, 5, FORM.POSTING, "Niêm yết dự thảo hương ước tại nhà văn hóa ấp", [DECREE], 0, "Trưởng ấp"),
]  # fmt: skip
LAW_DAY = (11, 9, FORM.LAW_DAY, "Hưởng ứng Ngày Pháp luật Việt Nam 9/11", [LAW, DECREE], 250,
           "Hội đồng phối hợp PBGDPL xã")  # fmt: skip


def _record(unit: Unit, year: int, spec, today: dt.date) -> bool:
    month, day, form, topic, documents, participants, disseminator = spec
    date = dt.date(year, month, day)
    if date > today:
        return False
    _activity, created = DisseminationActivity.objects.get_or_create(
        unit=unit,
        date=date,
        topic=topic,
        defaults={
            "form": form,
            "documents": "\n".join(documents),
            "participants": participants,
            "disseminator": disseminator,
            "place": unit.name,
        },
    )
    return created


def load_demo_dissemination(*, stdout: IO[str] | None = None, year: int | None = None) -> int:
    """Record demo activities for every other commune of the demo city; return how many were new."""
    today = timezone.localdate()
    year = year or today.year
    root = Unit.objects.active().filter(code=DEMO_ROOT_CODE).first()
    if root is None:
        if stdout:
            stdout.write("Chưa có đơn vị gốc mẫu: bỏ qua hoạt động phổ biến pháp luật mẫu.\n")
        return 0
    communes = list(
        Unit.objects.active()
        .filter(path__startswith=root.path, depth=root.depth + 1, kind__code="xa-phuong")
        .order_by("path")
    )
    created = 0
    with transaction.atomic():
        for commune in communes[::2]:
            specs = [*COMMUNE_ACTIVITIES, LAW_DAY]
            created += sum(_record(commune, year, spec, today) for spec in specs)
            hamlets = list(
                Unit.objects.active()
                .filter(path__startswith=commune.path, depth=commune.depth + 1)
                .filter(kind__code="thon-ap")
                .order_by("path")[:2]
            )
            for hamlet in hamlets[:1]:
                created += sum(_record(hamlet, year, spec, today) for spec in HAMLET_ACTIVITIES)
    if stdout:
        stdout.write(
            f"Hoạt động phổ biến pháp luật mẫu: {created} hoạt động mới "
            f"({len(communes[::2])}/{len(communes)} xã, phường có ghi nhận).\n"
        )
    return created
