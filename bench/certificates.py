"""Benchmark: issue and render certificates through the real code path, then ZIP them.

    .venv/bin/python bench/certificates.py                       # 2,000 certificates, temp SQLite
    .venv/bin/python bench/certificates.py --count 500 --zip-count 0
    .venv/bin/python bench/certificates.py --database-url postgres://user:pw@localhost/bench_db
    .venv/bin/python bench/certificates.py --workers 2 --database-url postgres://…/bench_db

Migrates a fresh database, creates a commune tree, people with positions, a certificate template
and a course that `--count` people have completed online (completed enrolments). The timed part
is what happens when an administrator then gives the course its certificate setting: the
setting's post_save receiver queues `certificates_issue_for_completed`, which issues the
certificates in batches through `certificates_issue_batch` (one serial block and one bulk
insert per batch), and each batch queues render tasks of 100 certificates
(`certificates_render_many`: ReportLab PDF stored in the default storage, one update per chunk).
Celery runs eager, in this process, or with `--workers N` on a real prefork worker started for
the run (its CPU time is added). The clock stops when every certificate has its stored PDF.

The one-at-a-time path (`certificate_issue`, what the `course_completed` receiver calls for a
learner finishing a course) is timed too, for `--single-count` people of a second course.
The reference is the same page drawn by raw ReportLab calls (no database, no storage) in the same
run. Finally a ZIP of `--zip-count` certificates of the whole tree is built by `bulk_export_build`.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hồng"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Đông", "Hạnh", "Hiếu", "Hương", "Lựu", "Mỹ", "Ngữ", "Yến"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="N > 0: run the tasks on a real Celery worker with N processes (prefork) on "
        "--broker; needs --database-url (PostgreSQL). 0: Celery eager, in this process",
    )
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--single-count", type=int, default=200, help="0 skips the n=1 timing")
    parser.add_argument("--zip-count", type=int, default=10_000, help="0 skips the ZIP timing")
    parser.add_argument("--communes", type=int, default=10)
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp dir")
    parser.add_argument(
        "--migrated-db",
        default="",
        help="SQLite only: reuse this migrated empty database file (created on the first run)",
    )
    return parser.parse_args()


def setup_django(args: argparse.Namespace, workdir: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.base"
    os.environ["LMS_VAR_DIR"] = str(workdir)
    os.environ["DEBUG"] = "0"
    # Eager (no broker): the tasks run in this process. With --workers: a real worker.
    os.environ["CELERY_BROKER_URL"] = args.broker if args.workers else ""
    os.environ["CELERY_RESULT_BACKEND"] = args.broker if args.workers else ""
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import shutil

    import django

    cached = Path(args.migrated_db) if args.migrated_db and not args.database_url else None
    if cached and cached.exists():
        shutil.copy(cached, workdir / "db.sqlite3")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if cached and not cached.exists():
        from django.db import connection

        connection.close()
        shutil.copy(workdir / "db.sqlite3", cached)


def make_world(args: argparse.Namespace):
    from certificates.models import CertificateTemplate
    from courses.demo import course_index_ensure, course_load
    from lms.org.models import Person, PositionAssignment, TargetGroup, Unit, UnitKind

    city_kind, _ = UnitKind.objects.get_or_create(
        code="bench-tp", defaults={"name": "Thành phố", "sort_order": 1, "is_locality": True}
    )
    commune_kind, _ = UnitKind.objects.get_or_create(
        code="bench-xa", defaults={"name": "Xã", "sort_order": 2, "is_locality": True}
    )
    city = Unit.add_root(code="HCM", name="Thành phố Hồ Chí Minh", kind=city_kind)
    communes = []
    for i in range(args.communes):
        city = Unit.objects.get(pk=city.pk)
        communes.append(city.add_child(code=f"X{i:03d}", name=f"Xã số {i}", kind=commune_kind))
    group, _ = TargetGroup.objects.get_or_create(
        code="nguoi-thuc-hien", defaults={"name": "Người thực hiện", "sort_order": 1}
    )
    people = []
    for i in range(args.count):
        person = Person(
            full_name=f"{FAMILY[i % 12]} {MIDDLE[i // 12 % 10]} {GIVEN[i // 120 % 12]} {i}",
            gender="female" if i % 2 else "male",
        )
        person.fill_derived_fields()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=500)
    people = list(Person.objects.order_by("pk"))
    PositionAssignment.objects.bulk_create(
        [
            PositionAssignment(
                person=p,
                unit=communes[i % len(communes)],
                target_group=group,
                start_date=dt.date(2025, 7, 1),
            )  # fmt: skip
            for i, p in enumerate(people)
        ],
        batch_size=500,
    )
    template = CertificateTemplate.objects.create(
        name="Mẫu thử",
        parent_body="UBND Thành phố Hồ Chí Minh",
        issuing_body="Sở Tư pháp Thành phố Hồ Chí Minh",
        place_name="Thành phố Hồ Chí Minh",
        serial_prefix="GCN-STP",
        intro="Sở Tư pháp Thành phố Hồ Chí Minh chứng nhận:",
        signer_prefix="KT.",
        signer_authority="Giám đốc",
        signer_title="Phó Giám đốc",
        signer_name="Trần Văn Đặng",
    )
    course = course_load(
        data={
            "slug": "dan-chu-co-so-bench",
            "title": "Thực hiện dân chủ ở cơ sở (Luật số 10/2022/QH15)",
            "summary": "Bồi dưỡng.",
            "target_groups": [],
            "estimated_minutes": 240,
            "audience": "staff",
            "year": 2026,
            "modules": [],
        },
        index=course_index_ensure(),
    )
    return city, people, course, template


def complete_course(people, course) -> None:
    """Everyone completed the course online (as `enrolment_complete_if_done` leaves it)."""
    from django.utils import timezone

    from courses.api import Enrolment

    now = timezone.now()
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                person=p,
                course=course,
                status=Enrolment.Status.COMPLETED,
                percent=100,
                started_at=now - dt.timedelta(days=20),
                completed_at=now - dt.timedelta(days=i % 10),
            )
            for i, p in enumerate(people)
        ],
        batch_size=500,
    )


def course_like(course, slug: str):
    from courses.demo import course_index_ensure, course_load

    return course_load(
        data={
            "slug": slug,
            "title": course.title + " — bổ sung",
            "summary": "Bồi dưỡng.",
            "target_groups": [],
            "estimated_minutes": 240,
            "audience": "staff",
            "year": 2026,
            "modules": [],
        },
        index=course_index_ensure(),
    )


class Worker:
    """A real `celery worker` (prefork, N processes) started for the run, on its own Redis
    database; its CPU time is read from /proc for the whole process tree."""

    def __init__(self, args: argparse.Namespace):
        import subprocess

        from lms.celery import app

        self.app = app
        app.control.purge()
        self.name = f"certs-bench-{os.getpid()}@localhost"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "lms", "worker", "-c", str(args.workers),
             "--pool", "prefork", "-l", "warning", "-n", self.name,
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=os.environ.copy(),
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while not app.control.ping(destination=[self.name], timeout=1.0):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the Celery worker did not start")

    def cpu_seconds(self) -> float:
        ticks, pids = 0, [self.process.pid]
        while pids:
            pid = pids.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime + stime
                for task in Path(f"/proc/{pid}/task").iterdir():
                    pids.extend(int(c) for c in (task / "children").read_text().split())
            except (FileNotFoundError, ProcessLookupError):
                continue
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def wait_for_pdfs(queryset, count: int, worker) -> None:
    """Eager: everything already happened. Worker: poll until every PDF is stored."""
    if worker is None:
        return
    deadline = time.monotonic() + 1800
    while queryset.exclude(pdf="").count() < count:
        if time.monotonic() > deadline or worker.process.poll() is not None:
            raise RuntimeError("the worker did not render every certificate")
        time.sleep(0.05)


def reference_render(n: int, template) -> float:
    """The same page with raw ReportLab calls: plain TTFonts registered once (under their own
    names, without the app's per-subset caches), no DB, no storage."""
    import segno
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from certificates.rendering import FONT_DIR, FONT_FILES

    for name, filename in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont("Ref" + name, str(FONT_DIR / filename)))
    width, height = landscape(A4)
    lines = [
        ("CertSerif", 12.5, 0.2, 560, "UBND THÀNH PHỐ HỒ CHÍ MINH"),
        ("CertSerif-Bold", 12.5, 0.2, 544, "SỞ TƯ PHÁP THÀNH PHỐ HỒ CHÍ MINH"),
        ("CertSerif", 13, 0.2, 520, "Số: 0012/GCN-STP"),
        ("CertSerif-Bold", 12.5, 0.68, 560, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("CertSerif-Bold", 13.5, 0.68, 543, "Độc lập - Tự do - Hạnh phúc"),
        ("CertSerif-Bold", 28, 0.5, 440, "GIẤY CHỨNG NHẬN"),
        ("CertSerif-Italic", 14, 0.5, 404, "Sở Tư pháp Thành phố Hồ Chí Minh chứng nhận:"),
        ("CertSerif", 14, 0.5, 350, "Đơn vị: Xã số 1"),
        (
            "CertSerif",
            14,
            0.5,
            328,
            "Đã hoàn thành khóa bồi dưỡng “Thực hiện dân chủ ở cơ sở (Luật số",
        ),
        (
            "CertSerif",
            14,
            0.5,
            309,
            "10/2022/QH15)” (thời lượng 4 giờ) từ ngày 05/03/2026 đến ngày 05/03/2026.",
        ),
        ("CertSerif", 14, 0.5, 290, "Kết quả: Hoàn thành."),
        ("CertSerif-Italic", 13, 0.5, 269, "Giấy chứng nhận có giá trị đến hết ngày 04/03/2027."),
        ("CertSerif-Italic", 13.5, 0.72, 207, "Thành phố Hồ Chí Minh, ngày 05 tháng 3 năm 2026"),
        ("CertSerif-Bold", 13, 0.72, 189, "KT. GIÁM ĐỐC"),
        ("CertSerif-Bold", 13, 0.72, 173, "PHÓ GIÁM ĐỐC"),
        ("CertSerif-Bold", 14, 0.72, 79, "Trần Văn Đặng"),
    ]
    start = time.perf_counter()
    for i in range(n):
        buffer = io.BytesIO()
        c = Canvas(buffer, pagesize=(width, height), initialFontName="RefCertSerif")
        c.setStrokeColorRGB(0.55, 0.1, 0.1)
        c.rect(12 * mm, 10 * mm, width - 24 * mm, height - 20 * mm)
        left, content = 30 * mm, width - 45 * mm
        for font, size, fraction, y, text in lines:
            c.setFont("Ref" + font, size)
            c.drawCentredString(left + content * fraction, y, text)
        c.setFont("RefCertSerif-Bold", 20)
        c.drawCentredString(left + content / 2, 374, f"Ông: Nguyễn Văn Thử {i}")
        qr = segno.make(f"https://example.vn/xac-minh/{i:032d}/", error="m", mask=2)
        module = 88 / qr.symbol_size(border=2)[0]
        for r, row in enumerate(qr.matrix):
            for col, dark in enumerate(row):
                if dark:
                    c.rect(left + (col + 2) * module, 67 + 88 - (r + 3) * module, module, module,
                           stroke=0, fill=1)  # fmt: skip
        c.showPage()
        c.save()
    return time.perf_counter() - start


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    setup_django(args, workdir)
    import logging

    logging.disable(logging.WARNING)  # eager Celery logs every task at INFO
    from django.db import connection

    from certificates.models import Certificate, CourseCertificateSetting
    from certificates.services import bulk_export_build, certificate_issue

    city, people, course, template = make_world(args)
    complete_course(people, course)

    worker = Worker(args) if args.workers else None
    worker_cpu = worker.cpu_seconds() if worker else 0.0
    started, cpu_started = time.perf_counter(), time.process_time()
    # An administrator gives the course its certificate setting; the receiver catches up.
    CourseCertificateSetting.objects.create(course=course, template=template, validity_months=12)
    wait_for_pdfs(Certificate.objects.filter(course=course), args.count, worker)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    if worker:
        cpu_seconds += worker.cpu_seconds() - worker_cpu
    issued = Certificate.objects.filter(course=course).exclude(pdf="").count()
    numbers = list(
        Certificate.objects.filter(course=course)
        .order_by("serial_number")
        .values_list("serial_number", flat=True)
    )
    assert issued == args.count and numbers == list(range(1, args.count + 1)), (
        "gaps or missing PDFs"
    )

    single = {}
    if args.single_count:
        other = course_like(course, "dan-chu-co-so-bench-mot")
        CourseCertificateSetting.objects.create(
            course=other, template=template, validity_months=12, series="bench-mot"
        )
        chosen = people[: args.single_count]
        worker_cpu = worker.cpu_seconds() if worker else 0.0
        single_started, single_cpu = time.perf_counter(), time.process_time()
        for person in chosen:  # what the course_completed receiver does for each learner
            certificate_issue(person_id=person.pk, course_id=other.pk)
        wait_for_pdfs(Certificate.objects.filter(course=other), len(chosen), worker)
        single_seconds = time.perf_counter() - single_started
        single_cpu = time.process_time() - single_cpu
        if worker:
            single_cpu += worker.cpu_seconds() - worker_cpu
        assert Certificate.objects.filter(course=other).exclude(pdf="").count() == len(chosen)
        single = {
            "single_certificates": len(chosen),
            "single_per_second": round(len(chosen) / single_seconds, 1),
            "single_cpu_ms_per_certificate": round(single_cpu / len(chosen) * 1000, 2),
        }
    if worker:
        worker.stop()

    reference_n = min(args.count, 500)
    cpu_before = time.process_time()
    reference_seconds = reference_render(reference_n, template)
    reference_cpu = time.process_time() - cpu_before

    result = {
        "certificates": issued,
        "path": "setting saved -> certificates_issue_for_completed -> certificates_issue_batch "
        "(500/transaction) -> certificates_render_many (100/task), "
        + (f"Celery worker, prefork x{args.workers}" if args.workers else "Celery eager"),
        "workers": args.workers or 1,
        "seconds": round(seconds, 2),
        "certificates_per_second": round(issued / seconds, 1),
        "cpu_seconds": round(cpu_seconds, 2),
        "cpu_ms_per_certificate": round(cpu_seconds / issued * 1000, 2),
        "certificates_per_cpu_second": round(issued / cpu_seconds, 1),
        "reference_per_second": round(reference_n / reference_seconds, 1),
        "reference_per_cpu_second": round(reference_n / reference_cpu, 1),
        **single,
        "database": connection.vendor,
    }
    if args.zip_count:
        # Extra rows point at the PDFs already rendered (same bytes per file), so the ZIP reads
        # and writes as many real files as a full year of a large commune would.
        from django.contrib.auth import get_user_model

        from certificates.models import BulkExport
        from certificates.services import code_digest

        sources = list(Certificate.objects.filter(course=course).order_by("pk").values())
        extra = []
        for k in range(max(0, args.zip_count - len(sources))):
            row = dict(sources[k % len(sources)])
            row.pop("id")
            code = f"zip-bench-{k:08d}-" + "x" * 20
            row.update(
                series=f"zip-{k}", serial_number=args.count + args.single_count + k + 1, code=code,
                code_digest=code_digest(code),
            )  # fmt: skip
            extra.append(Certificate(**row))
        Certificate.objects.bulk_create(extra, batch_size=500)
        user = get_user_model().objects.create(username="bench")
        export = BulkExport.objects.create(
            requested_by=user, unit=city, course=course, year=sources[0]["cycle_year"]
        )
        zip_started = time.perf_counter()
        export = bulk_export_build(export_id=export.pk)
        result["zip_certificates"] = export.total
        result["zip_seconds"] = round(time.perf_counter() - zip_started, 2)
        result["zip_mb"] = round(export.file.size / 1e6, 1)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["load_average_1m"] = round(os.getloadavg()[0], 2)
    connection.close()
    import shutil

    shutil.rmtree(workdir, ignore_errors=True)  # the PDFs and ZIP of a run take ~1 GB
    print(json.dumps(result))


if __name__ == "__main__":
    main()
