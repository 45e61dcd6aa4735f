"""Benchmark: import a 10,000-row people file through the real import code.

    .venv/bin/python bench/import_people.py                     # throw-away SQLite in a temp dir
    .venv/bin/python bench/import_people.py --rows 50000
    .venv/bin/python bench/import_people.py --database-url postgres://user:pw@localhost/bench_db

Generates units (imported with the units importer), target groups and an .xlsx of people with
plausible Vietnamese names and unique phone numbers, then imports it with `people_import` (the
code path of the admin screen and of `manage.py import_people`), imports it a second time
(nothing must change), and measures a raw bulk insert of the same rows as the physical reference.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
          "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Tạ"]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hồng", "Kim", "Xuân",
          "Thế", "Bảo", "Gia", "Phương", "Hoài", "Trọng"]  # fmt: skip
GIVEN = ["An", "Anh", "Bình", "Châu", "Cường", "Dũng", "Dung", "Đông", "Giang", "Hà", "Hải", "Hạnh",
         "Hiền", "Hiếu", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam",
         "Nga", "Nhung", "Phúc", "Phương", "Quân", "Quang", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy",
         "Trang", "Trung", "Tuấn", "Uyên", "Vân", "Việt", "Yến"]  # fmt: skip
TITLES = ["Công chức Tư pháp – Hộ tịch", "Công chức Văn phòng – Thống kê", "Trưởng ấp",
          "Trưởng khu phố", "Thành viên Ban Thanh tra nhân dân", "Trưởng ban công tác Mặt trận", ""]  # fmt: skip
GROUPS = [
    ("nguoi-thuc-hien", "Người được giao nhiệm vụ tổ chức thực hiện pháp luật về dân chủ ở cơ sở"),
    ("ban-ttnd", "Thành viên Ban Thanh tra nhân dân"),
    ("ban-gsdtcd", "Thành viên Ban Giám sát đầu tư của cộng đồng"),
    ("truong-thon", "Trưởng thôn, ấp, khu phố, tổ dân phố"),
    ("truong-ban-ctmt", "Trưởng ban công tác Mặt trận"),
    ("can-bo", "Cán bộ, công chức, viên chức, người lao động"),
]
KINDS = [("thanh-pho", "Thành phố trực thuộc trung ương", True),
         ("xa-phuong", "Xã, phường, đặc khu", True),
         ("thon-ap", "Thôn, ấp, khu phố, tổ dân phố", True)]  # fmt: skip


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--hamlets", type=int, default=10, help="per commune")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp dir")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


def setup_django(args: argparse.Namespace, workdir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.base"
    os.environ["LMS_VAR_DIR"] = str(workdir)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def write_xlsx(path: Path, sheet: str, headers: list[str], rows: list[list]) -> None:
    """An .xlsx like Excel writes it (with a <dimension> element: openpyxl's write-only mode
    leaves it out, which makes any read-only reader parse the sheet twice)."""
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(headers)
    for row in rows:
        worksheet.append(row)
    workbook.save(path)


def generate_units(args) -> tuple[list[list], list[str]]:
    rows = [["BENCH", "Thành phố Thử Nghiệm", "thanh-pho", "", "Thử Nghiệm", "01/07/2025"]]
    leaves = []
    for c in range(1, args.communes + 1):
        commune = f"X{c:03d}"
        rows.append(
            [commune, f"Xã {random.choice(GIVEN)} {c}", "xa-phuong", "BENCH", "", "01/07/2025"]
        )
        leaves.append(commune)
        for h in range(1, args.hamlets + 1):
            code = f"{commune}-A{h:02d}"
            rows.append([code, f"Ấp {h}", "thon-ap", commune, "", "01/07/2025"])
            leaves.append(code)
    return rows, leaves


def generate_people(count: int, unit_codes: list[str]) -> list[list]:
    phones = random.sample(range(10_000_000, 99_999_999), count)
    rows = []
    for i, number in enumerate(phones):
        family, middle, given = random.choice(FAMILY), random.choice(MIDDLE), random.choice(GIVEN)
        name = (
            f"{family} {middle} {given}"
            if i % 3
            else f"{family} {middle} {random.choice(MIDDLE)} {given}"
        )
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=random.randrange(0, 365 * 45))
        start = dt.date(2025, 7, 1) + dt.timedelta(days=random.randrange(0, 300))
        rows.append([
            name,
            f"0{random.choice('35789')}{number:08d}"[:10],
            f"cb{i:05d}@bench.gov.vn" if i % 4 == 0 else "",
            f"CB{i:05d}" if i % 2 == 0 else "",
            birth.strftime("%d/%m/%Y"),
            "Nữ" if middle == "Thị" else random.choice(["Nam", "Nữ"]),
            random.choice(unit_codes),
            random.choice(GROUPS)[0],
            random.choice(TITLES),
            start,  # a real Excel date
            "",
            "Không",
        ])  # fmt: skip
    return rows


def main() -> None:
    args = parse_args()
    random.seed(args.seed)
    with tempfile.TemporaryDirectory(prefix="lms-bench-") as tmp:
        workdir = Path(tmp)
        setup_django(args, workdir)
        from django.core.files import File
        from django.db import connection

        from lms.org.imports import people_import, units_import
        from lms.org.imports.people import COLUMNS as PEOPLE_COLUMNS
        from lms.org.imports.units import COLUMNS as UNIT_COLUMNS
        from lms.org.models import TargetGroup, UnitKind

        for order, (code, name, locality) in enumerate(KINDS, start=1):
            UnitKind.objects.get_or_create(
                code=code, defaults={"name": name, "sort_order": order, "is_locality": locality}
            )
        for order, (code, name) in enumerate(GROUPS, start=1):
            TargetGroup.objects.get_or_create(
                code=code, defaults={"name": name, "sort_order": order}
            )

        unit_rows, leaves = generate_units(args)
        units_path = workdir / "don-vi.xlsx"
        write_xlsx(units_path, "Đơn vị", [c.header for c in UNIT_COLUMNS], unit_rows)
        started = time.perf_counter()
        with units_path.open("rb") as handle:
            units_report = units_import(file=File(handle, name=units_path.name))
        units_seconds = time.perf_counter() - started
        assert units_report.ok, units_report.errors[:5]

        people_rows = generate_people(args.rows, leaves)
        people_path = workdir / "nguoi-hoc.xlsx"
        write_xlsx(people_path, "Người học", [c.header for c in PEOPLE_COLUMNS], people_rows)

        reference_seconds = measure_reference(people_rows)

        queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *a: queries.append(1) or execute(sql, *a)
        ):
            started, cpu_started = time.perf_counter(), time.process_time()
            with people_path.open("rb") as handle:
                report = people_import(file=File(handle, name=people_path.name))
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu_started
        assert report.ok, report.errors[:5]

        started, cpu_started = time.perf_counter(), time.process_time()
        with people_path.open("rb") as handle:
            again = people_import(file=File(handle, name=people_path.name))
        reimport_seconds = time.perf_counter() - started
        reimport_cpu_seconds = time.process_time() - cpu_started
        assert (
            again.ok and again.counts["people"].created == 0 and again.counts["people"].updated == 0
        )

        result = {
            "rows": args.rows,
            "seconds": round(seconds, 3),
            "rows_per_second": round(args.rows / seconds, 1),
            # CPU time of this process (includes SQLite): unlike wall time, not inflated when
            # other processes compete for the two cores.
            "cpu_seconds": round(cpu_seconds, 3),
            "queries": len(queries),
            "people_created": report.counts["people"].created,
            "positions_created": report.counts["positions"].created,
            "reimport_seconds": round(reimport_seconds, 3),
            "reimport_cpu_seconds": round(reimport_cpu_seconds, 3),
            "reimport_unchanged": again.counts["people"].unchanged,
            "reference_seconds": round(reference_seconds, 3),
            "reference_rows_per_second": round(args.rows / reference_seconds, 1),
            "units": units_report.counts["units"].created,
            "units_seconds": round(units_seconds, 3),
            "file_bytes": people_path.stat().st_size,
            "load_average_1m": round(os.getloadavg()[0], 2),
            "database": connection.vendor,
        }
        print(json.dumps(result, ensure_ascii=False))


def measure_reference(people_rows: list[list]) -> float:
    """Raw bulk insert of the same people and positions (prepared beforehand), rolled back."""
    from django.db import transaction

    from lms.org.models import Person, PositionAssignment, TargetGroup, Unit

    units = dict(Unit.objects.values_list("code", "id"))
    groups = dict(TargetGroup.objects.values_list("code", "id"))
    people = []
    for row in people_rows:
        person = Person(
            full_name=row[0], phone=row[1], email=row[2] or None, staff_code=row[3] or None
        )
        person.fill_derived_fields()
        people.append(person)
    with transaction.atomic():
        started = time.perf_counter()
        Person.objects.bulk_create(people, batch_size=500)
        PositionAssignment.objects.bulk_create(
            [
                PositionAssignment(
                    person=person,
                    unit_id=units[row[6]],
                    target_group_id=groups[row[7]],
                    title=row[8],
                    start_date=row[9],
                )
                for person, row in zip(people, people_rows, strict=True)
            ],
            batch_size=500,
        )
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


if __name__ == "__main__":
    main()
