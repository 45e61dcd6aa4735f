"""Seed the unit kinds and target groups every deployment needs (production included).

The values are frozen here on purpose: a migration must not change meaning when application
code changes later. Administrators may edit names afterwards; codes are what code relies on.
Idempotent: rows are matched by code.
"""

from django.db import migrations

UNIT_KINDS = [
    # code, name, is_locality, sort_order
    ("thanh-pho", "Thành phố trực thuộc trung ương", True, 1),
    ("xa-phuong", "Xã, phường, đặc khu", True, 2),
    ("thon-ap", "Thôn, ấp, khu phố, tổ dân phố", True, 3),
    ("co-quan", "Cơ quan, đơn vị", False, 4),
    ("don-vi-su-nghiep", "Đơn vị sự nghiệp công lập", False, 5),
    ("ban", "Ban (Thanh tra nhân dân, Giám sát đầu tư của cộng đồng)", False, 6),
]

LAW = "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15"

TARGET_GROUPS = [
    {
        "code": "nguoi-thuc-hien",
        "name": "Người được giao nhiệm vụ tổ chức thực hiện pháp luật về thực hiện dân chủ ở cơ sở",
        "short_name": "Người được giao nhiệm vụ",
        "description": (
            "Cán bộ, công chức, người hoạt động không chuyên trách được giao nhiệm vụ tổ chức "
            "thực hiện pháp luật về thực hiện dân chủ ở cơ sở; được bồi dưỡng chuyên môn, "
            "nghiệp vụ hằng năm."
        ),
        "legal_basis": f"Khoản 1 Điều 8 {LAW}",
        "requires_training": True,
        "sort_order": 1,
    },
    {
        "code": "ban-ttnd",
        "name": "Thành viên Ban Thanh tra nhân dân",
        "short_name": "Ban Thanh tra nhân dân",
        "description": (
            "Trưởng ban, Phó Trưởng ban và ủy viên Ban Thanh tra nhân dân ở xã, phường, đặc khu "
            "và ở cơ quan, đơn vị."
        ),
        "legal_basis": f"Điều 36 đến Điều 40, Điều 60 {LAW}; Nghị định số 59/2023/NĐ-CP",
        "requires_training": True,
        "sort_order": 2,
    },
    {
        "code": "ban-gsdtcd",
        "name": "Thành viên Ban Giám sát đầu tư của cộng đồng",
        "short_name": "Ban Giám sát đầu tư",
        "description": (
            "Thành viên Ban Giám sát đầu tư của cộng đồng do Ban Thường trực Ủy ban Mặt trận "
            "Tổ quốc Việt Nam cấp xã thành lập cho từng chương trình, dự án."
        ),
        "legal_basis": f"Điều 41 đến Điều 45 {LAW}; Nghị định số 59/2023/NĐ-CP",
        "requires_training": True,
        "sort_order": 3,
    },
    {
        "code": "truong-thon",
        "name": "Trưởng thôn, ấp, khu phố, tổ dân phố",
        "short_name": "Trưởng thôn, ấp, khu phố",
        "description": (
            "Trưởng thôn, Trưởng ấp, Trưởng khu phố, Tổ trưởng tổ dân phố; được tập huấn, bồi "
            "dưỡng nghiệp vụ về xây dựng và thực hiện hương ước, quy ước."
        ),
        "legal_basis": f"Điều 16 đến Điều 23 {LAW}; Điều 19 Nghị định số 61/2023/NĐ-CP",
        "requires_training": True,
        "sort_order": 4,
    },
    {
        "code": "truong-ban-ctmt",
        "name": "Trưởng ban công tác Mặt trận ở thôn, tổ dân phố",
        "short_name": "Trưởng ban công tác Mặt trận",
        "description": (
            "Trưởng ban công tác Mặt trận ở thôn, ấp, khu phố, tổ dân phố; được tập huấn, bồi "
            "dưỡng nghiệp vụ về xây dựng và thực hiện hương ước, quy ước."
        ),
        "legal_basis": f"Điều 20 {LAW}; Điều 6, Điều 19 Nghị định số 61/2023/NĐ-CP",
        "requires_training": True,
        "sort_order": 5,
    },
    {
        "code": "can-bo",
        "name": "Cán bộ, công chức, viên chức, người lao động",
        "short_name": "Cán bộ, công chức, viên chức",
        "description": (
            "Cán bộ, công chức, viên chức, người lao động ở cơ quan, đơn vị thực hiện dân chủ "
            "theo Chương III của Luật."
        ),
        "legal_basis": f"Điều 2, Chương III {LAW}",
        "requires_training": True,
        "sort_order": 6,
    },
    {
        "code": "bao-cao-vien",
        "name": "Báo cáo viên, tuyên truyền viên pháp luật",
        "short_name": "Báo cáo viên, tuyên truyền viên",
        "description": (
            "Báo cáo viên pháp luật và tuyên truyền viên pháp luật ở cơ sở, lực lượng nòng cốt "
            "của công tác phổ biến, giáo dục pháp luật."
        ),
        "legal_basis": (
            "Điều 35 đến Điều 37 Luật Phổ biến, giáo dục pháp luật số 14/2012/QH13; "
            "Điều 20 Nghị định số 61/2023/NĐ-CP"
        ),
        "requires_training": True,
        "sort_order": 7,
    },
]


def seed(apps, schema_editor):
    UnitKind = apps.get_model("org", "UnitKind")
    TargetGroup = apps.get_model("org", "TargetGroup")
    for code, name, is_locality, sort_order in UNIT_KINDS:
        UnitKind.objects.update_or_create(
            code=code,
            defaults={"name": name, "is_locality": is_locality, "sort_order": sort_order},
        )
    for row in TARGET_GROUPS:
        values = dict(row)
        code = values.pop("code")
        TargetGroup.objects.update_or_create(code=code, defaults=values)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
    ]

    operations = [
        # Reversing keeps the rows: units and positions may already point at them.
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
