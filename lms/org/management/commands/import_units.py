"""python manage.py import_units FILE [--dry-run]: import đơn vị from an .xlsx or .csv file."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from lms.org.imports import units_import
from lms.org.imports.cli import print_report


class Command(BaseCommand):
    help = "Nhập đơn vị từ tệp .xlsx hoặc .csv (kiểm tra toàn bộ tệp trước khi ghi)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp .xlsx hoặc .csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi dữ liệu"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp: {path}")
        with path.open("rb") as handle:
            report = units_import(file=File(handle, name=path.name), dry_run=options["dry_run"])
        print_report(self, report)
        if report.errors:
            raise CommandError(f"Tệp có {len(report.errors)} lỗi; chưa ghi dữ liệu nào.")
